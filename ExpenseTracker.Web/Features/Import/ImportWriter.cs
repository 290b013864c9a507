using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Import;

/// <summary>
/// Writes a checked plan on the context's own connection and transaction, a chunk of rows per statement
/// (<see cref="JsonRowBatch"/>) with transaction ids it gives itself: tens of thousands of rows in about a second, where
/// one prepared INSERT per row takes ~10 s on a large household (SQLite's per-statement journal, AUTOINCREMENT update and
/// FTS5 flush through the search trigger) and tracked entities through SaveChanges take longer still. The search index,
/// the foreign keys and the unique import keys are kept by the database as for any writer. The caller owns the
/// transaction (all or nothing). What differs between SQLite and PostgreSQL is in <see cref="ImportDatabase"/>.
/// </summary>
internal sealed class ImportWriter(ImportDatabase database, HouseholdScope scope, DateTime now, ImportOrigin? origin = null)
{
    private readonly long householdId = scope.RequireHousehold();

    /// <summary>One row that becomes (or joins) a transaction, with everything resolved.</summary>
    private sealed record Work(PlannedStatement Statement, PlannedRow Row, TransferLink? Transfer);

    public async Task<ImportResult> WriteAsync(ImportPlan plan, string fileName, ImportChoices choices, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var included = plan.Statements
            .SelectMany(s => s.Rows.Where(r => !choices.Excluded.Contains((s.Index, r.Row.Index))).Select(r => (Statement: s, Row: r)))
            .ToList();
        var work = new List<Work>();
        foreach (var (statement, row) in included)
        {
            if (row.Row.Status == PreviewRowStatus.Duplicate)
            {
                continue;
            }

            if (statement.AccountId is null)
            {
                throw new ImportRefusedException(string.Create(CultureInfo.InvariantCulture,
                    $"Choose the account for statement {statement.Index + 1}{(statement.FileAccount is null ? string.Empty : " (" + statement.FileAccount + ")")}: the file names no account of this household."));
            }

            if (statement.NeedsRate && statement.Rate is null)
            {
                throw new ImportRefusedException($"The statement is in {statement.Currency}: enter the exchange rate to {plan.Household.BaseCurrency} first.");
            }

            // A transfer whose other row the user unticked is recorded as plain money in or out.
            var transfer = row.Transfer is { Partner: { } partner } && choices.Excluded.Contains(partner) ? null : row.Transfer;
            work.Add(new Work(statement, row, transfer));
        }

        // In date order, the inserts into the date-led indexes land next to each other instead of all over the tree.
        work = [.. work.OrderBy(w => w.Row.Entry.Date)];

        foreach (var (key, category) in choices.Categories)
        {
            if (!plan.Household.CategoryIds.Contains(category))
            {
                throw new ImportRefusedException("A chosen category does not exist in this household.");
            }
        }

        var payees = await UpsertPayeesAsync(plan.Household.Payees, work.Select(w => PayeeName(w.Row)), cancellationToken);
        var tags = await UpsertTagsAsync(work.SelectMany(w => TagsOf(w.Row)), cancellationToken);

        var batches = new Dictionary<long, (long Id, int Rows, int Duplicates)>();
        foreach (var group in included.GroupBy(r => r.Statement.AccountId).Where(g => g.Key is not null))
        {
            var statement = group.First().Statement;
            var batchId = await InsertBatchAsync(group.Key!.Value, fileName, plan.Format, statement, cancellationToken);
            batches[group.Key.Value] = (batchId, 0, group.Count(r => r.Row.Row.Status == PreviewRowStatus.Duplicate));
        }

        var chunk = Math.Clamp(work.Count / 20, 100, 2_000);
        using var insertTransaction = database.TransactionRows(chunk);
        using var insertLine = database.LineRows();
        using var insertTag = database.TagRows();
        using var insertKey = database.KeyRows(chunk);
        insertTransaction.FollowedBy(insertLine, insertTag);
        foreach (var batch in new[] { insertTransaction, insertLine, insertTag, insertKey })
        {
            batch.Set("@h", householdId);
        }

        insertTransaction.Set("@currency", plan.Household.BaseCurrency);
        insertTransaction.Set("@source", (int)(origin?.Source ?? TransactionSource.Import));
        insertTransaction.Set("@now", now);
        insertTransaction.Set("@member", scope.MemberId);

        var creating = work.Count(w => w.Transfer?.Side is not (TransferSide.InFileReceiver or TransferSide.Recorded or TransferSide.ConvertImported));
        var nextId = await database.TransactionIdsAsync(creating, cancellationToken);
        var transactionIds = new Dictionary<(int, int), long>();
        var converted = new List<(long Id, long From, long To)>();
        var total = work.Count;
        var step = Math.Max(1, total / 100);
        var added = 0;
        progress?.Report(new ImportProgress(0, total, "Saving"));

        // First the rows that create (or convert) a transaction, then every key, so a receiver can point at its sender.
        for (var i = 0; i < work.Count; i++)
        {
            if (i % step == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i > 0)
                {
                    progress?.Report(new ImportProgress(i, total, "Saving"));
                }
            }

            var (statement, row, transfer) = work[i];
            var accountId = statement.AccountId!.Value;
            var amount = row.Row.AmountMinor;
            switch (transfer?.Side)
            {
                case TransferSide.InFileReceiver or TransferSide.Recorded:
                    continue;
                case TransferSide.ConvertImported:
                    var (from, to) = amount < 0 ? (accountId, transfer.OtherAccountId) : (transfer.OtherAccountId, accountId);
                    converted.Add((transfer.TransactionId!.Value, from, to));
                    transactionIds[(statement.Index, row.Row.Index)] = transfer.TransactionId.Value;
                    continue;
            }

            var mainCategory = CategoryOf(plan.Household, row, choices, statement.Index);
            var kind = transfer is not null ? TransactionKind.Transfer
                : amount < 0 ? TransactionKind.Expense
                : mainCategory is not null ? TransactionKind.Refund
                : TransactionKind.Income;
            var id = nextId();
            var payee = PayeeName(row);
            await insertTransaction.AddAsync(
                cancellationToken,
                id,
                (int)kind,
                Math.Abs(amount),
                statement.NeedsRate ? Math.Abs(row.Row.OriginalAmountMinor ?? amount) : null,
                statement.NeedsRate ? statement.Currency : null,
                statement.NeedsRate ? statement.Rate!.Value : null,
                row.Entry.Date,
                payee is null ? null : payees[PayeeKey(payee)],
                row.Row.Memo,
                row.Row.Memo is null ? null : ImportPlanner.Clean(TextKey.Fold(row.Row.Memo), 1000),
                accountId,
                transfer?.OtherAccountId,
                batches[accountId].Id);
            transactionIds[(statement.Index, row.Row.Index)] = id;
            added++;

            if (kind is TransactionKind.Expense or TransactionKind.Refund)
            {
                foreach (var (category, lineAmount, note) in LinesOf(plan.Household, statement, row, mainCategory ?? plan.Household.OtherCategoryId))
                {
                    await insertLine.AddAsync(cancellationToken, id, category, lineAmount, note);
                }
            }

            foreach (var tag in TagsOf(row).Select(TagKey).Distinct(StringComparer.Ordinal))
            {
                await insertTag.AddAsync(cancellationToken, id, tags[tag]);
            }
        }

        await insertTransaction.FlushAsync(cancellationToken);

        foreach (var (statement, row, transfer) in work)
        {
            var accountId = statement.AccountId!.Value;
            long? transactionId = transfer switch
            {
                { Side: TransferSide.InFileReceiver, Partner: { } partner } => transactionIds[partner],
                { Side: TransferSide.Recorded } => transfer.TransactionId,
                _ => transactionIds[(statement.Index, row.Row.Index)],
            };
            var batch = batches[accountId];
            await insertKey.AddAsync(cancellationToken, accountId, row.Row.ImportKey, batch.Id, transactionId);
            batches[accountId] = batch with { Rows = batch.Rows + 1 };
        }

        await insertKey.FlushAsync(cancellationToken);
        await ConvertAsync(converted, cancellationToken);
        progress?.Report(new ImportProgress(total, total, "Saving"));

        foreach (var (accountId, batch) in batches)
        {
            await FinishBatchAsync(batch.Id, batch.Rows, batch.Duplicates, fileName, accountId, cancellationToken);
        }

        return new ImportResult([.. batches.Values.Select(b => b.Id)], added, batches.Values.Sum(b => b.Duplicates), work.Count(w => w.Transfer is not null));
    }

    /// <summary>Dates the import touched, for the live update (null when an older transaction was converted).</summary>
    public static (DateOnly? From, DateOnly? To) DatesOf(ImportPlan plan) =>
        plan.Statements.SelectMany(s => s.Rows).Any(r => r.Transfer?.Side == TransferSide.ConvertImported)
            ? (null, null)
            : (plan.Statements.SelectMany(s => s.Rows).Min(r => (DateOnly?)r.Entry.Date), plan.Statements.SelectMany(s => s.Rows).Max(r => (DateOnly?)r.Entry.Date));

    private DbCommand Command(string sql, params string[] parameters)
    {
        var command = database.Command(sql, parameters);
        if (command.Parameters.Contains("@h"))
        {
            command.Parameters["@h"].Value = householdId;
        }

        return command;
    }

    private static string? PayeeName(PlannedRow row) =>
        ImportPlanner.Clean(row.Row.Suggestion.RenamedPayee, 200) ?? row.Row.Payee;

    private static string PayeeKey(string name) => ImportPlanner.Clean(TextKey.Fold(name), 200)!;

    private static IEnumerable<string> TagsOf(PlannedRow row) =>
        row.Row.Suggestion.Tags.Concat(row.Entry.Tags).Select(t => ImportPlanner.Clean(t, 40)).OfType<string>().Where(t => TextKey.Fold(t).Length > 0);

    private static string TagKey(string name) => ImportPlanner.Clean(TextKey.Fold(name), 40)!;

    /// <summary>The chosen category, else the file's own (by name), else the suggestion; null when there is none.</summary>
    private static long? CategoryOf(HouseholdFacts household, PlannedRow row, ImportChoices choices, int statement)
    {
        if (choices.Categories.TryGetValue((statement, row.Row.Index), out var chosen))
        {
            return chosen;
        }

        return CategoryByName(household, row.Entry.Category) ?? row.Row.Suggestion.CategoryId;
    }

    /// <summary>Matches "Groceries", and for QIF-style "Food:Groceries" also the last and then the first part.</summary>
    private static long? CategoryByName(HouseholdFacts household, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var parts = name.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var candidate in new[] { name }.Concat(parts.Reverse()))
        {
            if (household.Categories.TryGetValue(TextKey.Fold(candidate), out var id))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>
    /// Category lines adding up to the amount: one per category of the row's splits (QIF, receipts) when the splits have
    /// the row's sign and add up to its amount (give or take the rounding of a rate), else one line.
    /// </summary>
    private static IEnumerable<(long Category, long Amount, string? Note)> LinesOf(HouseholdFacts household, PlannedStatement statement, PlannedRow row, long mainCategory)
    {
        var total = Math.Abs(row.Row.AmountMinor);
        var splits = row.Entry.Splits;
        if (splits.Count > 1 && splits.All(s => Math.Sign(s.Amount) == Math.Sign(row.Entry.Amount)))
        {
            var currency = statement.NeedsRate ? household.BaseCurrency : statement.Currency;
            var lines = splits
                .Select(s => (Category: CategoryByName(household, s.Category) ?? mainCategory,
                    Amount: Money.ToMinor(Math.Abs(s.Amount) * (statement.Rate ?? 1m), currency), s.Memo))
                .GroupBy(l => l.Category)
                .Select(g => (Category: g.Key, Amount: g.Sum(l => l.Amount), Note: ImportPlanner.Clean(string.Join("; ", g.Select(l => l.Memo).OfType<string>()), 200)))
                .ToList();
            var difference = total - lines.Sum(l => l.Amount);
            if (Math.Abs(difference) <= splits.Count && lines.All(l => l.Amount > 0))
            {
                var largest = lines.FindIndex(l => l.Amount == lines.Max(x => x.Amount));
                lines[largest] = lines[largest] with { Amount = lines[largest].Amount + difference };
                if (lines.All(l => l.Amount > 0))
                {
                    return lines;
                }
            }
        }

        return [(mainCategory, total, null)];
    }

    private async Task<Dictionary<string, long>> UpsertPayeesAsync(Dictionary<string, long> known, IEnumerable<string?> names, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(known, StringComparer.Ordinal);
        await UpsertNamedAsync("Payees", result, names.OfType<string>().Select(n => (n, PayeeKey(n))), cancellationToken);
        return result;
    }

    private async Task<Dictionary<string, long>> UpsertTagsAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await UpsertNamedAsync("Tags", result, names.Select(n => (n, TagKey(n))), cancellationToken);
        return result;
    }

    /// <summary>The first name of each key not yet in <paramref name="ids"/> is added (or found) and its id put there.</summary>
    private async Task UpsertNamedAsync(string table, Dictionary<string, long> ids, IEnumerable<(string Name, string Key)> names, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var missing = names.Where(n => n.Key.Length > 0 && !ids.ContainsKey(n.Key) && seen.Add(n.Key)).ToList();
        await database.UpsertNamedAsync(table, householdId, missing, ids, cancellationToken);
    }

    private async Task<long> InsertBatchAsync(long accountId, string fileName, string format, PlannedStatement statement, CancellationToken cancellationToken)
    {
        using var command = Command("""
            INSERT INTO "ImportBatches" ("HouseholdId", "AccountId", "FileName", "Format", "CreatedByMemberId", "CreatedAt", "RowCount", "DuplicateCount", "Currency", "ExchangeRate", "BankConnectionId")
            VALUES (@h, @a, @f, @format, @m, @now, 0, 0, @c, @r, @bank) RETURNING "Id"
            """, "@h", "@a", "@f", "@format", "@m", "@now", "@c", "@r", "@bank");
        command.Parameters["@a"].Value = accountId;
        command.Parameters["@f"].Value = ImportPlanner.Clean(Path.GetFileName(fileName), 260) ?? "statement";
        command.Parameters["@format"].Value = format.Length <= 16 ? format : format[..16];
        command.Parameters["@m"].Value = (object?)scope.MemberId ?? DBNull.Value;
        command.Parameters["@now"].Value = now;
        command.Parameters["@c"].Value = statement.NeedsRate ? statement.Currency : DBNull.Value;
        command.Parameters["@r"].Value = statement.NeedsRate && statement.Rate is { } rate ? rate : DBNull.Value;
        command.Parameters["@bank"].Value = (object?)origin?.BankConnectionId ?? DBNull.Value;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Counts on the batch, and its one change-log entry (the rows themselves are not logged one by one).</summary>
    private async Task FinishBatchAsync(long batchId, int rows, int duplicates, string fileName, long accountId, CancellationToken cancellationToken)
    {
        using var update = Command("""UPDATE "ImportBatches" SET "RowCount" = @r, "DuplicateCount" = @d WHERE "Id" = @b AND "HouseholdId" = @h""", "@h", "@r", "@d", "@b");
        update.Parameters["@r"].Value = rows;
        update.Parameters["@d"].Value = duplicates;
        update.Parameters["@b"].Value = batchId;
        await update.ExecuteNonQueryAsync(cancellationToken);
        await ImportChangeLog.AddAsync(database, householdId, scope.UserId, now, batchId,
            new { Import = "Committed", File = Path.GetFileName(fileName), AccountId = accountId, Rows = rows, Duplicates = duplicates }, cancellationToken);
    }

    private async Task ConvertAsync(List<(long Id, long From, long To)> converted, CancellationToken cancellationToken)
    {
        if (converted.Count == 0)
        {
            return;
        }

        using var update = Command("""
            UPDATE "Transactions" SET "Kind" = 3, "AccountId" = @from, "ToAccountId" = @to, "Version" = "Version" + 1, "UpdatedAt" = @now, "UpdatedByMemberId" = @m
            WHERE "Id" = @id AND "HouseholdId" = @h
            """, "@h", "@from", "@to", "@now", "@m", "@id");
        using var lines = Command("""DELETE FROM "TransactionLines" WHERE "TransactionId" = @id AND "HouseholdId" = @h""", "@h", "@id");
        using var shares = Command("""DELETE FROM "MemberShares" WHERE "TransactionId" = @id AND "HouseholdId" = @h""", "@h", "@id");
        update.Parameters["@now"].Value = now;
        update.Parameters["@m"].Value = (object?)scope.MemberId ?? DBNull.Value;
        foreach (var (id, from, to) in converted)
        {
            update.Parameters["@id"].Value = id;
            update.Parameters["@from"].Value = from;
            update.Parameters["@to"].Value = to;
            await update.ExecuteNonQueryAsync(cancellationToken);
            lines.Parameters["@id"].Value = id;
            await lines.ExecuteNonQueryAsync(cancellationToken);
            shares.Parameters["@id"].Value = id;
            await shares.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>Where rows come from when not from a file: bank sync marks its rows and batches (<see cref="ImportBatch.BankConnectionId"/>).</summary>
internal sealed record ImportOrigin(TransactionSource Source, long? BankConnectionId);

/// <summary>The one change-log row per import batch (committed or undone).</summary>
internal static class ImportChangeLog
{
    public static async Task AddAsync(ImportDatabase database, long householdId, string? userId, DateTime at,
        long batchId, object details, CancellationToken cancellationToken)
    {
        using var command = database.Command("""
            INSERT INTO "ChangeLog" ("HouseholdId", "Entity", "EntityId", "Action", "AfterJson", "UserId", "At")
            VALUES (@h, 'ImportBatch', @id, 'Bulk', @json, @u, @at)
            """, "@h", "@id", "@json", "@u", "@at");
        command.Parameters["@h"].Value = householdId;
        command.Parameters["@id"].Value = batchId.ToString(CultureInfo.InvariantCulture);
        command.Parameters["@json"].Value = JsonSerializer.Serialize(details);
        command.Parameters["@u"].Value = (object?)userId ?? DBNull.Value;
        command.Parameters["@at"].Value = at;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
