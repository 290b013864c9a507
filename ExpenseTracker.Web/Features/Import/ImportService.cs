using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ExpenseTracker.Web.Features.Import;

/// <summary>
/// The import pipeline: read (StatementReaders), plan against the household (<see cref="ImportPlanner"/>: accounts,
/// amounts, keys, duplicates, transfers, suggestions), write (<see cref="ImportWriter"/>: one database transaction).
/// Money in is Income, or a Refund when a category is chosen, named in the file or suggested for it (money back from
/// a shop one spends at); money out is an Expense; transfers between own accounts are neither.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<AppDbContext> dbFactory,
    HouseholdScope scope,
    TimeProvider time,
    ICategorySuggester suggester,
    IHouseholdChangePublisher publisher,
    IOptions<ImportOptions> options) : IImportService
{
    public async Task<ImportPreview> PreviewAsync(ImportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        HouseholdPermissions.Require(scope, HouseholdAction.Import);
        var read = Read(request);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await ImportPlanner.LoadHouseholdAsync(db, scope.RequireHousehold(), cancellationToken);
        var plan = await ImportPlanner.PlanAsync(db, suggester, household, request, read, new Dictionary<int, long>(), cancellationToken);
        return plan.ToPreview(request.FileName);
    }

    public async Task<ImportResult> CommitAsync(ImportRequest request, ImportChoices choices, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(choices);
        HouseholdPermissions.Require(scope, HouseholdAction.Import);
        progress?.Report(new ImportProgress(0, 1, "Reading"));
        var read = Read(request);
        return (await CommitReadAsync(request, read, choices, null, progress, cancellationToken))!;
    }

    /// <summary>
    /// Commits statements a bank-data provider parsed (bank sync) through the same plan and writer as a file: import keys
    /// (the bank's ids), rules, transfers, one batch per account. No role check here: the caller checks (a scheduled sync acts
    /// for the household, without a member). Returns null, writing nothing, when no row is new.
    /// </summary>
    internal Task<ImportResult?> CommitParsedAsync(StatementReadResult read, string batchName, IReadOnlyDictionary<int, long> accounts, ImportOrigin origin,
        CancellationToken cancellationToken = default) =>
        CommitReadAsync(new ImportRequest(batchName, [], ReaderOptions.Default), read, new ImportChoices { Accounts = accounts }, origin, null, cancellationToken);

    private async Task<ImportResult?> CommitReadAsync(ImportRequest request, StatementReadResult read, ImportChoices choices, ImportOrigin? origin,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var householdId = scope.RequireHousehold();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        ImportResult result;
        ImportPlan plan;
        try
        {
            await LockHouseholdAsync(db, householdId, cancellationToken);
            // Planned again inside the transaction: what another import committed since the preview counts as duplicate.
            progress?.Report(new ImportProgress(0, 1, "Checking"));
            var household = await ImportPlanner.LoadHouseholdAsync(db, householdId, cancellationToken);
            plan = await ImportPlanner.PlanAsync(db, suggester, household, request, read, choices.Accounts, cancellationToken);
            if (origin is not null && plan.Statements.SelectMany(s => s.Rows).All(r => r.Row.Status == PreviewRowStatus.Duplicate))
            {
                return null;
            }

            var connection = db.Database.GetDbConnection();
            var writer = new ImportWriter(ImportDatabase.For(connection, transaction.GetDbTransaction()), scope, time.GetUtcNow().UtcDateTime, origin);
            await SetCacheAsync(connection, LargeCacheKib);
            try
            {
                result = await writer.WriteAsync(plan, request.FileName, choices, progress, cancellationToken);
            }
            finally
            {
                await SetCacheAsync(connection, DefaultCacheKib);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique } or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A unique index refused a row: another writer added the same rows first (the import key; payees and tags upsert).
            throw new ImportRefusedException("Another import added some of these rows at the same moment, so nothing was imported. Open the file again to see what is still new.");
        }

        if (result.BatchIds.Count > 0)
        {
            var (from, to) = ImportWriter.DatesOf(plan);
            publisher.Publish(new HouseholdChange(householdId, HouseholdChangeKind.Transactions, time.GetUtcNow(), from, to));
        }

        return result;
    }

    public async Task UndoAsync(long batchId, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.Import);
        var householdId = scope.RequireHousehold();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = await db.ImportBatches.AsNoTracking().Where(b => b.Id == batchId)
            .Select(b => new { b.Id, b.FileName, b.UndoneAt }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new HouseholdAccessException("That import does not exist in this household.");
        if (batch.UndoneAt is not null)
        {
            throw new ImportRefusedException("That import was already undone.");
        }

        // Soft-deleted rows of the batch go too: Undo removes exactly what the import added.
        var rows = db.Transactions.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).Where(t => t.ImportBatchId == batchId);
        var range = await rows.GroupBy(_ => 1).Select(g => new { From = g.Min(t => t.Date), To = g.Max(t => t.Date), Count = g.Count() })
            .SingleOrDefaultAsync(cancellationToken);
        await db.TransactionLines.Where(l => rows.Any(t => t.Id == l.TransactionId)).ExecuteDeleteAsync(cancellationToken);
        await db.TransactionTags.Where(l => rows.Any(t => t.Id == l.TransactionId)).ExecuteDeleteAsync(cancellationToken);
        await db.MemberShares.Where(l => rows.Any(t => t.Id == l.TransactionId)).ExecuteDeleteAsync(cancellationToken);
        await db.ImportKeys.Where(k => k.ImportBatchId == batchId).ExecuteDeleteAsync(cancellationToken);
        await rows.ExecuteDeleteAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await db.ImportBatches.Where(b => b.Id == batchId)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.UndoneAt, now).SetProperty(b => b.UndoneByMemberId, scope.MemberId), cancellationToken);
        await ImportChangeLog.AddAsync(ImportDatabase.For(db.Database.GetDbConnection(), transaction.GetDbTransaction()), householdId, scope.UserId, now,
            batchId, new { Import = "Undone", File = batch.FileName, Removed = range?.Count ?? 0 }, cancellationToken);
        await transaction.CommitAsync(CancellationToken.None);
        publisher.Publish(new HouseholdChange(householdId, HouseholdChangeKind.Transactions, time.GetUtcNow(), range?.From, range?.To));
    }

    public async Task<IReadOnlyList<ImportBatchSummary>> HistoryAsync(CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ViewHouseholdReports);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ImportBatches.AsNoTracking()
            .OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id)
            .Select(b => new ImportBatchSummary(
                b.Id,
                b.FileName,
                b.Format,
                b.Account!.Name,
                db.Members.Where(m => m.Id == b.CreatedByMemberId).Select(m => m.DisplayName).FirstOrDefault(),
                b.CreatedAt,
                b.RowCount,
                b.DuplicateCount,
                b.UndoneAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>SQLITE_CONSTRAINT_UNIQUE; other constraint failures (a foreign key, a trigger) are not another import's doing.</summary>
    private const int SqliteConstraintUnique = 2067;

    /// <summary>SQLite's page cache for this connection while a batch is written (KiB); the pool keeps the connection, so it is put back.</summary>
    private const int LargeCacheKib = 65_536;
    private const int DefaultCacheKib = 2_000;

    private static async Task SetCacheAsync(System.Data.Common.DbConnection connection, int kib)
    {
        if (connection is not SqliteConnection)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size = -" + kib.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// One import at a time per household, as SQLite's write lock gives for free: on PostgreSQL a second import waits here,
    /// inside its transaction and before it plans, so it sees the first one's import keys and adds only what is still new
    /// (without the lock both would plan the same rows as new and the later one would fail on the unique import key).
    /// The lock ends with the transaction.
    /// </summary>
    private static async Task LockHouseholdAsync(AppDbContext db, long householdId, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0}, {1})", [ImportLockSpace, (int)(householdId % int.MaxValue)], cancellationToken);
        }
    }

    /// <summary>The first key of the two-key advisory lock: imports ("IMPT").</summary>
    internal const int ImportLockSpace = 0x494D5054;

    private StatementReadResult Read(ImportRequest request)
    {
        var limit = options.Value.MaxUploadBytes;
        if (request.Content.LongLength > limit)
        {
            throw new ImportRefusedException($"The file is larger than {options.Value.MaxUploadMb} MB, the most an import accepts.");
        }

        return StatementReaders.Read(request.Content, request.FileName, request.Options);
    }
}
