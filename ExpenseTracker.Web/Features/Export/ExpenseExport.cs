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
    /// as plain numbers, so a negative amount stays a number. Rows go straight from the database reader to the writer:
    /// no row object, and the date and amount texts are made without a DateOnly, decimal or double in between.
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
        await using var text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 256 * 1024, leaveOpen: true);
        await using var csv = new NumberSafeCsvWriter(text, configuration);
        foreach (var name in Header)
        {
            csv.WriteField(name);
        }

        await csv.NextRecordAsync();
        await using var reader = await ExportReader.OpenAsync(dbFactory, scope, filter, cancellationToken);
        var item = reader.Current;
        while (await reader.MoveNextAsync())
        {
            csv.WriteField(item.Date);
            csv.WriteField(reader.PayeeName ?? string.Empty);
            csv.WriteField(reader.CategoryCell() ?? string.Empty);
            csv.WriteNumber(FormatMinor(Signed(item.Kind, item.AmountMinor), Currencies.Exponent(item.Currency)));
            csv.WriteField(item.Currency);
            csv.WriteField(reader.AccountCell());
            csv.WriteField(reader.PaidByName ?? string.Empty);
            csv.WriteField(reader.TagsCell() ?? string.Empty);
            csv.WriteField(item.Notes ?? string.Empty);
            csv.WriteField(KindName(item.Kind));
            await csv.NextRecordAsync();
        }

        if (await reader.HiddenPrivateAsync() is { } hidden)
        {
            csv.WriteField(string.Empty);
            csv.WriteField(hidden.Payee);
            csv.WriteField(string.Empty);
            csv.WriteNumber(FormatMinor(-hidden.SpendingMinor, Currencies.Exponent(hidden.Currency)));
            csv.WriteField(hidden.Currency);
            for (var i = 0; i < 4; i++)
            {
                csv.WriteField(string.Empty);
            }

            csv.WriteField(PrivateKind);
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

    /// <summary>The Excel number format for a currency: its own decimals, the code after the number.</summary>
    public static string AmountFormat(string currency)
    {
        var exponent = Currencies.Exponent(currency);
        var number = exponent == 0 ? "#,##0" : "#,##0." + new string('0', exponent);
        return number + " \"" + currency + "\";-" + number + " \"" + currency + "\"";
    }

    /// <summary>
    /// Minor units as an invariant decimal text with the currency's decimals (-123456, 2 → "-1234.56"; 5, 2 → "0.05";
    /// 700, 0 → "700"), digit by digit: exact, and no decimal or double on the way.
    /// </summary>
    public static string FormatMinor(long minor, int exponent)
    {
        Span<char> buffer = stackalloc char[24 + exponent];
        var value = minor < 0 ? (ulong)-(minor + 1) + 1 : (ulong)minor;
        var position = buffer.Length;
        for (var i = 0; i < exponent; i++)
        {
            buffer[--position] = (char)('0' + (int)(value % 10));
            value /= 10;
        }

        if (exponent > 0)
        {
            buffer[--position] = '.';
        }

        do
        {
            buffer[--position] = (char)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value != 0);

        if (minor < 0)
        {
            buffer[--position] = '-';
        }

        return new string(buffer[position..]);
    }

    /// <summary>
    /// The rows, newest first (the list's default order): the filter is <see cref="ExpenseService.Apply"/>, the visibility
    /// <see cref="TransactionVisibility.VisibleTo"/>, exactly as the list (see <see cref="ExportReader"/>).
    /// </summary>
    public async IAsyncEnumerable<ExpenseExportRow> RowsAsync(ExpenseFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var reader = await ExportReader.OpenAsync(dbFactory, scope, filter, cancellationToken);
        var item = reader.Current;
        while (await reader.MoveNextAsync())
        {
            yield return new ExpenseExportRow
            {
                Date = ParseIsoDate(item.Date).ToDateTime(TimeOnly.MinValue),
                Payee = reader.PayeeName,
                Category = reader.CategoryCell(),
                Amount = Money.ToMajor(Signed(item.Kind, item.AmountMinor), item.Currency),
                Currency = item.Currency,
                Account = reader.AccountCell(),
                PaidBy = reader.PaidByName,
                Tags = reader.TagsCell(),
                Notes = item.Notes,
                Kind = KindName(item.Kind),
            };
        }

        if (await reader.HiddenPrivateAsync() is { } hidden)
        {
            yield return new ExpenseExportRow
            {
                Payee = hidden.Payee,
                Amount = -Money.ToMajor(hidden.SpendingMinor, hidden.Currency),
                Currency = hidden.Currency,
                Kind = PrivateKind,
            };
        }
    }

    /// <summary>The kind's name without an enum-to-string call per row.</summary>
    private static string KindName(TransactionKind kind) => kind switch
    {
        TransactionKind.Expense => nameof(TransactionKind.Expense),
        TransactionKind.Refund => nameof(TransactionKind.Refund),
        TransactionKind.Income => nameof(TransactionKind.Income),
        TransactionKind.Transfer => nameof(TransactionKind.Transfer),
        TransactionKind.Settlement => nameof(TransactionKind.Settlement),
        _ => kind.ToString(),
    };

    private static DateOnly ParseIsoDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long Signed(TransactionKind kind, long amountMinor) =>
        kind is TransactionKind.Refund or TransactionKind.Income ? amountMinor : -amountMinor;

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
