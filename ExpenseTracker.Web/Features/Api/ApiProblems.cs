using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Features.Search;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>Every API error is an RFC 9457 problem document; the services' exceptions map to status codes here, in one place.</summary>
public static class ApiProblems
{
    public static Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The result for an exception a service threw for bad input or access, or null for a real failure.</summary>
    public static IResult? For(Exception exception) => exception switch
    {
        FieldValidationException e => Validation(Camel(e.Field), e.Message),
        ExpenseValidationException e => TypedResults.ValidationProblem(
            e.Errors.ToDictionary(kv => Camel(kv.Key), kv => kv.Value)),
        QueryLineException e => Validation("q", e.Message),
        HouseholdValidationException e => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request"),
        ImportRefusedException e => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "File refused"),
        NotFoundException e => NotFound(e.Message),
        ConcurrencyConflictException => TypedResults.Problem(
            "Someone changed this since you read it. GET it again and resend with its new ETag in If-Match.",
            statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed"),
        HouseholdAccessException e => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
        _ => null,
    };

    /// <summary>"Amount" and "Lines[0].CategoryId" become "amount" and "lines[0].categoryId", as the JSON spells them.</summary>
    public static string Camel(string field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return field;
        }

        var parts = field.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length > 0 && char.IsUpper(parts[i][0]))
            {
                parts[i] = char.ToLowerInvariant(parts[i][0]) + parts[i][1..];
            }
        }

        return string.Join('.', parts);
    }
}

/// <summary>
/// On every <c>/api/v1</c> endpoint: binds the token's member and household (<see cref="CurrentHousehold"/>; a member
/// who has no household any more gets 404) and turns the services' validation and access exceptions into problems.
/// </summary>
public sealed class ApiHouseholdFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var current = http.RequestServices.GetRequiredService<CurrentHousehold>();
        if (await current.ResolveAsync(http.User, http.RequestAborted) is null)
        {
            return ApiProblems.NotFound("The token's household no longer exists.");
        }

        try
        {
            return await next(context);
        }
        catch (Exception exception) when (ApiProblems.For(exception) is not null)
        {
            return ApiProblems.For(exception);
        }
    }
}
