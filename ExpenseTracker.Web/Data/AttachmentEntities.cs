namespace ExpenseTracker.Web.Data;

/// <summary>
/// A file attached to an expense: a receipt photo (JPEG, PNG) or a PDF. The bytes live in the data folder under
/// <c>attachments/</c> at <see cref="StorageKey"/> (relative path) on SQLite, or in <see cref="Content"/> when the
/// install keeps files in the database. Counted against the household's quota by <see cref="SizeBytes"/>.
/// </summary>
public sealed class Attachment : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long TransactionId { get; set; }
    public Transaction? Transaction { get; set; }

    /// <summary>The name the file was uploaded with, cleaned for display and download.</summary>
    public required string FileName { get; set; }

    /// <summary>Decided from the file's magic bytes, never from the upload's claim: image/jpeg, image/png or application/pdf.</summary>
    public required string ContentType { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public required string Sha256 { get; set; }

    /// <summary>Path relative to the attachments folder; null when <see cref="Content"/> holds the bytes.</summary>
    public string? StorageKey { get; set; }

    public byte[]? Content { get; set; }

    /// <summary>A small preview image (PNG or JPEG) for images; null for PDFs.</summary>
    public byte[]? Thumbnail { get; set; }

    public string? ThumbnailContentType { get; set; }
    public long? UploadedByMemberId { get; set; }
    public DateTime CreatedAt { get; set; }
}
