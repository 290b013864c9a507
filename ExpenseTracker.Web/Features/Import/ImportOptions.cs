namespace ExpenseTracker.Web.Features.Import;

/// <summary>The <c>Import</c> configuration section.</summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>Uploads above this size are refused before they are read.</summary>
    public int MaxUploadMb { get; set; } = 20;

    public long MaxUploadBytes => MaxUploadMb * 1024L * 1024L;
}
