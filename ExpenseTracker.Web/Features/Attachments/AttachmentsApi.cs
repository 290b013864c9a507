using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Attachments;

/// <summary>What the API shows of an attached file.</summary>
public sealed record ApiAttachment(
    long Id, long ExpenseId, string FileName, string ContentType, long SizeBytes, bool HasThumbnail, DateTime CreatedAt, string? UploadedBy, string ContentUrl);

/// <summary>The multipart form of an upload (for the OpenAPI document).</summary>
public sealed record ApiAttachmentUpload(IFormFile File);

/// <summary>
/// <c>/api/v1/expenses/{id}/attachments</c> (list, upload) and <c>/api/v1/attachments/{id}</c> (content, delete), through
/// <see cref="AttachmentService"/>: the token's member sees and changes what they could in the app.
/// </summary>
public static class AttachmentsApi
{
    public static RouteGroupBuilder MapAttachmentsApi(this RouteGroupBuilder api)
    {
        var attachments = api.MapGroup("").WithTags("Attachments");
        attachments.MapGet("/expenses/{id:long}/attachments", async (long id, AttachmentService service, Expenses.ExpenseService expenses, CancellationToken ct) =>
            {
                await expenses.GetAsync(id, ct); // 404 for an expense the member cannot see, as for the expense itself
                return TypedResults.Ok((await service.ListAsync(id, ct)).Select(ToApi).ToList());
            })
            .WithName("ListExpenseAttachments")
            .WithSummary("The receipts (JPEG, PNG, PDF) attached to an expense the member can see; 404 for any other id.")
            .Produces<List<ApiAttachment>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        attachments.MapPost("/expenses/{id:long}/attachments", UploadAsync)
            .Accepts<ApiAttachmentUpload>("multipart/form-data")
            .Writes("AttachToExpense", "Attaches a JPEG, PNG or PDF (form field: file) to an expense; the type is decided from the file's bytes. "
                + "201 with the attachment; 400 for another type, an empty file or one over the household quota; 413 over the size limit.",
                StatusCodes.Status201Created, typeof(ApiAttachment))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        attachments.MapGet("/attachments/{id:long}/content", async Task<IResult> (long id, bool? download, AttachmentService service, HttpContext http) =>
            {
                if (await service.OpenAsync(id, thumbnail: false, http.RequestAborted) is not { } file)
                {
                    return ApiProblems.NotFound("That attachment was not found.");
                }

                AttachmentsEndpoints.Apply(http.Response, file, download == true);
                return TypedResults.Stream(file.Content, file.ContentType);
            })
            .WithName("GetAttachmentContent")
            .WithSummary("The file's bytes with its stored type (image/jpeg, image/png or application/pdf); ?download=true for an attachment disposition.")
            .Produces(StatusCodes.Status200OK, contentType: AttachmentTypes.Jpeg, additionalContentTypes: [AttachmentTypes.Png, AttachmentTypes.Pdf])
            .ProducesProblem(StatusCodes.Status404NotFound);

        attachments.MapDelete("/attachments/{id:long}", async (long id, AttachmentService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(id, ct);
                return TypedResults.NoContent();
            })
            .Writes("DeleteAttachment", "Removes a file from an expense the member may edit.", StatusCodes.Status204NoContent, validation: false);
        return api;
    }

    private static ApiAttachment ToApi(AttachmentInfo a) => new(
        a.Id, a.TransactionId, a.FileName, a.ContentType, a.SizeBytes, a.HasThumbnail, a.CreatedAt, a.UploadedBy,
        FormattableString.Invariant($"{ApiServiceCollectionExtensions.Prefix}/attachments/{a.Id}/content"));

    /// <summary>
    /// The form is read by the framework (Kestrel's request size limit applies); the service then reads the file bounded
    /// by <see cref="AttachmentOptions.MaxFileBytes"/> and refuses anything larger, of another type or over the quota.
    /// </summary>
    private static async Task<IResult> UploadAsync(long id, IFormFile? file, AttachmentService service, CancellationToken ct)
    {
        if (file is null)
        {
            throw new FieldValidationException("file", "Send the file as multipart/form-data in a \"file\" field.");
        }

        if (file.Length > service.Limits.MaxFileBytes)
        {
            return TypedResults.Problem(
                $"The file is larger than {AttachmentService.FormatSize(service.Limits.MaxFileBytes)}, the most one attachment may be.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large");
        }

        await using var stream = file.OpenReadStream();
        AttachmentInfo attached;
        try
        {
            attached = await service.UploadAsync(id, file.FileName, stream, file.Length, ct);
        }
        catch (FieldValidationException e)
        {
            // The service names the field as the app's form does; the API's field is "file".
            throw new FieldValidationException("file", e.Message);
        }

        var body = ToApi(attached);
        return TypedResults.Created(body.ContentUrl, body);
    }
}
