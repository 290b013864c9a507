using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Export;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>
/// <c>/api/v1/expenses</c> (every transaction kind: list with the expense list's filters and query line, CRUD with
/// ETag/If-Match) and <c>/api/v1/exports</c> (CSV/XLSX of a filter). Everything goes through <see cref="ExpenseService"/>
/// and <see cref="ExpenseExport"/>, which apply the household scope, the member's role and privacy.
/// </summary>
public static class ExpensesApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPage = 10_000_000;

    public static RouteGroupBuilder MapExpensesApi(this RouteGroupBuilder api)
    {
        var expenses = api.MapGroup("/expenses").WithTags("Expenses");
        expenses.MapGet("", ListAsync)
            .WithName("ListExpenses")
            .WithSummary("Lists expenses, income, refunds and transfers the member may see, filtered like the expense list, a page at a time, with totals.")
            .ProducesValidationProblem();

        expenses.MapGet("/{id:long}", GetAsync)
            .WithName("GetExpense")
            .WithSummary("One expense (any kind); its ETag header is the version to send back in If-Match.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        expenses.MapPost("", CreateAsync)
            .RequireAuthorization(ApiPolicies.Write)
            .WithName("CreateExpense")
            .WithSummary("Records an expense, income, refund or transfer; answers 201 with its Location and ETag.")
            .Accepts<ApiExpenseInput>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        expenses.MapPut("/{id:long}", UpdateAsync)
            .RequireAuthorization(ApiPolicies.Write)
            .WithName("UpdateExpense")
            .WithSummary("Replaces an expense. Requires If-Match with the ETag you read: 428 without it, 412 when someone changed it since.")
            .Accepts<ApiExpenseInput>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        expenses.MapDelete("/{id:long}", DeleteAsync)
            .RequireAuthorization(ApiPolicies.Write)
            .WithName("DeleteExpense")
            .WithSummary("Deletes an expense (restorable in the app, as a delete there). If-Match is optional; a stale one answers 412.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        var exports = api.MapGroup("/exports").WithTags("Exports");
        exports.MapGet("/expenses.csv", (HttpContext http, [AsParameters] ApiExpenseFilterQuery query, CurrentHousehold current,
                ExpenseExport export, TimeProvider time) =>
                Export(query, current, time, "csv", (stream, filter, _) => export.WriteCsvAsync(stream, filter, http.RequestAborted)))
            .WithName("ExportExpensesCsv")
            .WithSummary("The expenses of a filter (the list's parameters) as CSV: UTF-8, comma, ISO dates, invariant numbers.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "text/csv")
            .ProducesValidationProblem();
        exports.MapGet("/expenses.xlsx", (HttpContext http, [AsParameters] ApiExpenseFilterQuery query, CurrentHousehold current,
                ExpenseExport export, TimeProvider time) =>
                Export(query, current, time, "xlsx", (stream, filter, household) =>
                    export.WriteXlsxAsync(stream, filter, household.BaseCurrency, http.RequestAborted)))
            .WithName("ExportExpensesXlsx")
            .WithSummary("The expenses of a filter (the list's parameters) as an Excel workbook with typed date and number cells.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), ExpenseExport.XlsxContentType)
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<Results<Ok<ApiExpensePage>, ValidationProblem>> ListAsync(
        [AsParameters] ApiExpenseFilterQuery query,
        [Description("1-based page number; default 1.")] string? page,
        [Description("Rows per page, 1 to 200; default 50.")] string? pageSize,
        CurrentHousehold current, ExpenseService expenses,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var household = current.Info!;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var pageNumber = Number("page", page, 1, 1, MaxPage, errors);
        var size = Number("pageSize", pageSize, DefaultPageSize, 1, ExpenseService.MaxPageSize, errors);
        var filter = query.ToFilter(household, household.Today(time), errors);
        if (filter is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await expenses.ListAsync(new ExpensePageRequest(filter, (pageNumber - 1) * size, size), cancellationToken);
        return TypedResults.Ok(new ApiExpensePage(
            [.. result.Items.Select(row => ApiExpenseListItem.From(row, household.BaseCurrency))], pageNumber, size, result.TotalCount,
            ApiExpenseTotals.From(result, household.BaseCurrency)));
    }

    private static async Task<Ok<ApiExpense>> GetAsync(long id, HttpContext http, ExpenseService expenses, CancellationToken cancellationToken)
    {
        var details = await expenses.GetAsync(id, cancellationToken);
        http.Response.Headers.ETag = ApiExpenseMapping.ETag(details.Version);
        return TypedResults.Ok(ApiExpense.From(details));
    }

    private static async Task<Results<Created<ApiExpense>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext http, CurrentHousehold current, ExpenseService expenses, IDbContextFactory<AppDbContext> dbFactory, TimeProvider time,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var household = current.Info!;
        var (body, unsupported, unreadable) = await ReadBodyAsync(http.Request, json.Value, cancellationToken);
        if (unsupported is not null)
        {
            return unsupported;
        }

        if (body is null)
        {
            return TypedResults.ValidationProblem(unreadable!);
        }

        var accountId = body.AccountId ?? await DefaultAccountAsync(dbFactory, household.MemberId, cancellationToken);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var input = ApiExpenseMapping.ToInput(body, household.BaseCurrency, household.Today(time), accountId, null, errors);
        if (input is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        ExpenseDetails created;
        try
        {
            created = await expenses.CreateDescribedAsync(input, cancellationToken);
        }
        catch (ExpenseValidationException e)
        {
            return TypedResults.ValidationProblem(await ClientErrorsAsync(e, body, input, expenses, cancellationToken));
        }

        http.Response.Headers.ETag = ApiExpenseMapping.ETag(created.Version);
        return TypedResults.Created(Location(created.Id), ApiExpense.From(created));
    }

    private static async Task<Results<Ok<ApiExpense>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, [FromHeader(Name = "If-Match"), Description("The ETag you read, e.g. \"3\" (required).")] string? ifMatch,
        HttpContext http, CurrentHousehold current, ExpenseService expenses, IDbContextFactory<AppDbContext> dbFactory,
        TimeProvider time, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var household = current.Info!;
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return TypedResults.Problem(
                "Send If-Match with the ETag of the version you changed (GET the expense to read it), so that nobody's edit is lost.",
                statusCode: StatusCodes.Status428PreconditionRequired, title: "Precondition required");
        }

        var existing = await expenses.GetAsync(id, cancellationToken);
        if (!Matches(ifMatch, existing.Version))
        {
            throw new ConcurrencyConflictException();
        }

        var (body, unsupported, unreadable) = await ReadBodyAsync(http.Request, json.Value, cancellationToken);
        if (unsupported is not null)
        {
            return unsupported;
        }

        if (body is null)
        {
            return TypedResults.ValidationProblem(unreadable!);
        }

        var accountId = body.AccountId ?? await DefaultAccountAsync(dbFactory, household.MemberId, cancellationToken);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var input = ApiExpenseMapping.ToInput(body, existing.Currency, household.Today(time), accountId, existing, errors);
        if (input is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            // The service checks the version again inside its save: a change between our read and the write is still a 412.
            await expenses.UpdateAsync(id, existing.Version, input, cancellationToken);
        }
        catch (ExpenseValidationException e)
        {
            return TypedResults.ValidationProblem(await ClientErrorsAsync(e, body, input, expenses, cancellationToken));
        }

        var updated = await expenses.GetAsync(id, cancellationToken);
        http.Response.Headers.ETag = ApiExpenseMapping.ETag(updated.Version);
        return TypedResults.Ok(ApiExpense.From(updated));
    }

    private static async Task<NoContent> DeleteAsync(
        long id, [FromHeader(Name = "If-Match"), Description("Optional: the ETag you read; a stale one answers 412.")] string? ifMatch,
        ExpenseService expenses, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(ifMatch) && !Matches(ifMatch, (await expenses.GetAsync(id, cancellationToken)).Version))
        {
            throw new ConcurrencyConflictException();
        }

        await expenses.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static Results<PushStreamHttpResult, ValidationProblem> Export(
        ApiExpenseFilterQuery query, CurrentHousehold current, TimeProvider time, string extension,
        Func<Stream, ExpenseFilter, HouseholdInfo, Task> write)
    {
        var household = current.Info!;
        var today = household.Today(time);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (query.ToFilter(household, today, errors) is not { } filter)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var contentType = extension == "csv" ? ExpenseExport.CsvContentType : ExpenseExport.XlsxContentType;
        return TypedResults.Stream(stream => write(stream, filter, household), contentType,
            ExportApi.FileName(household.Name, "expenses", today, extension));
    }

    public static string Location(long id) => string.Create(CultureInfo.InvariantCulture, $"{ApiServiceCollectionExtensions.Prefix}/expenses/{id}");

    /// <summary>The body as JSON; else 415 for another content type, or the errors naming the field that did not parse.</summary>
    private static async Task<(ApiExpenseInput? Body, ProblemHttpResult? Unsupported, Dictionary<string, string[]>? Errors)> ReadBodyAsync(
        HttpRequest request, Microsoft.AspNetCore.Http.Json.JsonOptions json, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem("Send the expense as JSON with Content-Type: application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"), null);
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<ApiExpenseInput>(request.Body, json.SerializerOptions, cancellationToken);
            return (body, null, body is null ? ApiExpenseMapping.ReadError("$") : null);
        }
        catch (JsonException e)
        {
            return (null, null, ApiExpenseMapping.ReadError(e.Path));
        }
    }

    /// <summary>True when the If-Match list is * or names <paramref name="version"/>.</summary>
    private static bool Matches(string ifMatch, long version) =>
        ifMatch.Split(',').Any(tag => tag.Trim() == "*" || ApiExpenseMapping.VersionOf(tag) == version);

    /// <summary>The account a new expense without one goes to: the member's last used one, else the household's first open one.</summary>
    private static async Task<long> DefaultAccountAsync(IDbContextFactory<AppDbContext> dbFactory, long memberId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var recent = await db.Transactions.AsNoTracking()
            .Where(t => t.CreatedByMemberId == memberId && !t.Account!.Archived)
            .OrderByDescending(t => t.Id).Select(t => t.AccountId).FirstOrDefaultAsync(cancellationToken);
        return recent != 0
            ? recent
            : await db.Accounts.AsNoTracking().Where(a => !a.Archived).OrderBy(a => a.Id).Select(a => a.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<Dictionary<string, string[]>> ClientErrorsAsync(
        ExpenseValidationException e, ApiExpenseInput body, ExpenseInput input, ExpenseService expenses, CancellationToken cancellationToken)
    {
        // Only on this error path: which of the lines names a category the household does not have.
        var known = e.Errors.ContainsKey(nameof(ExpenseInput.Lines)) && body.Lines is { Count: > 0 }
            ? (await expenses.GetLookupsAsync(cancellationToken)).Categories.Select(c => c.Id).ToHashSet()
            : null;
        return ApiExpenseMapping.ClientErrors(e.Errors, body, input, known);
    }

    private static int Number(string name, string? text, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [string.Create(CultureInfo.InvariantCulture, $"Use a whole number from {min} to {max}.")];
        return fallback;
    }
}
