using System.Globalization;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Mapping;
using ExpenseTracker.Web.Features.Import.Page;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Features.PaymentAccounts;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>One import batch (one file into one account) from the import history.</summary>
public sealed record ApiImportBatch(
    long Id, string FileName, string Format, string AccountName, string? CreatedBy, DateTime CreatedAt, int RowsImported, int DuplicatesSkipped,
    bool Undone, DateTime? UndoneAt);

/// <summary>What an upload did: the batches written (one per account), rows added, duplicates skipped, transfers found.</summary>
public sealed record ApiImportResult(
    IReadOnlyList<long> BatchIds, int RowsImported, int DuplicatesSkipped, int Transfers, IReadOnlyList<string> Warnings, IReadOnlyList<ApiImportBatch> Batches);

/// <summary>A row of the file that could not be read.</summary>
public sealed record ApiImportRowError(int Line, string? Column, string Message);

/// <summary>The multipart form of <c>POST /api/v1/imports</c> (for the OpenAPI document; the handler reads the form itself).</summary>
public sealed record ApiImportUpload(IFormFile File, string? Profile, long? AccountId, decimal? ExchangeRate);

/// <summary>
/// <c>/api/v1/imports</c>: the import page's pipeline without the clicks. The file is previewed, then every row that is not
/// a duplicate is committed in one transaction; a file with unreadable rows, or one that needs a choice the request did
/// not make, is refused whole. History and undo as on the import history page.
/// </summary>
public static class ImportsApi
{
    /// <summary>Room for the multipart framing and the other fields around the file.</summary>
    private const long FormOverheadBytes = 64 * 1024;

    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("Imports");

        imports.MapPost("/", UploadAsync)
            .RequireAuthorization(ApiPolicies.Write)
            .Accepts<ApiImportUpload>("multipart/form-data")
            .WithName("ImportStatement")
            .WithSummary("Imports a statement file (form fields: file; profile = a saved import profile's name or id, needed for CSV/XLSX; "
                + "accountId for statements that name no account; exchangeRate for a statement in another currency). "
                + "201 with the batch result; 200 when every row was already imported.")
            .Produces<ApiImportResult>(StatusCodes.Status201Created)
            .Produces<ApiImportResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        imports.MapGet("/", async (IImportService service, string? page, string? pageSize, CancellationToken ct) =>
                TypedResults.Ok(ApiInput.Page((await service.HistoryAsync(ct)).Select(ToApi).ToList(), page, pageSize)))
            .WithName("ListImports")
            .WithSummary("The import history, newest first.")
            .Produces<ResourcePage<ApiImportBatch>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        imports.MapGet("/{id:long}", async Task<IResult> (long id, IImportService service, CancellationToken ct) =>
                await FindAsync(service, id, ct) is { } batch ? TypedResults.Ok(batch) : NotFound())
            .WithName("GetImport")
            .WithSummary("One import batch.")
            .Produces<ApiImportBatch>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        imports.MapDelete("/{id:long}", async Task<IResult> (long id, IImportService service, HouseholdScope scope, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.Import);
                if (await FindAsync(service, id, ct) is null)
                {
                    return NotFound();
                }

                await service.UndoAsync(id, ct);
                return TypedResults.NoContent();
            })
            .Writes("UndoImport", "Undoes an import: removes exactly the transactions it added (owners and members).", StatusCodes.Status204NoContent, validation: false)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return api;
    }

    private static async Task<IResult> UploadAsync(
        HttpRequest request, IImportService importer, ImportProfileService profiles, PaymentAccountService accounts, HouseholdScope scope,
        IOptions<ImportOptions> options, CancellationToken ct)
    {
        ApiInput.Require(scope, HouseholdAction.Import);
        var limit = options.Value.MaxUploadBytes;
        if (request.ContentLength > limit + FormOverheadBytes)
        {
            return TooLarge(options.Value.MaxUploadMb);
        }

        if (!request.HasFormContentType)
        {
            throw new FieldValidationException("file", "Send the statement as multipart/form-data with a \"file\" field.");
        }

        // The upload limit applies before the form is read, also to bodies without a Content-Length.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit + FormOverheadBytes;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit + FormOverheadBytes }, ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return TooLarge(options.Value.MaxUploadMb);
        }

        var file = form.Files.GetFile("file") ?? throw new FieldValidationException("file", "Attach the statement file in the \"file\" field.");
        if (file.Length == 0)
        {
            throw new FieldValidationException("file", $"“{file.FileName}” is empty.");
        }

        if (file.Length > limit)
        {
            return TooLarge(options.Value.MaxUploadMb);
        }

        byte[] content;
        await using (var stream = file.OpenReadStream())
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            content = copy.ToArray();
        }

        var fileName = Path.GetFileName(file.FileName);
        var open = (await accounts.ListAsync(ct)).Where(a => !a.Archived).ToList();
        long? accountId = null;
        if (form["accountId"].ToString() is { Length: > 0 } accountText)
        {
            accountId = long.TryParse(accountText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && open.Any(a => a.Id == id)
                ? id
                : throw new FieldValidationException("accountId", "Give the id of an open account of this household.");
        }

        decimal? rate = null;
        if (form["exchangeRate"].ToString() is { Length: > 0 } rateText)
        {
            rate = decimal.TryParse(rateText, NumberStyles.Number, CultureInfo.InvariantCulture, out var r) && r > 0
                ? r
                : throw new FieldValidationException("exchangeRate", "Give the rate as a positive number, e.g. 1.0825 (household currency per unit).");
        }

        var readerOptions = ReaderOptions.Default;
        if (form["profile"].ToString() is { Length: > 0 } profileText)
        {
            var profile = await FindProfileAsync(profiles, profileText, ct)
                ?? throw new FieldValidationException("profile", $"There is no saved import profile “{profileText}” in this household.");
            readerOptions = ImportProfileService.ToOptions(profile);
            accountId ??= profile.AccountId is { } saved && open.Any(a => a.Id == saved) ? saved : null;
        }
        else if (TabularFormats.IsTabular(StatementReaders.Pick(content.AsSpan(0, Math.Min(content.Length, 4096)), fileName).Format))
        {
            throw new FieldValidationException("profile", "A CSV or XLSX file needs a saved import profile (its name or id) that says which column is which.");
        }

        var importRequest = new ImportRequest(fileName, content, readerOptions)
        {
            AccountId = accountId ?? (open.Count == 1 ? open[0].Id : null),
            ExchangeRate = rate,
        };
        var preview = await importer.PreviewAsync(importRequest, ct);
        if (preview.Errors.Count > 0)
        {
            return RowErrors(preview);
        }

        var selections = ImportSelections.For(preview);
        selections.Rate = rate;
        var duplicates = preview.Statements.Sum(s => s.Rows.Count(r => r.Status == PreviewRowStatus.Duplicate));
        if (selections.IncludedCount(preview) == 0)
        {
            // Everything was imported before: nothing to write, and that is not an error for a script that re-sends.
            return TypedResults.Ok(new ApiImportResult([], 0, duplicates, 0, preview.Warnings, []));
        }

        if (selections.Problem(preview) is { } problem)
        {
            var field = preview.Statements.Any(s => !selections.Accounts.ContainsKey(s.Index)) ? "accountId" : "exchangeRate";
            throw new FieldValidationException(field, problem);
        }

        var result = await importer.CommitAsync(importRequest, selections.ToChoices(), null, ct);
        var history = (await importer.HistoryAsync(ct)).Where(b => result.BatchIds.Contains(b.Id)).Select(ToApi).ToList();
        var body = new ApiImportResult(result.BatchIds, result.Added, result.DuplicatesSkipped, result.Transfers, preview.Warnings, history);
        return result.BatchIds.Count == 0
            ? TypedResults.Ok(body)
            : TypedResults.Created($"{ApiServiceCollectionExtensions.Prefix}/imports/{result.BatchIds[0]}", body);
    }

    private static async Task<ImportProfileItem?> FindProfileAsync(ImportProfileService profiles, string text, CancellationToken ct)
    {
        var all = await profiles.ListAsync(ct);
        var key = TextKey.Fold(text);
        return all.FirstOrDefault(p => TextKey.Fold(p.Name) == key)
            ?? (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? all.FirstOrDefault(p => p.Id == id) : null);
    }

    private static IResult RowErrors(ImportPreview preview) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "File refused",
        detail: preview.Errors.Count == 1
            ? "1 row could not be read, so nothing was imported. Fix the row or the profile and send the file again."
            : string.Create(CultureInfo.InvariantCulture, $"{preview.Errors.Count} rows could not be read, so nothing was imported. Fix the rows or the profile and send the file again."),
        extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["errors"] = preview.Errors.Take(500).Select(e => new ApiImportRowError(e.SourceLine, e.Column, e.Message)).ToList(),
        });

    private static IResult TooLarge(int maxMb) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "File too large",
        detail: string.Create(CultureInfo.InvariantCulture, $"Files up to {maxMb} MB can be imported. Split the statement into shorter periods."));

    private static async Task<ApiImportBatch?> FindAsync(IImportService service, long id, CancellationToken ct) =>
        (await service.HistoryAsync(ct)).Where(b => b.Id == id).Select(ToApi).FirstOrDefault();

    private static ApiImportBatch ToApi(ImportBatchSummary b) =>
        new(b.Id, b.FileName, b.Format, b.AccountName, b.CreatedBy, b.CreatedAt, b.RowCount, b.DuplicateCount, b.UndoneAt is not null, b.UndoneAt);

    private static IResult NotFound() => ApiProblems.NotFound("There is no such import in this household.");
}
