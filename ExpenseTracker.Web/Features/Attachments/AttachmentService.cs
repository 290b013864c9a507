using System.Globalization;
using System.Security.Cryptography;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Web.Features.Attachments;

/// <summary>One attached file as lists show it.</summary>
public sealed record AttachmentInfo(
    long Id, long TransactionId, string FileName, string ContentType, long SizeBytes, bool HasThumbnail, DateTime CreatedAt, string? UploadedBy)
{
    public bool IsImage => AttachmentTypes.IsImage(ContentType);
}

/// <summary>What the household stores, against its quota.</summary>
public sealed record AttachmentUsage(long UsedBytes, long QuotaBytes, int Count)
{
    public double Fraction => QuotaBytes <= 0 ? 1 : Math.Min(1, (double)UsedBytes / QuotaBytes);

    public string Text => $"{AttachmentService.FormatSize(UsedBytes)} of {AttachmentService.FormatSize(QuotaBytes)} used";
}

/// <summary>A file to send: its name, its type as stored, and its bytes.</summary>
public sealed record AttachmentFile(string FileName, string ContentType, Stream Content);

/// <summary>
/// Receipts on expenses. Reads apply <see cref="TransactionVisibility.VisibleTo"/> through the expense (a private
/// expense's files only for its author, a child's only their own); writes load the expense through
/// <see cref="TransactionVisibility.EditableBy"/> (viewers refused). An upload is written to a temporary file while it
/// is hashed and bounded, its type is decided from its first bytes, images are decoded for a thumbnail, the quota is
/// checked, and only then is the file moved into the household's folder and its row inserted; anything refused leaves no
/// row and no file. Files of a soft-deleted expense stay (restoring the expense brings them back) and are not served
/// while it is deleted; deleting the household removes them.
/// </summary>
public sealed class AttachmentService(
    IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, AttachmentStore store, IOptions<AttachmentOptions> options,
    TimeProvider time, ILogger<AttachmentService> logger)
{
    public AttachmentOptions Limits => options.Value;

    public async Task<AttachmentInfo> UploadAsync(
        long transactionId, string? fileName, Stream content, long? declaredSize = null, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.LogTransaction);
        var householdId = scope.RequireHousehold();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Transactions.EditableBy(scope).AnyAsync(t => t.Id == transactionId, cancellationToken))
        {
            throw new NotFoundException("That expense");
        }

        var limits = Limits;
        if (declaredSize > limits.MaxFileBytes)
        {
            throw TooLarge(limits);
        }

        var incoming = store.NewIncomingPath();
        string? key = null;
        long id;
        try
        {
            var (size, sha256, contentType, thumbnail) = await ReceiveAsync(incoming, content, limits, cancellationToken);
            var used = await db.Attachments.SumAsync(a => a.SizeBytes, cancellationToken);
            if (used + size > limits.QuotaBytesPerHousehold)
            {
                throw new FieldValidationException("File",
                    $"This would go over the household's storage for receipts ({FormatSize(used)} of {FormatSize(limits.QuotaBytesPerHousehold)} used, this file is {FormatSize(size)}). Delete attachments you no longer need. Nothing was saved.");
            }

            key = store.Commit(incoming, householdId);
            var attachment = new Attachment
            {
                TransactionId = transactionId,
                FileName = AttachmentTypes.CleanFileName(fileName, contentType),
                ContentType = contentType,
                SizeBytes = size,
                Sha256 = sha256,
                StorageKey = key,
                Thumbnail = thumbnail?.Bytes,
                ThumbnailContentType = thumbnail?.ContentType,
                UploadedByMemberId = scope.MemberId,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            db.Attachments.Add(attachment);
            await db.SaveChangesAsync(cancellationToken);
            id = attachment.Id;
            logger.LogInformation("Attached {ContentType} of {Size} bytes to transaction {TransactionId}", contentType, size, transactionId);
        }
        catch
        {
            // Nothing of a refused or failed upload stays: the row was not saved, so its file goes too.
            TryDelete(key);
            throw;
        }
        finally
        {
            File.Delete(incoming);
        }

        return (await ListAsync(db, transactionId, id, cancellationToken)).Single();
    }

    /// <summary>Copies the upload to <paramref name="path"/> (bounded, hashed), decides its type and makes the thumbnail.</summary>
    private static async Task<(long Size, string Sha256, string ContentType, Thumbnail? Thumbnail)> ReceiveAsync(
        string path, Stream content, AttachmentOptions limits, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        var head = new byte[AttachmentTypes.SniffLength];
        var headLength = 0;
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            size += read;
            if (size > limits.MaxFileBytes)
            {
                throw TooLarge(limits);
            }

            if (headLength < head.Length)
            {
                var take = Math.Min(head.Length - headLength, read);
                buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                headLength += take;
            }

            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        if (size == 0)
        {
            throw new FieldValidationException("File", "The file is empty. Nothing was saved.");
        }

        var contentType = AttachmentTypes.Detect(head.AsSpan(0, headLength))
            ?? throw new FieldValidationException("File",
                $"This type of file cannot be attached. Allowed: {AttachmentTypes.AllowedText}. The file's content decides, not its name. Nothing was saved.");
        Thumbnail? thumbnail = null;
        if (AttachmentTypes.IsImage(contentType))
        {
            file.Position = 0;
            thumbnail = AttachmentThumbnails.Create(file, contentType);
        }

        await file.FlushAsync(cancellationToken);
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()), contentType, thumbnail);
    }

    /// <summary>The refusal of a file over <see cref="AttachmentOptions.MaxFileBytes"/> (also before reading, from the size a browser declares).</summary>
    public static FieldValidationException TooLarge(AttachmentOptions limits) =>
        new("File", $"The file is larger than {FormatSize(limits.MaxFileBytes)}, the most one attachment may be. Nothing was saved.");

    /// <summary>The files on an expense the member can see (none for one they cannot), oldest first.</summary>
    public async Task<IReadOnlyList<AttachmentInfo>> ListAsync(long transactionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ListAsync(db, transactionId, null, cancellationToken);
    }

    private async Task<List<AttachmentInfo>> ListAsync(AppDbContext db, long transactionId, long? id, CancellationToken cancellationToken)
    {
        var visible = db.Transactions.VisibleTo(scope);
        var query = db.Attachments.AsNoTracking().Where(a => a.TransactionId == transactionId && visible.Any(t => t.Id == a.TransactionId));
        if (id is { } only)
        {
            query = query.Where(a => a.Id == only);
        }

        return await query.OrderBy(a => a.Id)
            .Select(a => new AttachmentInfo(a.Id, a.TransactionId, a.FileName, a.ContentType, a.SizeBytes, a.Thumbnail != null, a.CreatedAt,
                db.Members.Where(m => m.Id == a.UploadedByMemberId).Select(m => m.DisplayName).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }

    /// <summary>How many files each of these expenses carries (those without any are left out): one query for a page of a list.</summary>
    public async Task<IReadOnlyDictionary<long, int>> CountByExpenseAsync(IReadOnlyCollection<long> transactionIds, CancellationToken cancellationToken = default)
    {
        if (transactionIds.Count == 0)
        {
            return new Dictionary<long, int>();
        }

        var ids = transactionIds.ToArray();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attachments.AsNoTracking().Where(a => ids.Contains(a.TransactionId))
            .GroupBy(a => a.TransactionId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
    }

    public async Task<AttachmentUsage> UsageAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var totals = await db.Attachments.AsNoTracking().GroupBy(_ => 1)
            .Select(g => new { Bytes = g.Sum(a => a.SizeBytes), Count = g.Count() })
            .FirstOrDefaultAsync(cancellationToken);
        return new AttachmentUsage(totals?.Bytes ?? 0, Limits.QuotaBytesPerHousehold, totals?.Count ?? 0);
    }

    /// <summary>The file (or its thumbnail) if the member can see its expense; null otherwise ("not yours" is not found).</summary>
    public async Task<AttachmentFile?> OpenAsync(long id, bool thumbnail = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = db.Transactions.VisibleTo(scope);
        var row = await db.Attachments.AsNoTracking()
            .Where(a => a.Id == id && visible.Any(t => t.Id == a.TransactionId))
            .Select(a => new
            {
                a.FileName,
                a.ContentType,
                a.StorageKey,
                Content = thumbnail || a.StorageKey != null ? null : a.Content,
                Thumbnail = thumbnail ? a.Thumbnail : null,
                a.ThumbnailContentType,
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (thumbnail)
        {
            return row.Thumbnail is { } bytes && row.ThumbnailContentType is { } type
                ? new AttachmentFile(row.FileName, type, new MemoryStream(bytes, writable: false))
                : null;
        }

        if (row.StorageKey is null)
        {
            return row.Content is { } content ? new AttachmentFile(row.FileName, row.ContentType, new MemoryStream(content, writable: false)) : null;
        }

        try
        {
            return new AttachmentFile(row.FileName, row.ContentType, store.OpenRead(row.StorageKey));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            logger.LogWarning("Attachment {Id} has no file at {Key}", id, row.StorageKey);
            return null;
        }
    }

    /// <summary>Removes a file from an expense the member may edit.</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.LogTransaction);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var editable = db.Transactions.EditableBy(scope);
        var attachment = await db.Attachments.AsTracking()
            .Where(a => a.Id == id && editable.Any(t => t.Id == a.TransactionId))
            .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("That attachment");
        db.Attachments.Remove(attachment);
        await db.SaveChangesAsync(cancellationToken);
        TryDelete(attachment.StorageKey);
    }

    private void TryDelete(string? key)
    {
        try
        {
            store.Delete(key);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not remove attachment file {Key}", key);
        }
    }

    /// <summary>"512 B", "3.4 MB", "1 GB": binary units, invariant culture.</summary>
    public static string FormatSize(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : value.ToString(value >= 10 || value % 1 == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
