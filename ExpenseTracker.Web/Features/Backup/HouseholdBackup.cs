using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Export;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Backup;

/// <summary>
/// Writes everything the current household owns (see <see cref="BackupFormat"/>) to a stream, table by table, each
/// streamed from the database: memory stays flat however big the household. Owners only.
/// </summary>
public sealed class HouseholdBackup(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time, StorageOptions storage)
{
    public static string AppVersion { get; } =
        typeof(HouseholdBackup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static void RequireOwner(HouseholdScope scope)
    {
        if (!scope.IsSet || scope.Role != MemberRole.Owner)
        {
            throw new HouseholdAccessException("Only an owner can back up or restore the household.");
        }
    }

    public Task WriteAsync(Stream output, CancellationToken cancellationToken = default)
    {
        RequireOwner(scope);

        // ZipArchive writes synchronously: it runs on a worker thread into a pipe (see StreamPump).
        return StreamPump.RunAsync(output, WriteZipAsync, cancellationToken);
    }

    private async Task WriteZipAsync(Stream output, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await db.Households.AsNoTracking().SingleAsync(cancellationToken);
        var entries = new List<BackupEntry>();
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var table in BackupFormat.Tables)
        {
            var rows = table switch
            {
                "household" => await WriteAsync(zip, table, db.Households.AsNoTracking().AsAsyncEnumerable(), cancellationToken),
                "members" => await WriteAsync(zip, table, db.Members.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "accounts" => await WriteAsync(zip, table, db.Accounts.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "categories" => await WriteAsync(zip, table, db.Categories.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "payees" => await WriteAsync(zip, table, db.Payees.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "tags" => await WriteAsync(zip, table, db.Tags.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "bills" => await WriteAsync(zip, table, db.Bills.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "importBatches" => await WriteAsync(zip, table, db.ImportBatches.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                // Soft-deleted ones too: they are restorable in the app, so they are part of the household.
                "transactions" => await WriteAsync(zip, table, db.Transactions.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AsNoTracking()
                    .OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "transactionLines" => await WriteAsync(zip, table, db.TransactionLines.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "transactionTags" => await WriteAsync(zip, table, db.TransactionTags.AsNoTracking().OrderBy(x => x.TransactionId).ThenBy(x => x.TagId)
                    .AsAsyncEnumerable(), cancellationToken),
                "memberShares" => await WriteAsync(zip, table, db.MemberShares.AsNoTracking().OrderBy(x => x.TransactionId).ThenBy(x => x.MemberId)
                    .AsAsyncEnumerable(), cancellationToken),
                "budgets" => await WriteAsync(zip, table, db.Budgets.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "budgetAmounts" => await WriteAsync(zip, table, db.BudgetAmounts.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "categoryRules" => await WriteAsync(zip, table, db.CategoryRules.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "importProfiles" => await WriteAsync(zip, table, db.ImportProfiles.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "importKeys" => await WriteAsync(zip, table, db.ImportKeys.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "notificationSettings" => await WriteAsync(zip, table, db.MemberNotificationSettings.AsNoTracking().OrderBy(x => x.MemberId).AsAsyncEnumerable(), cancellationToken),
                "notificationPreferences" => await WriteAsync(zip, table, db.NotificationPreferences.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "savedSearches" => await WriteAsync(zip, table, db.SavedSearches.AsNoTracking().OrderBy(x => x.Id).AsAsyncEnumerable(), cancellationToken),
                "attachments" => await WriteAttachmentsAsync(zip, db, cancellationToken),
                _ => throw new InvalidOperationException($"No backup query for table '{table}'."),
            };
            entries.Add(rows);
        }

        var manifest = new BackupManifest(BackupFormat.Kind, BackupFormat.Version, AppVersion, time.GetUtcNow().UtcDateTime,
            household.Id, household.Name, entries);
        await using var stream = zip.CreateEntry(BackupFormat.ManifestEntry, CompressionLevel.Fastest).Open();
        JsonSerializer.Serialize(stream, manifest, BackupFormat.Json);
    }

    /// <summary>
    /// Each attachment's bytes as <c>files/&lt;id&gt;</c> (stored, not compressed: photos and PDFs are compressed already),
    /// then the rows of those written. A row whose file has gone missing from the data folder is left out rather than
    /// making the whole backup unrestorable.
    /// </summary>
    private async Task<BackupEntry> WriteAttachmentsAsync(ZipArchive zip, AppDbContext db, CancellationToken cancellationToken)
    {
        var store = new Attachments.AttachmentStore(storage);
        var stored = await db.Attachments.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.StorageKey }).ToListAsync(cancellationToken);
        var included = new List<long>(stored.Count);
        foreach (var attachment in stored)
        {
            Stream content;
            if (attachment.StorageKey is { } key)
            {
                try
                {
                    content = store.OpenRead(key);
                }
                catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
                {
                    continue;
                }
            }
            else if (await db.Attachments.Where(a => a.Id == attachment.Id).Select(a => a.Content).SingleAsync(cancellationToken) is { } bytes)
            {
                content = new MemoryStream(bytes, writable: false);
            }
            else
            {
                continue;
            }

            await using (content)
            await using (var entry = zip.CreateEntry(BackupFormat.FileEntry(attachment.Id), CompressionLevel.NoCompression).Open())
            {
                await content.CopyToAsync(entry, cancellationToken);
            }

            included.Add(attachment.Id);
        }

        // The rows without their blobs (the JSON keeps scalars only anyway): thumbnails are made again on restore.
        var rows = db.Attachments.AsNoTracking().Where(a => included.Contains(a.Id)).OrderBy(a => a.Id)
            .Select(a => new Attachment
            {
                Id = a.Id,
                HouseholdId = a.HouseholdId,
                TransactionId = a.TransactionId,
                FileName = a.FileName,
                ContentType = a.ContentType,
                SizeBytes = a.SizeBytes,
                Sha256 = a.Sha256,
                StorageKey = a.StorageKey,
                ThumbnailContentType = a.ThumbnailContentType,
                UploadedByMemberId = a.UploadedByMemberId,
                CreatedAt = a.CreatedAt,
            });
        return await WriteAsync(zip, "attachments", rows.AsAsyncEnumerable(), cancellationToken);
    }

    /// <summary>One table as a JSON array, hashed (SHA-256 of the uncompressed bytes) while it is written.</summary>
    private static async Task<BackupEntry> WriteAsync<T>(ZipArchive zip, string table, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var name = BackupFormat.EntryName(table);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        await using (var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open())
        await using (var hashing = new HashingStream(entry, hash))
        await using (var json = new Utf8JsonWriter(hashing))
        {
            json.WriteStartArray();
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                JsonSerializer.Serialize(json, row, BackupFormat.Json);
                count++;
            }

            json.WriteEndArray();
        }

        return new BackupEntry(name, count, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Passes writes through and feeds them to a hash.</summary>
    internal sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }
    }
}
