using System.Data.Common;
using System.Text;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Export;

/// <summary>
/// Streams the exported transactions, newest first, one at a time into the same <see cref="Current"/> object. The queries
/// are EF LINQ (the list's <see cref="ExpenseService.Apply"/> filter, <see cref="TransactionVisibility.VisibleTo"/> and the
/// household query filters), but their rows are read from EF's own <see cref="DbCommand"/> with a plain data reader, so
/// no projection object is materialised per row and the CSV path reads at the speed of a hand-written query. One query gives the transactions with their lines
/// (a transaction's rows arrive together), a second, in the same order, their tags; names come from small lookups.
/// </summary>
internal sealed class ExportReader : IAsyncDisposable
{
    // Column ordinals of the main query, in the order of its projection (checked when it opens).
    private const int IdColumn = 0, DateColumn = 1, KindColumn = 2, AmountColumn = 3, CurrencyColumn = 4, PayeeColumn = 5,
        NotesColumn = 6, AccountColumn = 7, ToAccountColumn = 8, PaidByColumn = 9, LineIdColumn = 10, CategoryColumn = 11,
        LineAmountColumn = 12, ColumnCount = 13;

    private readonly AppDbContext db;
    private readonly AppDbContext tagDb;
    private readonly HouseholdScope scope;
    private readonly ExpenseFilter filter;
    private readonly CancellationToken cancellationToken;
    private readonly List<(long CategoryId, long AmountMinor, long LineId)> lines = [];
    private readonly List<string> tags = [];
    private readonly StringBuilder text = new();
    private Lookups names = null!;
    private DbCommand? mainCommand;
    private DbCommand? tagCommand;
    private DbDataReader? main;
    private DbDataReader? tagReader;
    private bool? dateIsText;
    private bool onNextRow;
    private bool finished;
    private bool hasTag;

    private ExportReader(AppDbContext db, AppDbContext tagDb, HouseholdScope scope, ExpenseFilter filter, CancellationToken cancellationToken)
    {
        this.db = db;
        this.tagDb = tagDb;
        this.scope = scope;
        this.filter = filter;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>The transaction the reader is on; the same object is refilled by every <see cref="MoveNextAsync"/>.</summary>
    public ExportItem Current { get; } = new();

    public string? PayeeName => Current.PayeeId is { } id ? names.Payees.GetValueOrDefault(id) : null;

    public string? PaidByName => Current.PaidByMemberId is { } id ? names.Members.GetValueOrDefault(id) : null;

    public static async Task<ExportReader> OpenAsync(
        IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, ExpenseFilter filter, CancellationToken cancellationToken)
    {
        scope.RequireHousehold();
        var reader = new ExportReader(
            await dbFactory.CreateDbContextAsync(cancellationToken), await dbFactory.CreateDbContextAsync(cancellationToken), scope, filter, cancellationToken);
        try
        {
            await reader.StartAsync();
            return reader;
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    public async ValueTask<bool> MoveNextAsync()
    {
        var reader = main!;
        if (finished || (!onNextRow && !await reader.ReadAsync(cancellationToken)))
        {
            finished = true;
            return false;
        }

        var item = Current;
        var id = reader.GetInt64(IdColumn);
        item.Id = id;
        // SQLite keeps the date as ISO text; PostgreSQL as a date.
        dateIsText ??= reader.GetFieldType(DateColumn) == typeof(string);
        item.Date = dateIsText.Value
            ? reader.GetString(DateColumn)
            : reader.GetFieldValue<DateOnly>(DateColumn).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        item.Kind = (TransactionKind)reader.GetInt32(KindColumn);
        item.AmountMinor = reader.GetInt64(AmountColumn);
        item.Currency = reader.GetString(CurrencyColumn);
        item.PayeeId = reader.IsDBNull(PayeeColumn) ? null : reader.GetInt64(PayeeColumn);
        item.Notes = reader.IsDBNull(NotesColumn) ? null : reader.GetString(NotesColumn);
        item.AccountId = reader.GetInt64(AccountColumn);
        item.ToAccountId = reader.IsDBNull(ToAccountColumn) ? null : reader.GetInt64(ToAccountColumn);
        item.PaidByMemberId = reader.IsDBNull(PaidByColumn) ? null : reader.GetInt64(PaidByColumn);
        lines.Clear();
        do
        {
            if (!reader.IsDBNull(CategoryColumn))
            {
                lines.Add((reader.GetInt64(CategoryColumn), reader.GetInt64(LineAmountColumn), reader.GetInt64(LineIdColumn)));
            }

            onNextRow = await reader.ReadAsync(cancellationToken);
        }
        while (onNextRow && reader.GetInt64(IdColumn) == id);

        finished = !onNextRow;
        if (lines.Count > 1)
        {
            // The biggest part first, then in the order they were entered.
            lines.Sort((a, b) => a.AmountMinor != b.AmountMinor ? b.AmountMinor.CompareTo(a.AmountMinor) : a.LineId.CompareTo(b.LineId));
        }

        tags.Clear();
        while (hasTag && tagReader!.GetInt64(0) == id)
        {
            tags.Add(names.Tags.GetValueOrDefault(tagReader.GetInt64(1), "?"));
            hasTag = await tagReader.ReadAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>The category cell: one name, or every part of a split with its amount, biggest first.</summary>
    public string? CategoryCell()
    {
        if (lines.Count <= 1)
        {
            return lines.Count == 0 ? null : names.Categories.GetValueOrDefault(lines[0].CategoryId, "?");
        }

        var exponent = Currencies.Exponent(Current.Currency);
        text.Clear();
        foreach (var (categoryId, amountMinor, _) in lines)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(names.Categories.GetValueOrDefault(categoryId, "?")).Append(' ').Append(ExpenseExport.FormatMinor(amountMinor, exponent));
        }

        return text.ToString();
    }

    public string AccountCell()
    {
        var account = names.Accounts.GetValueOrDefault(Current.AccountId, "?");
        return Current.ToAccountId is { } to ? account + " → " + names.Accounts.GetValueOrDefault(to, "?") : account;
    }

    public string? TagsCell() => tags.Count switch
    {
        0 => null,
        1 => tags[0],
        _ => string.Join(", ", tags.Order(StringComparer.OrdinalIgnoreCase)),
    };

    /// <summary>Other people's private transactions in the filter, as the list's "private (n items)" line; null when none.</summary>
    public async Task<HiddenPrivateLine?> HiddenPrivateAsync()
    {
        await CloseReadersAsync();

        // The list's own summary. It scans the household's rows once more (no index holds IsPrivate): at 100k rows that is
        // about a third of the export's time. Run beside the row stream on a connection of its own it was slower on a busy
        // 2-core machine, so it runs after it.
        var hidden = await ExpenseService.Apply(db, db.Transactions.AsNoTracking(), filter)
            .SummarizeHiddenPrivateAsync(scope, filter.CategoryIds, cancellationToken);
        return hidden.IsEmpty ? null : new HiddenPrivateLine(hidden.Label, hidden.SpendingMinor, names.BaseCurrency);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseReadersAsync();
        await db.DisposeAsync();
        await tagDb.DisposeAsync();
    }

    private async Task StartAsync()
    {
        names = new Lookups(
            await db.Households.AsNoTracking().Select(h => h.BaseCurrency).SingleAsync(cancellationToken),
            await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken),
            await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken),
            await db.Members.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.DisplayName, cancellationToken),
            await db.Tags.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken),
            await db.Payees.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken));

        var rows = from t in ExpenseService.Apply(db, db.Transactions.AsNoTracking(), filter).VisibleTo(scope)
                   from l in db.TransactionLines.Where(l => l.TransactionId == t.Id).DefaultIfEmpty()
                   orderby t.Date descending, t.Id descending
                   select new
                   {
                       t.Id,
                       t.Date,
                       t.Kind,
                       t.AmountMinor,
                       t.Currency,
                       t.PayeeId,
                       t.Notes,
                       t.AccountId,
                       t.ToAccountId,
                       t.PaidByMemberId,
                       LineId = (long?)l.Id,
                       CategoryId = (long?)l.CategoryId,
                       LineAmountMinor = (long?)l.AmountMinor,
                   };
        var tagRows = from t in ExpenseService.Apply(tagDb, tagDb.Transactions.AsNoTracking(), filter).VisibleTo(scope)
                      join x in tagDb.TransactionTags on t.Id equals x.TransactionId
                      orderby t.Date descending, t.Id descending
                      select new { t.Id, x.TagId };

        (mainCommand, main) = await ExecuteAsync(db, rows.CreateDbCommand());
        if (main.FieldCount != ColumnCount)
        {
            throw new InvalidOperationException($"The export query returned {main.FieldCount} columns, expected {ColumnCount}.");
        }

        (tagCommand, tagReader) = await ExecuteAsync(tagDb, tagRows.CreateDbCommand());
        hasTag = await tagReader.ReadAsync(cancellationToken);
    }

    private async Task<(DbCommand, DbDataReader)> ExecuteAsync(AppDbContext context, DbCommand command)
    {
        await context.Database.OpenConnectionAsync(cancellationToken);
        return (command, await command.ExecuteReaderAsync(cancellationToken));
    }

    private async Task CloseReadersAsync()
    {
        foreach (var reader in new[] { main, tagReader })
        {
            if (reader is not null)
            {
                await reader.DisposeAsync();
            }
        }

        foreach (var command in new[] { mainCommand, tagCommand })
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }

        (main, tagReader, mainCommand, tagCommand) = (null, null, null, null);
    }

    private sealed record Lookups(
        string BaseCurrency,
        Dictionary<long, string> Categories,
        Dictionary<long, string> Accounts,
        Dictionary<long, string> Members,
        Dictionary<long, string> Tags,
        Dictionary<long, string> Payees);
}

/// <summary>One exported transaction's own columns; the names behind its ids come from <see cref="ExportReader"/>.</summary>
internal sealed class ExportItem
{
    public long Id { get; set; }

    /// <summary>As stored: yyyy-MM-dd.</summary>
    public string Date { get; set; } = string.Empty;

    public TransactionKind Kind { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = string.Empty;
    public long? PayeeId { get; set; }
    public string? Notes { get; set; }
    public long AccountId { get; set; }
    public long? ToAccountId { get; set; }
    public long? PaidByMemberId { get; set; }
}

internal sealed record HiddenPrivateLine(string Payee, long SpendingMinor, string Currency);
