using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Export;

/// <summary>
/// One exported expense: one row per transaction (as the list shows it), so the rows add up to the list's total. A split
/// transaction names every category with its part, biggest first ("Groceries 40.00; Shopping 20.00"). The amount is
/// signed as money moves from the account: Expense, Transfer and Settlement negative, Refund and Income positive.
/// Other people's private transactions are one last row, "private (n items)", with their spending, as under the list.
/// </summary>
public sealed class ExpenseExportRow
{
    [ExcelColumn(Name = "Date", Format = "yyyy-mm-dd", Width = 12)]
    public DateTime? Date { get; set; }

    [ExcelColumn(Name = "Payee", Width = 28)]
    public string? Payee { get; set; }

    [ExcelColumn(Name = "Category", Width = 28)]
    public string? Category { get; set; }

    /// <summary>Major units of <see cref="Currency"/>, exact (decimal from minor units, never double).</summary>
    [ExcelColumn(Name = "Amount", Format = "#,##0.00", Width = 14)]
    public decimal Amount { get; set; }

    [ExcelColumn(Name = "Currency", Width = 9)]
    public string Currency { get; set; } = string.Empty;

    [ExcelColumn(Name = "Account", Width = 22)]
    public string? Account { get; set; }

    [ExcelColumn(Name = "Paid by", Width = 14)]
    public string? PaidBy { get; set; }

    [ExcelColumn(Name = "Tags", Width = 20)]
    public string? Tags { get; set; }

    [ExcelColumn(Name = "Notes", Width = 40)]
    public string? Notes { get; set; }

    [ExcelColumn(Name = "Kind", Width = 11)]
    public string? Kind { get; set; }
}

/// <summary>
/// Writes the expense list (the same filter, visibility and order as <see cref="ExpenseService.ListAsync"/>) as CSV or
/// XLSX straight to a stream, a page of rows at a time: memory stays flat however many rows there are.
/// </summary>
public sealed class ExpenseExport(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope)
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string PrivateKind = "Private";

    private static readonly string[] Header = ["Date", "Payee", "Category", "Amount", "Currency", "Account", "Paid by", "Tags", "Notes", "Kind"];

    /// <summary>
    /// CSV for spreadsheets: UTF-8 with BOM, comma, CRLF, invariant numbers and ISO dates. Text cells starting with
    /// = + - @ tab or CR are quoted and prefixed with an apostrophe (CsvHelper's injection escaping); amounts are written
    /// as plain numbers, so a negative amount stays a number.
    /// </summary>
    public async Task WriteCsvAsync(Stream output, ExpenseFilter filter, CancellationToken cancellationToken = default)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            InjectionOptions = InjectionOptions.Escape,
            InjectionCharacters = ['=', '+', '-', '@', '\t', '\r'],
            InjectionEscapeCharacter = '\'',
            NewLine = "\r\n",
        };
        await using var text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        await using var csv = new NumberSafeCsvWriter(text, configuration);
        foreach (var name in Header)
        {
            csv.WriteField(name);
        }

        await csv.NextRecordAsync();
        await foreach (var row in RowsAsync(filter, cancellationToken))
        {
            csv.WriteField(row.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty);
            csv.WriteField(row.Payee ?? string.Empty);
            csv.WriteField(row.Category ?? string.Empty);
            csv.WriteNumber(row.Amount.ToString(DecimalsFormat(row.Currency), CultureInfo.InvariantCulture));
            csv.WriteField(row.Currency);
            csv.WriteField(row.Account ?? string.Empty);
            csv.WriteField(row.PaidBy ?? string.Empty);
            csv.WriteField(row.Tags ?? string.Empty);
            csv.WriteField(row.Notes ?? string.Empty);
            csv.WriteField(row.Kind ?? string.Empty);
            await csv.NextRecordAsync();
        }
    }

    /// <summary>
    /// XLSX with a frozen header row, fixed column widths, dates as date cells and amounts as numbers in the currency's
    /// format. MiniExcel writes synchronously, so it runs through <see cref="StreamPump"/>. Text stays exactly as entered: an XLSX string cell is never run as a formula.
    /// </summary>
    public async Task WriteXlsxAsync(Stream output, ExpenseFilter filter, string currency, CancellationToken cancellationToken = default)
    {
        var configuration = new OpenXmlConfiguration
        {
            FreezeRowCount = 1,
            FastMode = false,
            AutoFilter = true,
            DynamicColumns = [new DynamicExcelColumn(nameof(ExpenseExportRow.Amount)) { Format = AmountFormat(currency), Width = 14 }],
        };
        var rows = RowsAsync(filter, cancellationToken).ToBlockingEnumerable(cancellationToken);
        await StreamPump.RunAsync(
            output,
            (sink, _) =>
            {
                MiniExcel.SaveAs(sink, rows, printHeader: true, sheetName: "Expenses", excelType: ExcelType.XLSX, configuration: configuration);
                return Task.CompletedTask;
            },
            cancellationToken);
    }

    /// <summary>"F2" for EUR, "F0" for JPY: amounts keep the currency's decimals in text.</summary>
    private static string DecimalsFormat(string currency) => Currencies.Exponent(currency) switch
    {
        0 => "F0",
        2 => "F2",
        var exponent => "F" + exponent.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The Excel number format for a currency: its own decimals, the code after the number.</summary>
    public static string AmountFormat(string currency)
    {
        var exponent = Currencies.Exponent(currency);
        var number = exponent == 0 ? "#,##0" : "#,##0." + new string('0', exponent);
        return number + " \"" + currency + "\";-" + number + " \"" + currency + "\"";
    }

    /// <summary>
    /// The rows, newest first (the list's default order): the filter is <see cref="ExpenseService.Apply"/>, the visibility
    /// <see cref="TransactionVisibility.VisibleTo"/>, exactly as the list. One query streams the transactions with their
    /// lines (a transaction's rows arrive together), a second one, in the same order, their tags; both are merged as they
    /// are read, so only the current transaction is held in memory.
    /// </summary>
    public async IAsyncEnumerable<ExpenseExportRow> RowsAsync(ExpenseFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        scope.RequireHousehold();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tagDb = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await db.Households.AsNoTracking().SingleAsync(cancellationToken);
        var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        var members = await db.Members.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.DisplayName, cancellationToken);
        var tagNames = await db.Tags.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

        var filtered = ExpenseService.Apply(db.Transactions.AsNoTracking(), filter);
        var rows = from t in filtered.VisibleTo(scope)
                   from l in db.TransactionLines.Where(l => l.TransactionId == t.Id).DefaultIfEmpty()
                   orderby t.Date descending, t.Id descending, l.AmountMinor descending, l.Id
                   select new
                   {
                       t.Id,
                       t.Date,
                       t.Kind,
                       t.AmountMinor,
                       t.Currency,
                       Payee = t.Payee == null ? null : t.Payee.Name,
                       t.Notes,
                       t.AccountId,
                       t.ToAccountId,
                       t.PaidByMemberId,
                       CategoryId = (long?)l.CategoryId,
                       LineAmountMinor = (long?)l.AmountMinor,
                   };
        var tagRows = from t in ExpenseService.Apply(tagDb.Transactions.AsNoTracking(), filter).VisibleTo(scope)
                      join x in tagDb.TransactionTags on t.Id equals x.TransactionId
                      orderby t.Date descending, t.Id descending
                      select new { t.Id, x.TagId };

        await using var tags = tagRows.AsAsyncEnumerable().GetAsyncEnumerator(cancellationToken);
        var hasTag = await tags.MoveNextAsync();
        var lines = new List<(long CategoryId, long AmountMinor)>();
        var tagsOfRow = new List<string>();
        var text = new StringBuilder();
        var current = default(ExpenseExportRow);
        long currentId = 0;
        string currency = household.BaseCurrency;
        await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (current is not null && r.Id != currentId)
            {
                yield return Complete(current, lines, currency);
            }

            if (current is null || r.Id != currentId)
            {
                currentId = r.Id;
                currency = r.Currency;
                lines.Clear();
                tagsOfRow.Clear();
                while (hasTag && tags.Current.Id == r.Id)
                {
                    tagsOfRow.Add(tagNames.GetValueOrDefault(tags.Current.TagId, "?"));
                    hasTag = await tags.MoveNextAsync();
                }

                var account = accounts.GetValueOrDefault(r.AccountId, "?");
                current = new ExpenseExportRow
                {
                    Date = r.Date.ToDateTime(TimeOnly.MinValue),
                    Payee = r.Payee,
                    Amount = Signed(r.Kind, Money.ToMajor(r.AmountMinor, r.Currency)),
                    Currency = r.Currency,
                    Account = r.ToAccountId is { } to ? account + " → " + accounts.GetValueOrDefault(to, "?") : account,
                    PaidBy = r.PaidByMemberId is { } paidBy ? members.GetValueOrDefault(paidBy) : null,
                    Tags = tagsOfRow.Count == 0 ? null : string.Join(", ", tagsOfRow.Order(StringComparer.OrdinalIgnoreCase)),
                    Notes = r.Notes,
                    Kind = r.Kind.ToString(),
                };
            }

            if (r.CategoryId is { } categoryId)
            {
                lines.Add((categoryId, r.LineAmountMinor ?? 0));
            }
        }

        if (current is not null)
        {
            yield return Complete(current, lines, currency);
        }

        var hidden = await filtered.SummarizeHiddenPrivateAsync(scope, filter.CategoryIds, cancellationToken);
        if (!hidden.IsEmpty)
        {
            yield return new ExpenseExportRow
            {
                Payee = hidden.Label,
                Amount = -Money.ToMajor(hidden.SpendingMinor, household.BaseCurrency),
                Currency = household.BaseCurrency,
                Kind = PrivateKind,
            };
        }

        // The category cell: one name, or every part of a split with its amount, biggest first.
        ExpenseExportRow Complete(ExpenseExportRow row, List<(long CategoryId, long AmountMinor)> parts, string code)
        {
            text.Clear();
            foreach (var (categoryId, amountMinor) in parts)
            {
                if (text.Length > 0)
                {
                    text.Append("; ");
                }

                text.Append(categories.GetValueOrDefault(categoryId, "?"));
                if (parts.Count > 1)
                {
                    text.Append(' ').Append(Money.ToMajor(amountMinor, code).ToString(DecimalsFormat(code), CultureInfo.InvariantCulture));
                }
            }

            row.Category = text.Length == 0 ? null : text.ToString();
            return row;
        }
    }

    private static decimal Signed(TransactionKind kind, decimal amount) =>
        kind is TransactionKind.Refund or TransactionKind.Income ? amount : -amount;

    /// <summary>CsvHelper's writer whose injection escaping skips the fields we write as numbers.</summary>
    private sealed class NumberSafeCsvWriter(TextWriter writer, CsvConfiguration configuration) : CsvWriter(writer, configuration)
    {
        private bool number;

        public void WriteNumber(string value)
        {
            number = true;
            try
            {
                WriteField(value, shouldQuote: false);
            }
            finally
            {
                number = false;
            }
        }

        protected override string? SanitizeForInjection(string? field) => number ? field : base.SanitizeForInjection(field);
    }
}
