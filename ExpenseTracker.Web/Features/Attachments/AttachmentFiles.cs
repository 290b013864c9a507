using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ExpenseTracker.Web.Features.Attachments;

/// <summary>Limits for attached files, from the <c>Attachments</c> configuration section.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>Largest single file, in bytes (default 10 MB).</summary>
    public long MaxFileBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>What one household may store in all, in bytes (default 1 GB).</summary>
    public long QuotaBytesPerHousehold { get; set; } = 1024L * 1024 * 1024;
}

/// <summary>The file types an expense may carry, decided from the first bytes of the file (never its name or claimed type).</summary>
public static class AttachmentTypes
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string Pdf = "application/pdf";

    /// <summary>For the file input's <c>accept</c> attribute.</summary>
    public const string Accept = "image/jpeg,image/png,application/pdf";

    public const string AllowedText = "JPEG or PNG photos and PDF documents";

    /// <summary>Bytes to read to decide the type.</summary>
    public const int SniffLength = 8;

    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();

    /// <summary>image/jpeg, image/png or application/pdf, or null for anything else.</summary>
    public static string? Detect(ReadOnlySpan<byte> head) =>
        head.StartsWith(JpegMagic) ? Jpeg
        : head.StartsWith(PngMagic) ? Png
        : head.StartsWith(PdfMagic) ? Pdf
        : null;

    public static bool IsImage(string contentType) => contentType is Jpeg or Png;

    public static string Extension(string contentType) => contentType switch
    {
        Jpeg => ".jpg",
        Png => ".png",
        _ => ".pdf",
    };

    /// <summary>
    /// A display and download name: the last path segment of what was uploaded, control characters, quotes and path
    /// separators replaced, at most 120 characters, with the extension of its real type.
    /// </summary>
    public static string CleanFileName(string? uploaded, string contentType)
    {
        var name = (uploaded ?? string.Empty).Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            builder.Append(char.IsControl(c) || c is '"' or '<' or '>' or ':' or '*' or '?' or '|' or ';' ? '_' : c);
        }

        var stem = Path.GetFileNameWithoutExtension(builder.ToString()).Trim().Trim('.');
        if (stem.Length == 0)
        {
            stem = contentType == Pdf ? "document" : "receipt";
        }

        if (stem.Length > 120)
        {
            stem = stem[..120];
        }

        return stem + Extension(contentType);
    }
}

/// <summary>
/// The attachments folder of the data folder: <c>attachments/&lt;householdId&gt;/&lt;random id&gt;</c>. Keys are made here
/// and checked on every use, so no name from a user ever reaches a path.
/// </summary>
public sealed partial class AttachmentStore(Infrastructure.StorageOptions storage)
{
    public string Root => storage.AttachmentsDirectory;

    /// <summary>Uploads are written here first (same volume as the store, so the final move is a rename).</summary>
    public string IncomingDirectory => Path.Combine(storage.DataDirectory, "attachments-incoming");

    public static string NewKey(long householdId) =>
        householdId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string PathOf(string key)
    {
        if (!KeyPattern().IsMatch(key))
        {
            throw new InvalidOperationException("Not an attachment storage key.");
        }

        return Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    public string HouseholdDirectory(long householdId) =>
        Path.Combine(Root, householdId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string NewIncomingPath()
    {
        Directory.CreateDirectory(IncomingDirectory);
        return Path.Combine(IncomingDirectory, Guid.NewGuid().ToString("N") + ".part");
    }

    /// <summary>Moves a finished upload into place under a new key.</summary>
    public string Commit(string incomingPath, long householdId)
    {
        var key = NewKey(householdId);
        Directory.CreateDirectory(HouseholdDirectory(householdId));
        File.Move(incomingPath, PathOf(key));
        return key;
    }

    public Stream OpenRead(string key) =>
        new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public void Delete(string? key)
    {
        if (key is not null)
        {
            File.Delete(PathOf(key));
        }
    }

    /// <summary>Removes a household's whole folder (household deletion).</summary>
    public void DeleteHousehold(long householdId)
    {
        var directory = HouseholdDirectory(householdId);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex("^[0-9]{1,19}/[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
