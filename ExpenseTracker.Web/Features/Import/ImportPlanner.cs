using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ExpenseTracker.Web.Features.Import;

/// <summary>How a Transfer row relates to its other side.</summary>
internal enum TransferSide
{
    /// <summary>Money out, its counterpart is a later row of the same file: this row records the transfer.</summary>
    InFileSender,
    /// <summary>Money in, recorded by its in-file sender: this row only adds its import key.</summary>
    InFileReceiver,
    /// <summary>The other side is already recorded as a transfer between the two accounts: only the key is added.</summary>
    Recorded,
    /// <summary>The other side was imported earlier as income or spending: it becomes the transfer.</summary>
    ConvertImported,
}

internal sealed record TransferLink(TransferSide Side, long OtherAccountId, (int Statement, int Row)? Partner = null, long? TransactionId = null);

internal sealed class PlannedRow(ParsedEntry entry)
{
    public ParsedEntry Entry { get; } = entry;
    public required PreviewRow Row { get; set; }
    public TransferLink? Transfer { get; set; }
}

internal sealed class PlannedStatement
{
    public required int Index { get; init; }
    public string? FileAccount { get; init; }
    public long? AccountId { get; init; }
    public required string Currency { get; init; }
    public bool NeedsRate { get; init; }
    public decimal? Rate { get; init; }
    public List<PlannedRow> Rows { get; } = [];
}

internal sealed record AccountFacts(long Id, string Name, string? MaskedNumber);

/// <summary>What the plan needs to know about the household, loaded once.</summary>
internal sealed class HouseholdFacts
{
    public required long Id { get; init; }
    public required string BaseCurrency { get; init; }
    public required IReadOnlyList<AccountFacts> Accounts { get; init; }
    /// <summary>Folded category name → id (live categories).</summary>
    public required Dictionary<string, long> Categories { get; init; }
    public required HashSet<long> CategoryIds { get; init; }
    public required long OtherCategoryId { get; init; }
    /// <summary>Payee key → id.</summary>
    public required Dictionary<string, long> Payees { get; init; }
}

internal sealed class ImportPlan
{
    public required string Format { get; init; }
    public required HouseholdFacts Household { get; init; }
    public List<PlannedStatement> Statements { get; } = [];
    public List<PreviewError> Errors { get; } = [];
    public List<string> Warnings { get; } = [];
    public CsvMapping? Mapping { get; init; }

    public ImportPreview ToPreview(string fileName) => new(
        fileName,
        Format,
        [.. Statements.Select(s => new PreviewStatement(s.Index, s.FileAccount, s.AccountId, s.Currency, s.NeedsRate, [.. s.Rows.Select(r => r.Row)]))],
        Errors,
        Warnings,
        Mapping);
}

/// <summary>
/// Turns what the readers parsed into rows for one household: the account per statement, amounts in minor units (with
/// the batch rate), import keys, and each row's status against what the household already has. Reads only.
/// </summary>
internal static partial class ImportPlanner
{
    public const int MatchDays = 3;
    private const int KeyMaxLength = 200;
    private const int MaxPayeeFilter = 500;

    public static async Task<HouseholdFacts> LoadHouseholdAsync(AppDbContext db, long householdId, CancellationToken cancellationToken)
    {
        var baseCurrency = await db.Households.AsNoTracking().Where(h => h.Id == householdId).Select(h => h.BaseCurrency).SingleAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().Where(a => !a.Archived)
            .OrderBy(a => a.Id).Select(a => new AccountFacts(a.Id, a.Name, a.MaskedNumber)).ToListAsync(cancellationToken);
        var categories = await db.Categories.AsNoTracking().Where(c => !c.Archived)
            .OrderBy(c => c.SortOrder).ThenBy(c => c.Id).Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            byName.TryAdd(TextKey.Fold(category.Name), category.Id);
        }

        var other = byName.GetValueOrDefault("other");
        if (other == 0)
        {
            other = categories.Count > 0 ? categories[^1].Id : throw new ImportRefusedException("The household has no category to put imported spending in: add one first.");
        }

        var payees = await db.Payees.AsNoTracking().Select(p => new { p.Key, p.Id }).ToDictionaryAsync(p => p.Key, p => p.Id, StringComparer.Ordinal, cancellationToken);
        return new HouseholdFacts
        {
            Id = householdId,
            BaseCurrency = baseCurrency,
            Accounts = accounts,
            Categories = byName,
            CategoryIds = [.. categories.Select(c => c.Id)],
            OtherCategoryId = other,
            Payees = payees,
        };
    }

    public static async Task<ImportPlan> PlanAsync(
        AppDbContext db,
        ICategorySuggester suggester,
        HouseholdFacts household,
        ImportRequest request,
        StatementReadResult read,
        IReadOnlyDictionary<int, long> accountChoices,
        CancellationToken cancellationToken)
    {
        var plan = new ImportPlan { Format = read.Format, Household = household, Mapping = read.Mapping };
        SplitWarnings(read.Warnings, plan);
        var known = household.Accounts.Select(a => a.Id).ToHashSet();
        if (request.AccountId is { } requested && !known.Contains(requested))
        {
            throw new ImportRefusedException("That account does not exist in this household.");
        }

        var occurrences = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        for (var s = 0; s < read.Statements.Count; s++)
        {
            var parsed = read.Statements[s];
            long? accountId = accountChoices.TryGetValue(s, out var chosen) && known.Contains(chosen)
                ? chosen
                : MatchAccount(parsed.Account, household.Accounts) ?? request.AccountId;
            var currency = (parsed.Currency ?? parsed.Entries.Select(e => e.Currency).FirstOrDefault(c => c is not null) ?? household.BaseCurrency).Trim().ToUpperInvariant();
            if (!Currencies.IsKnown(currency))
            {
                throw new ImportRefusedException($"The statement's currency '{currency}' is not an ISO 4217 currency code.");
            }

            var needsRate = currency != household.BaseCurrency;
            if (needsRate && request.ExchangeRate is <= 0)
            {
                throw new ImportRefusedException("The exchange rate must be greater than zero.");
            }

            var statement = new PlannedStatement
            {
                Index = s,
                FileAccount = parsed.Account,
                AccountId = accountId,
                Currency = currency,
                NeedsRate = needsRate,
                Rate = needsRate ? request.ExchangeRate : null,
            };
            plan.Statements.Add(statement);

            // Occurrence counts run per account (two statements of one account in a file share them).
            var counterKey = accountId?.ToString(CultureInfo.InvariantCulture) ?? "s" + s.ToString(CultureInfo.InvariantCulture);
            if (!occurrences.TryGetValue(counterKey, out var counts))
            {
                occurrences[counterKey] = counts = new(StringComparer.Ordinal);
            }

            foreach (var entry in parsed.Entries)
            {
                AddRow(plan, statement, entry, counts, household.BaseCurrency);
            }
        }

        if (plan.Statements.All(s => s.Rows.Count == 0))
        {
            var reason = plan.Errors.Count > 0 ? " " + Describe(plan.Errors[0]) : string.Empty;
            throw new ImportRefusedException("The file has 0 usable rows." + reason);
        }

        // Suggestions depend on each row alone, so they are worked out for every row on another connection while this one
        // marks duplicates and transfers (both read ~all of a long history); those rows' suggestions are then dropped.
        var rows = plan.Statements.SelectMany(s => s.Rows).ToList();
        var inputs = rows.Select(r => new CategorizeInput(r.Row.Payee, r.Row.Memo, r.Row.AmountMinor)).ToArray();
        var suggesting = Task.Run(() => suggester.SuggestAsync(inputs, cancellationToken), cancellationToken);
        try
        {
            await MarkAsync(db, plan, cancellationToken);
        }
        finally
        {
            // Never leave the other query running past this call (the caller may dispose what it reads through).
            await Task.WhenAny(suggesting);
        }

        ApplySuggestions(plan, rows, await suggesting);
        return plan;
    }

    private static void AddRow(ImportPlan plan, PlannedStatement statement, ParsedEntry entry, Dictionary<string, int> counts, string baseCurrency)
    {
        if (Math.Abs(entry.Amount) > Money.MaxMajorAmount)
        {
            plan.Errors.Add(new PreviewError(entry.SourceLine, "Amount", "The amount is too large to be a household transaction."));
            return;
        }

        var original = Money.ToMinor(entry.Amount, statement.Currency);
        if (original == 0)
        {
            plan.Errors.Add(new PreviewError(entry.SourceLine, "Amount", "The amount is zero: there is nothing to record."));
            return;
        }

        var rounded = decimal.Round(entry.Amount, Currencies.Exponent(statement.Currency)) != entry.Amount;
        var amount = statement.NeedsRate && statement.Rate is { } rate ? Money.ToMinor(entry.Amount * rate, baseCurrency) : original;
        if (amount == 0)
        {
            plan.Errors.Add(new PreviewError(entry.SourceLine, "Amount", "At this exchange rate the amount rounds to zero."));
            return;
        }

        var key = KeyOf(entry, original, counts);
        var index = statement.Rows.Count;
        statement.Rows.Add(new PlannedRow(entry)
        {
            Row = new PreviewRow(index, entry.SourceLine, entry.Date, amount, statement.NeedsRate ? original : null,
                Clean(entry.Payee, 200), Clean(entry.Memo, 1000), entry.BankId, key, PreviewRowStatus.New, null,
                CategorySuggestion.None, rounded, null),
        });
    }

    /// <summary>The bank's id when the file has one, else date, amount, folded payee and the how-many-th such row this is.</summary>
    internal static string KeyOf(ParsedEntry entry, long originalMinor, Dictionary<string, int> counts)
    {
        if (!string.IsNullOrWhiteSpace(entry.BankId))
        {
            return Bounded("id:" + entry.BankId.Trim());
        }

        var fingerprint = string.Create(CultureInfo.InvariantCulture, $"fp:{entry.Date:yyyy-MM-dd}|{originalMinor}|{TextKey.Fold(entry.Payee)}");
        var n = counts.GetValueOrDefault(fingerprint) + 1;
        counts[fingerprint] = n;
        return Bounded(fingerprint + "#" + n.ToString(CultureInfo.InvariantCulture));
    }

    private static string Bounded(string key) =>
        key.Length <= KeyMaxLength ? key : "sha:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    internal static string? Clean(string? text, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        return trimmed.Length <= maxLength ? trimmed : trimmed[..maxLength];
    }

    /// <summary>
    /// The household account whose masked number matches the file's account: the digits of the masked number (at least
    /// four, e.g. "****1234") end the digits of the file's number or IBAN. An unambiguous match only.
    /// </summary>
    internal static long? MatchAccount(string? fileAccount, IReadOnlyList<AccountFacts> accounts)
    {
        var digits = Digits(fileAccount);
        if (digits.Length < 4)
        {
            return null;
        }

        var matches = accounts
            .Select(a => (a.Id, Digits: Digits(a.MaskedNumber)))
            .Where(a => a.Digits.Length >= 4 && (digits.EndsWith(a.Digits, StringComparison.Ordinal) || a.Digits.EndsWith(digits, StringComparison.Ordinal)))
            .Select(a => a.Id)
            .ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static string Digits(string? text) => text is null ? string.Empty : new string([.. text.Where(char.IsAsciiDigit)]);

    [GeneratedRegex(@"^(?:Row|Line) (?<line>\d+)(?:, column (?<column>[^:]+))?: (?<message>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RowWarning();

    /// <summary>The readers word row problems as "Row 12, column 3: ..."; those become per-row errors.</summary>
    private static void SplitWarnings(IReadOnlyList<string> warnings, ImportPlan plan)
    {
        foreach (var warning in warnings)
        {
            var match = RowWarning().Match(warning);
            if (match.Success && int.TryParse(match.Groups["line"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var line))
            {
                plan.Errors.Add(new PreviewError(line, match.Groups["column"].Success ? match.Groups["column"].Value : null, match.Groups["message"].Value));
            }
            else
            {
                plan.Warnings.Add(warning);
            }
        }
    }

    private static string Describe(PreviewError error) =>
        string.Create(CultureInfo.InvariantCulture, $"Row {error.SourceLine}{(error.Column is null ? string.Empty : ", column " + error.Column)}: {error.Message}");

    private readonly record struct Movement(long TransactionId, long AccountId, long? OtherAccountId, DateOnly Date, long? PayeeId, TransactionKind Kind, TransactionSource Source);

    /// <summary>Duplicate, Transfer and NearDuplicate, in that order of precedence.</summary>
    private static async Task MarkAsync(AppDbContext db, ImportPlan plan, CancellationToken cancellationToken)
    {
        var accountIds = plan.Statements.Where(s => s.AccountId is not null).Select(s => s.AccountId!.Value).Distinct().ToArray();
        var keys = new Dictionary<long, HashSet<string>>();
        foreach (var accountId in accountIds)
        {
            var existing = await db.ImportKeys.AsNoTracking().Where(k => k.AccountId == accountId).Select(k => k.Key).ToListAsync(cancellationToken);
            keys[accountId] = new HashSet<string>(existing, StringComparer.Ordinal);
        }

        var live = new List<(PlannedStatement Statement, PlannedRow Row)>();
        foreach (var statement in plan.Statements)
        {
            foreach (var row in statement.Rows)
            {
                if (statement.AccountId is { } accountId && !keys[accountId].Add(row.Row.ImportKey))
                {
                    row.Row = row.Row with { Status = PreviewRowStatus.Duplicate, StatusDetail = "Already imported into this account." };
                    continue;
                }

                live.Add((statement, row));
            }
        }

        PairWithinFile(live);
        var comparable = live.Where(r => r.Row.Transfer is null && r.Statement.AccountId is not null && (!r.Statement.NeedsRate || r.Statement.Rate is not null)).ToList();
        if (comparable.Count == 0)
        {
            return;
        }

        var from = comparable.Min(r => r.Row.Entry.Date).AddDays(-MatchDays);
        var to = comparable.Max(r => r.Row.Entry.Date).AddDays(MatchDays);
        // Only what can match: transfers and imported rows (the other side of a transfer), and rows with one of the
        // file's payees (a near-duplicate has the same payee).
        var payeeIds = comparable.Select(r => plan.Household.Payees.GetValueOrDefault(TextKey.Fold(r.Row.Row.Payee)))
            .Where(id => id != 0).Distinct().ToArray();
        var bySignedAmount = new Dictionary<long, List<Movement>>();
        void Add(long signed, Movement movement)
        {
            if (!bySignedAmount.TryGetValue(signed, out var list))
            {
                bySignedAmount[signed] = list = [];
            }

            list.Add(movement);
        }

        await foreach (var t in WindowAsync(db, plan.Household.Id, from, to, payeeIds.Length <= MaxPayeeFilter ? payeeIds : null, cancellationToken))
        {
            if (t.Kind == TransactionKind.Transfer)
            {
                Add(-t.AmountMinor, t.Movement);
                if (t.Movement.OtherAccountId is { } toAccount)
                {
                    Add(t.AmountMinor, t.Movement with { AccountId = toAccount, OtherAccountId = t.Movement.AccountId });
                }
            }
            else
            {
                Add(t.Kind == TransactionKind.Expense ? -t.AmountMinor : t.AmountMinor, t.Movement with { OtherAccountId = null });
            }
        }

        var payeeKeys = plan.Household.Payees.ToDictionary(p => p.Value, p => p.Key);
        var usedCounterparts = new HashSet<long>();
        foreach (var (statement, row) in comparable)
        {
            var account = statement.AccountId!.Value;
            var amount = row.Row.AmountMinor;
            var date = row.Entry.Date;
            if (bySignedAmount.TryGetValue(-amount, out var opposite))
            {
                var counterpart = opposite.FirstOrDefault(m => m.AccountId != account && Near(m.Date, date) && !usedCounterparts.Contains(m.TransactionId)
                    && ((m.Kind == TransactionKind.Transfer && m.OtherAccountId == account)
                        || (m.Kind != TransactionKind.Transfer && m.Source is TransactionSource.Import or TransactionSource.BankSync)));
                if (counterpart.TransactionId != 0)
                {
                    usedCounterparts.Add(counterpart.TransactionId);
                    var side = counterpart.Kind == TransactionKind.Transfer ? TransferSide.Recorded : TransferSide.ConvertImported;
                    row.Transfer = new TransferLink(side, counterpart.AccountId, TransactionId: counterpart.TransactionId);
                    row.Row = row.Row with
                    {
                        Status = PreviewRowStatus.Transfer,
                        TransferAccountId = counterpart.AccountId,
                        StatusDetail = "Matches " + (amount < 0 ? "money in" : "money out") + " on " + AccountName(plan, counterpart.AccountId)
                            + string.Create(CultureInfo.InvariantCulture, $" on {counterpart.Date:yyyy-MM-dd}: a transfer between your own accounts."),
                    };
                    continue;
                }
            }

            var payee = TextKey.Fold(row.Row.Payee);
            if (payee.Length > 0 && bySignedAmount.TryGetValue(amount, out var same)
                && same.FirstOrDefault(m => Near(m.Date, date) && m.PayeeId is { } id && payeeKeys.GetValueOrDefault(id) == payee) is { TransactionId: not 0 } near)
            {
                row.Row = row.Row with
                {
                    Status = PreviewRowStatus.NearDuplicate,
                    StatusDetail = string.Create(CultureInfo.InvariantCulture, $"Looks like a transaction of {near.Date:yyyy-MM-dd} with the same amount and payee; untick it if it is the same."),
                };
            }
        }
    }

    private readonly record struct WindowRow(TransactionKind Kind, long AmountMinor, Movement Movement);

    /// <summary>
    /// The household's live transactions in the window that can match (transfers, imported rows, rows with one of the
    /// file's payees; every row when the file has too many payees). Read straight from SQLite: a window is often a
    /// whole history (250,000 rows), which EF takes ~1 s to materialise and a data reader ~0.2 s. Same filters as the
    /// context's household and soft-delete query filters. The payees go as a JSON array on SQLite and as an array on PostgreSQL.
    /// </summary>
    private static async IAsyncEnumerable<WindowRow> WindowAsync(AppDbContext db, long householdId, DateOnly from, DateOnly to, long[]? payeeIds,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var postgres = db.Database.IsNpgsql();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = """
            SELECT "Id", "Kind", "AmountMinor", "Date", "AccountId", "ToAccountId", "PayeeId", "Source" FROM "Transactions"
            WHERE "HouseholdId" = @h AND "DeletedAt" IS NULL AND "Date" >= @from AND "Date" <= @to AND "Kind" <> @settlement
            """ + (payeeIds is null ? string.Empty
                : postgres ? """ AND ("Kind" = @transfer OR "Source" IN (@import, @bank) OR "PayeeId" = ANY(@payees))"""
                : """ AND ("Kind" = @transfer OR "Source" IN (@import, @bank) OR "PayeeId" IN (SELECT "value" FROM json_each(@payees)))""");
        void Add(string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        Add("@h", householdId);
        Add("@from", from);
        Add("@to", to);
        Add("@settlement", (int)TransactionKind.Settlement);
        if (payeeIds is not null)
        {
            Add("@transfer", (int)TransactionKind.Transfer);
            Add("@import", (int)TransactionSource.Import);
            Add("@bank", (int)TransactionSource.BankSync);
            Add("@payees", postgres ? payeeIds : System.Text.Json.JsonSerializer.Serialize(payeeIds));
        }

        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new WindowRow(
                (TransactionKind)reader.GetInt32(1),
                reader.GetInt64(2),
                new Movement(reader.GetInt64(0), reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.GetFieldValue<DateOnly>(3),
                    reader.IsDBNull(6) ? null : reader.GetInt64(6), (TransactionKind)reader.GetInt32(1), (TransactionSource)reader.GetInt32(7)));
        }
    }

    /// <summary>Money out of one own account and the same money into another, both in this file, within 3 days: one transfer.</summary>
    private static void PairWithinFile(List<(PlannedStatement Statement, PlannedRow Row)> rows)
    {
        if (rows.Select(r => r.Statement.AccountId).Where(a => a is not null).Distinct().Count() < 2)
        {
            return;
        }

        var incoming = rows.Where(r => r.Statement.AccountId is not null && r.Row.Row.AmountMinor > 0)
            .GroupBy(r => r.Row.Row.AmountMinor)
            .ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (statement, row) in rows.Where(r => r.Statement.AccountId is not null && r.Row.Row.AmountMinor < 0))
        {
            if (!incoming.TryGetValue(-row.Row.AmountMinor, out var candidates))
            {
                continue;
            }

            var match = candidates.FindIndex(c => c.Statement.AccountId != statement.AccountId && c.Row.Transfer is null && Near(c.Row.Entry.Date, row.Entry.Date));
            if (match < 0)
            {
                continue;
            }

            var (otherStatement, other) = candidates[match];
            candidates.RemoveAt(match);
            var from = statement.AccountId!.Value;
            var to = otherStatement.AccountId!.Value;
            row.Transfer = new TransferLink(TransferSide.InFileSender, to, (otherStatement.Index, other.Row.Index));
            other.Transfer = new TransferLink(TransferSide.InFileReceiver, from, (statement.Index, row.Row.Index));
            const string detail = "Money between two of your own accounts, both in this file: recorded once, as a transfer.";
            row.Row = row.Row with { Status = PreviewRowStatus.Transfer, TransferAccountId = to, StatusDetail = detail };
            other.Row = other.Row with { Status = PreviewRowStatus.Transfer, TransferAccountId = from, StatusDetail = detail };
        }
    }

    private static bool Near(DateOnly a, DateOnly b) => Math.Abs(a.DayNumber - b.DayNumber) <= MatchDays;

    private static string AccountName(ImportPlan plan, long accountId) =>
        plan.Household.Accounts.FirstOrDefault(a => a.Id == accountId)?.Name ?? "another account";

    private static void ApplySuggestions(ImportPlan plan, List<PlannedRow> rows, IReadOnlyList<CategorySuggestion> suggestions)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Row.Status is PreviewRowStatus.Duplicate or PreviewRowStatus.Transfer)
            {
                continue;
            }

            var suggestion = suggestions[i];
            if (suggestion.CategoryId is { } id && !plan.Household.CategoryIds.Contains(id))
            {
                suggestion = suggestion with { CategoryId = null };
            }

            rows[i].Row = rows[i].Row with { Suggestion = suggestion };
        }
    }
}
