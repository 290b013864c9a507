using System.Net.Mime;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ExpenseTracker.Web.Features.Attachments;

/// <summary>
/// <c>GET /attachments/{id}</c> (view inline; <c>?download=true</c> to save) and <c>GET /attachments/{id}/thumbnail</c>
/// for the signed-in member's current household (cookie). Only a member who can see the expense gets the file; anyone
/// else, including other households, gets 404. The type sent is the stored one (JPEG, PNG or PDF, decided from the
/// bytes at upload) with nosniff, so nothing uploaded is ever run as a page or script.
/// </summary>
public static class AttachmentsEndpoints
{
    public const string BasePath = "/attachments";

    /// <summary>
    /// On the file itself. Images render in the browser's own image document: no scripts, no plugins, sandboxed.
    /// PDFs leave out <c>sandbox</c>: Chromium refuses to start its PDF viewer in a sandboxed document (issue 413851) and
    /// runs that viewer isolated from this origin; the type is fixed to application/pdf and nosniff, so it is never HTML.
    /// </summary>
    public const string ImagePolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
    public const string PdfPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; base-uri 'none'; form-action 'none'";

    public static WebApplicationBuilder AddAttachments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AttachmentOptions>().Bind(builder.Configuration.GetSection(AttachmentOptions.Section))
            .Validate(o => o.MaxFileBytes > 0 && o.QuotaBytesPerHousehold > 0, "Attachments limits must be positive.");
        builder.Services.AddSingleton<AttachmentStore>();
        builder.Services.AddScoped<AttachmentService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAttachments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).RequireAuthorization();
        group.MapGet("/{id:long}", (long id, bool? download, HttpContext http, CurrentHousehold current, AttachmentService attachments) =>
            ServeAsync(http, current, attachments, id, thumbnail: false, download == true));
        group.MapGet("/{id:long}/thumbnail", (long id, HttpContext http, CurrentHousehold current, AttachmentService attachments) =>
            ServeAsync(http, current, attachments, id, thumbnail: true, download: false));
        return app;
    }

    /// <summary>Relative to the app's base address (links in pages and requests of the test client alike).</summary>
    public static string ViewUrl(long id) => FormattableString.Invariant($"attachments/{id}");

    public static string DownloadUrl(long id) => FormattableString.Invariant($"attachments/{id}?download=true");

    public static string ThumbnailUrl(long id) => FormattableString.Invariant($"attachments/{id}/thumbnail");

    private static async Task<Results<FileStreamHttpResult, NotFound>> ServeAsync(
        HttpContext http, CurrentHousehold current, AttachmentService attachments, long id, bool thumbnail, bool download)
    {
        if (await current.ResolveAsync(http.User, http.RequestAborted) is null
            || await attachments.OpenAsync(id, thumbnail, http.RequestAborted) is not { } file)
        {
            return TypedResults.NotFound();
        }

        Apply(http.Response, file, download);
        return TypedResults.Stream(file.Content, file.ContentType);
    }

    /// <summary>The headers every attachment response carries (also used by the REST API).</summary>
    public static void Apply(HttpResponse response, AttachmentFile file, bool download)
    {
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = file.ContentType == AttachmentTypes.Pdf && !download ? PdfPolicy : ImagePolicy;
        headers.CacheControl = "private, max-age=300";
        var disposition = new ContentDispositionHeaderValue(download ? DispositionTypeNames.Attachment : DispositionTypeNames.Inline);
        disposition.SetHttpFileName(file.FileName);
        headers.ContentDisposition = disposition.ToString();
    }
}
