using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Backup;

/// <summary>
/// Restores a backup into the current household, which must be empty (just created: its owner, the default categories and
/// account, nothing else). The file is checked whole first (a zip, a manifest of a known format version, every table's
/// SHA-256); then, in one database transaction, the defaults go and every row is inserted with new ids and its references
/// remapped. Anything wrong leaves the database exactly as it was. Owners only.
/// <para>
/// Members: the backup's member who is the person restoring (same user id), else the backup's first owner, becomes the
/// restoring owner's own membership; the others come back as members without a sign-in (their accounts are not linked
/// to the new household: an owner invites them again). Invitations and the change log are not part of a backup.
/// </para>
/// </summary>
public sealed class HouseholdRestore(
    IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, StorageOptions storage, TimeProvider time,
    IHouseholdChangePublisher changes, ILogger<HouseholdRestore> logger)
{
    public const int BatchSize = 2_000;
    public const long MaxBackupBytes = 512L * 1024 * 1024;

    public const string DamagedMessage = "This file is damaged or incomplete (not a whole ExpenseTracker backup). Nothing was changed.";

    public async Task<RestoreResult> RestoreAsync(Stream upload, CancellationToken cancellationToken = default)
    {
        HouseholdBackup.RequireOwner(scope);

        // The upload goes to a temporary file first: a zip is read from its end, and memory stays flat.
        var path = Path.Combine(storage.DataDirectory, "restore-" + Guid.NewGuid().ToString("N") + ".zip");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await CopyBoundedAsync(upload, file, cancellationToken);
        file.Position = 0;

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new BackupRejectedException(DamagedMessage, ex);
        }

        using (zip)
        {
            var manifest = await ReadManifestAsync(zip, cancellationToken);
            await VerifyChecksumsAsync(zip, manifest, cancellationToken);
            var files = new List<string>();
            try
            {
                return await ImportAsync(zip, manifest, files, cancellationToken);
            }
            catch
            {
                // The rows were rolled back: the attachment files written for them go too.
                var store = new Attachments.AttachmentStore(storage);
                files.ForEach(store.Delete);
                throw;
            }
        }
    }

    private static async Task CopyBoundedAsync(Stream upload, Stream file, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await upload.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxBackupBytes)
            {
                throw new BackupRejectedException($"The file is larger than {MaxBackupBytes / 1024 / 1024} MB. Nothing was changed.");
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static async Task<BackupManifest> ReadManifestAsync(ZipArchive zip, CancellationToken cancellationToken)
    {
        var entry = zip.GetEntry(BackupFormat.ManifestEntry)
            ?? throw new BackupRejectedException("This is not an ExpenseTracker household backup (it has no manifest). Nothing was changed.");
        BackupManifest? manifest;
        try
        {
            await using var stream = entry.Open();
            manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, BackupFormat.Json, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or NotSupportedException)
        {
            throw new BackupRejectedException(DamagedMessage, ex);
        }

        if (manifest is null || manifest.Format != BackupFormat.Kind || manifest.Entries is null)
        {
            throw new BackupRejectedException("This is not an ExpenseTracker household backup. Nothing was changed.");
        }

        if (manifest.FormatVersion > BackupFormat.Version)
        {
            throw new BackupRejectedException(
                $"This backup was made by a newer version of ExpenseTracker (backup format {manifest.FormatVersion}; this version reads up to {BackupFormat.Version}). Update the app, then restore. Nothing was changed.");
        }

        if (manifest.FormatVersion < 1)
        {
            throw new BackupRejectedException("This backup has an unknown format version. Nothing was changed.");
        }

        var missing = BackupFormat.Tables.Where(t => BackupFormat.Holds(t, manifest.FormatVersion) && manifest.Entries.All(e => e.Name != BackupFormat.EntryName(t))).ToList();
        if (missing.Count > 0)
        {
            throw new BackupRejectedException($"This backup is incomplete: {string.Join(", ", missing)} missing. Nothing was changed.");
        }

        return manifest;
    }

    /// <summary>Every table file against the manifest's SHA-256: a damaged or edited file is refused before anything is written.</summary>
    private static async Task VerifyChecksumsAsync(ZipArchive zip, BackupManifest manifest, CancellationToken cancellationToken)
    {
        foreach (var expected in manifest.Entries)
        {
            var entry = zip.GetEntry(expected.Name) ?? throw new BackupRejectedException($"This backup is incomplete: {expected.Name} is missing. Nothing was changed.");
            byte[] actual;
            try
            {
                await using var stream = entry.Open();
                actual = await SHA256.HashDataAsync(stream, cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                throw new BackupRejectedException(DamagedMessage, ex);
            }

            if (!string.Equals(Convert.ToHexStringLower(actual), expected.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new BackupRejectedException($"This backup's {expected.Name} does not match its checksum: the file was damaged or changed. Nothing was changed.");
            }
        }
    }

    private async Task<RestoreResult> ImportAsync(ZipArchive zip, BackupManifest manifest, List<string> files, CancellationToken cancellationToken)
    {
        var householdId = scope.RequireHousehold();
        await using var probe = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connectionString = probe.Database.GetConnectionString()!;

        // No per-row change log (one summary entry instead) and no per-save live notification: one after the commit.
        await using var db = probe.Database.IsNpgsql() ? PostgresBulkContext(connectionString) : DemoDataWriter.CreateBulkContext(connectionString, scope);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RequireEmptyAsync(db, cancellationToken);

        var maps = new IdMaps();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            var household = await ReadAsync<Household>(zip, "household", cancellationToken).SingleAsync(cancellationToken);
            await PrepareTargetAsync(db, household, cancellationToken);
            var me = await db.Members.SingleAsync(m => m.Id == scope.MemberId, cancellationToken);
            counts["household"] = 1;
            counts["members"] = await RestoreMembersAsync(db, zip, me, maps, cancellationToken);
            counts["accounts"] = await InsertAsync<PaymentAccount>(db, zip, "accounts", maps, maps.Accounts, (r, m) => { }, a => a.Id, cancellationToken);
            counts["categories"] = await InsertAsync<Category>(db, zip, "categories", maps, maps.Categories, (r, m) => { }, c => c.Id, cancellationToken);
            counts["payees"] = await InsertAsync<Payee>(db, zip, "payees", maps, maps.Payees, (r, m) => { }, p => p.Id, cancellationToken);
            counts["tags"] = await InsertAsync<Tag>(db, zip, "tags", maps, maps.Tags, (r, m) => { }, t => t.Id, cancellationToken);
            if (BackupFormat.Holds("bills", manifest.FormatVersion))
            {
                counts["bills"] = await InsertAsync<Bill>(db, zip, "bills", maps, maps.Bills, (r, m) =>
                {
                    r.PayeeId = m.Payees.OfOptional(r.PayeeId);
                    r.CategoryId = m.Categories.OfOptional(r.CategoryId);
                    r.AccountId = m.Accounts.OfOptional(r.AccountId);
                    r.OwnerMemberId = m.Members.OfOptional(r.OwnerMemberId);
                }, b => b.Id, cancellationToken);
            }

            counts["importBatches"] = await InsertAsync<ImportBatch>(db, zip, "importBatches", maps, maps.ImportBatches, (r, m) =>
            {
                r.AccountId = m.Accounts.Of(r.AccountId);
                r.CreatedByMemberId = m.Members.OfOptional(r.CreatedByMemberId);
                r.UndoneByMemberId = m.Members.OfOptional(r.UndoneByMemberId);
            }, b => b.Id, cancellationToken);
            counts["transactions"] = await InsertAsync<Transaction>(db, zip, "transactions", maps, maps.Transactions, (r, m) =>
            {
                r.PayeeId = m.Payees.OfOptional(r.PayeeId);
                r.AccountId = m.Accounts.Of(r.AccountId);
                r.ToAccountId = m.Accounts.OfOptional(r.ToAccountId);
                r.PaidByMemberId = m.Members.OfOptional(r.PaidByMemberId);
                r.CreatedByMemberId = m.Members.OfOptional(r.CreatedByMemberId);
                r.UpdatedByMemberId = m.Members.OfOptional(r.UpdatedByMemberId);
                r.DeletedByMemberId = m.Members.OfOptional(r.DeletedByMemberId);
                r.ImportBatchId = m.ImportBatches.OfOptional(r.ImportBatchId);
                r.BillId = m.Bills.OfOptional(r.BillId);
            }, t => t.Id, cancellationToken);
            counts["transactionLines"] = await InsertAsync<TransactionLine>(db, zip, "transactionLines", maps, null, (r, m) =>
            {
                r.TransactionId = m.Transactions.Of(r.TransactionId);
                r.CategoryId = m.Categories.Of(r.CategoryId);
            }, l => l.Id, cancellationToken);
            counts["transactionTags"] = await InsertAsync<TransactionTag>(db, zip, "transactionTags", maps, null, (r, m) =>
            {
                r.TransactionId = m.Transactions.Of(r.TransactionId);
                r.TagId = m.Tags.Of(r.TagId);
            }, null, cancellationToken);
            counts["memberShares"] = await InsertAsync<MemberShare>(db, zip, "memberShares", maps, null, (r, m) =>
            {
                r.TransactionId = m.Transactions.Of(r.TransactionId);
                r.MemberId = m.Members.Of(r.MemberId);
            }, null, cancellationToken);
            counts["budgets"] = await InsertAsync<Budget>(db, zip, "budgets", maps, maps.Budgets, (r, m) =>
            {
                r.CategoryId = m.Categories.OfOptional(r.CategoryId);
                r.MemberId = m.Members.OfOptional(r.MemberId);
            }, b => b.Id, cancellationToken);
            counts["budgetAmounts"] = await InsertAsync<BudgetAmount>(db, zip, "budgetAmounts", maps, null, (r, m) => r.BudgetId = m.Budgets.Of(r.BudgetId), a => a.Id, cancellationToken);
            counts["categoryRules"] = await InsertAsync<CategoryRule>(db, zip, "categoryRules", maps, null, (r, m) => r.CategoryId = m.Categories.OfOptional(r.CategoryId), r => r.Id, cancellationToken);
            counts["importProfiles"] = await InsertAsync<ImportProfile>(db, zip, "importProfiles", maps, null, (r, m) => r.AccountId = m.Accounts.OfOptional(r.AccountId), p => p.Id, cancellationToken);
            counts["importKeys"] = await InsertAsync<ImportKey>(db, zip, "importKeys", maps, null, (r, m) =>
            {
                r.AccountId = m.Accounts.Of(r.AccountId);
                r.ImportBatchId = m.ImportBatches.Of(r.ImportBatchId);
                r.TransactionId = r.TransactionId is { } t && m.Transactions.TryGetValue(t, out var mapped) ? mapped : null;
            }, k => k.Id, cancellationToken);
            if (BackupFormat.Holds("notificationSettings", manifest.FormatVersion))
            {
                // The restoring owner may have set their own choices in the empty household: the backup's win.
                await db.MemberNotificationSettings.ExecuteDeleteAsync(cancellationToken);
                await db.NotificationPreferences.ExecuteDeleteAsync(cancellationToken);
                counts["notificationSettings"] = await InsertAsync<MemberNotificationSettings>(db, zip, "notificationSettings", maps, null,
                    (r, m) => r.MemberId = m.Members.Of(r.MemberId), null, cancellationToken);
                counts["notificationPreferences"] = await InsertAsync<NotificationPreference>(db, zip, "notificationPreferences", maps, null,
                    (r, m) => r.MemberId = m.Members.Of(r.MemberId), p => p.Id, cancellationToken);
                await db.SavedSearches.ExecuteDeleteAsync(cancellationToken);
                counts["savedSearches"] = await InsertAsync<SavedSearch>(db, zip, "savedSearches", maps, null,
                    (r, m) => r.MemberId = m.Members.Of(r.MemberId), s => s.Id, cancellationToken);
            }

            if (BackupFormat.Holds("attachments", manifest.FormatVersion))
            {
                counts["attachments"] = await RestoreAttachmentsAsync(db, zip, maps, files, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or KeyNotFoundException or InvalidOperationException or DbUpdateException)
        {
            // The transaction is disposed without a commit: nothing of this restore stays.
            logger.LogWarning(ex, "Restore into household {HouseholdId} refused", householdId);
            throw new BackupRejectedException("This backup's data is not consistent (malformed or referring to rows it does not contain). Nothing was changed.", ex);
        }

        foreach (var entry in manifest.Entries)
        {
            var table = entry.Name[..^".json".Length];
            if (counts.GetValueOrDefault(table) != entry.Rows)
            {
                throw new BackupRejectedException($"This backup's {entry.Name} holds a different number of rows than its manifest says. Nothing was changed.");
            }
        }

        ChangeLogInterceptor.AddBulkEntry(db, time, nameof(Household), "Restore",
            new { manifest.HouseholdName, manifest.CreatedAt, manifest.AppVersion, Rows = counts });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Publish(new HouseholdChange(householdId,
            HouseholdChangeKind.Transactions | HouseholdChangeKind.Budgets | HouseholdChangeKind.Categories | HouseholdChangeKind.Members | HouseholdChangeKind.Accounts,
            time.GetUtcNow()));
        logger.LogInformation("Restored backup of {Name} into household {HouseholdId}: {Transactions} transaction(s)", manifest.HouseholdName, householdId, counts["transactions"]);
        return new RestoreResult(manifest.HouseholdName, counts);
    }

    /// <summary>
    /// Each attachment row with its <c>files/&lt;old id&gt;</c> entry: the bytes are checked against the row's size and
    /// SHA-256 and their type against its first bytes, written into this household's folder under a new key, and the
    /// thumbnail made again. The household quota does not apply: this is the household's own data coming back.
    /// </summary>
    private async Task<long> RestoreAttachmentsAsync(AppDbContext db, ZipArchive zip, IdMaps maps, List<string> files, CancellationToken cancellationToken)
    {
        var store = new Attachments.AttachmentStore(storage);
        var householdId = scope.RequireHousehold();
        long count = 0;
        await foreach (var row in ReadAsync<Attachment>(zip, "attachments", cancellationToken))
        {
            var entry = zip.GetEntry(BackupFormat.FileEntry(row.Id)) ?? throw new InvalidDataException($"The file of attachment {row.Id} is missing.");
            var incoming = store.NewIncomingPath();
            try
            {
                await using (var file = new FileStream(incoming, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
                {
                    await using (var source = entry.Open())
                    {
                        await source.CopyToAsync(file, cancellationToken);
                    }

                    file.Position = 0;
                    var head = new byte[Attachments.AttachmentTypes.SniffLength];
                    var headLength = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
                    file.Position = 0;
                    var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
                    if (file.Length != row.SizeBytes || !string.Equals(hash, row.Sha256, StringComparison.OrdinalIgnoreCase)
                        || Attachments.AttachmentTypes.Detect(head.AsSpan(0, headLength)) != row.ContentType)
                    {
                        throw new InvalidDataException($"The file of attachment {row.Id} does not match its checksum or type.");
                    }

                    row.Thumbnail = null;
                    row.ThumbnailContentType = null;
                    if (Attachments.AttachmentTypes.IsImage(row.ContentType))
                    {
                        file.Position = 0;
                        try
                        {
                            var thumbnail = Attachments.AttachmentThumbnails.Create(file, row.ContentType);
                            (row.Thumbnail, row.ThumbnailContentType) = (thumbnail.Bytes, thumbnail.ContentType);
                        }
                        catch (FieldValidationException)
                        {
                            // Accepted once by an older rule set: kept, shown without a preview.
                        }
                    }
                }

                var key = store.Commit(incoming, householdId);
                files.Add(key);
                row.StorageKey = key;
            }
            finally
            {
                File.Delete(incoming);
            }

            row.Id = 0;
            row.HouseholdId = 0;
            row.Content = null;
            row.TransactionId = maps.Transactions.Of(row.TransactionId);
            row.UploadedByMemberId = maps.Members.OfOptional(row.UploadedByMemberId);
            db.Add(row);
            count++;
            if (count % 100 == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return count;
    }

    /// <summary>A context without the change-log and live-update interceptors, on PostgreSQL.</summary>
    private AppDbContext PostgresBulkContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        DataServiceCollectionExtensions.UsePostgres(options, connectionString);
        return new AppDbContext(options.Options, scope);
    }

    /// <summary>Empty: no transactions (deleted ones count), budgets, rules, import history or profiles, and no other member.</summary>
    private async Task RequireEmptyAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var used = await db.Transactions.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AnyAsync(cancellationToken)
            || await db.Budgets.AnyAsync(cancellationToken)
            || await db.CategoryRules.AnyAsync(cancellationToken)
            || await db.Bills.AnyAsync(cancellationToken)
            || await db.ImportBatches.AnyAsync(cancellationToken)
            || await db.ImportKeys.AnyAsync(cancellationToken)
            || await db.ImportProfiles.AnyAsync(cancellationToken)
            || await db.Members.AnyAsync(m => m.Id != scope.MemberId, cancellationToken);
        if (used)
        {
            throw new BackupRejectedException(
                "A backup can only be restored into an empty household: one with no expenses, budgets, bills, rules or imports and no other members. Create a new household for it. Nothing was changed.");
        }
    }

    /// <summary>The household takes the backup's settings; its unused default categories, accounts, payees and tags go.</summary>
    private static async Task PrepareTargetAsync(AppDbContext db, Household backup, CancellationToken cancellationToken)
    {
        if (!Currencies.IsKnown(backup.BaseCurrency))
        {
            throw new InvalidOperationException("Unknown currency in the backup.");
        }

        var target = await db.Households.AsTracking().SingleAsync(cancellationToken);
        target.Name = backup.Name;
        target.BaseCurrency = backup.BaseCurrency;
        target.TimeZoneId = backup.TimeZoneId;
        target.FirstDayOfWeek = backup.FirstDayOfWeek;
        target.MonthStartDay = backup.MonthStartDay;
        target.Culture = backup.Culture;
        target.CreatedAt = backup.CreatedAt;
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await db.Categories.ExecuteDeleteAsync(cancellationToken);
        await db.Accounts.ExecuteDeleteAsync(cancellationToken);
        await db.Payees.ExecuteDeleteAsync(cancellationToken);
        await db.Tags.ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<long> RestoreMembersAsync(AppDbContext db, ZipArchive zip, Member me, IdMaps maps, CancellationToken cancellationToken)
    {
        var members = await ReadAsync<Member>(zip, "members", cancellationToken).ToListAsync(cancellationToken);
        var mine = members.FirstOrDefault(m => m.UserId is not null && m.UserId == scope.UserId)
            ?? members.Where(m => m.Role == MemberRole.Owner && m.LeftAt == null).MinBy(m => m.Id)
            ?? throw new InvalidOperationException("The backup has no owner.");
        foreach (var member in members)
        {
            if (member == mine)
            {
                var tracked = db.Members.Attach(me);
                me.DisplayName = member.DisplayName;
                me.Color = member.Color;
                me.JoinedAt = member.JoinedAt;
                tracked.State = EntityState.Modified;
                maps.Members[member.Id] = me.Id;
                continue;
            }

            var oldId = member.Id;
            member.Id = 0;
            member.HouseholdId = 0;
            member.UserId = null;
            db.Members.Add(member);
            await db.SaveChangesAsync(cancellationToken);
            maps.Members[oldId] = member.Id;
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return members.Count;
    }

    /// <summary>
    /// Inserts one table file in batches: each row gets this household, a new id (old → new recorded in
    /// <paramref name="map"/>), and its references remapped by <paramref name="remap"/>.
    /// </summary>
    private static async Task<long> InsertAsync<T>(
        AppDbContext db, ZipArchive zip, string table, IdMaps maps, Dictionary<long, long>? map, Action<T, IdMaps> remap, Func<T, long>? idOf,
        CancellationToken cancellationToken)
        where T : class, IHouseholdOwned
    {
        long count = 0;
        var batch = new List<(long OldId, T Row)>(BatchSize);
        await foreach (var row in ReadAsync<T>(zip, table, cancellationToken))
        {
            var oldId = idOf?.Invoke(row) ?? 0;
            remap(row, maps);
            row.HouseholdId = 0;
            if (idOf is not null)
            {
                db.Entry(row).Property("Id").CurrentValue = 0L;
            }

            db.Add(row);
            batch.Add((oldId, row));
            count++;
            if (batch.Count == BatchSize)
            {
                await FlushAsync(db, batch, map, idOf, cancellationToken);
            }
        }

        await FlushAsync(db, batch, map, idOf, cancellationToken);
        return count;
    }

    private static async Task FlushAsync<T>(AppDbContext db, List<(long OldId, T Row)> batch, Dictionary<long, long>? map, Func<T, long>? idOf, CancellationToken cancellationToken)
        where T : class
    {
        await db.SaveChangesAsync(cancellationToken);
        if (map is not null && idOf is not null)
        {
            foreach (var (oldId, row) in batch)
            {
                map[oldId] = idOf(row);
            }
        }

        db.ChangeTracker.Clear();
        batch.Clear();
    }

    /// <summary>The rows of one table file, read as they are needed.</summary>
    private static async IAsyncEnumerable<T> ReadAsync<T>(ZipArchive zip, string table, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var entry = zip.GetEntry(BackupFormat.EntryName(table)) ?? throw new InvalidDataException($"{table} is missing.");
        await using var stream = entry.Open();
        await foreach (var row in JsonSerializer.DeserializeAsyncEnumerable<T>(stream, BackupFormat.Json, cancellationToken))
        {
            yield return row ?? throw new JsonException($"An empty row in {table}.");
        }
    }

    /// <summary>Old id → new id, per table that others refer to.</summary>
    private sealed class IdMaps
    {
        public Dictionary<long, long> Members { get; } = [];
        public Dictionary<long, long> Accounts { get; } = [];
        public Dictionary<long, long> Categories { get; } = [];
        public Dictionary<long, long> Payees { get; } = [];
        public Dictionary<long, long> Tags { get; } = [];
        public Dictionary<long, long> ImportBatches { get; } = [];
        public Dictionary<long, long> Bills { get; } = [];
        public Dictionary<long, long> Transactions { get; } = [];
        public Dictionary<long, long> Budgets { get; } = [];
    }
}

internal static class IdMapExtensions
{
    /// <summary>The new id of a row the backup refers to; a reference to a row it does not contain is refused.</summary>
    public static long Of(this Dictionary<long, long> map, long oldId) =>
        map.TryGetValue(oldId, out var id) ? id : throw new KeyNotFoundException($"A reference to row {oldId} that the backup does not contain.");

    public static long? OfOptional(this Dictionary<long, long> map, long? oldId) => oldId is { } id ? map.Of(id) : null;
}
