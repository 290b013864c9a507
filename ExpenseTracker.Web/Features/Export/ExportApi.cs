using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExpenseTracker.Web.Features.Export;

/// <summary>
/// <c>GET /export/expenses.csv</c> and <c>/export/expenses.xlsx</c> with the expense list's query string (see
/// <see cref="ExpenseQuery"/>): what the list shows for that filter, every row, streamed. Signed-in users only; the
/// household is the caller's current one (none: 404) and the caller's role and privacy apply as on the list.
/// </summary>
public static class ExportApi
{
    public static WebApplicationBuilder AddExport(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ExpenseExport>();
        return builder;
    }

    public static IEndpointRouteBuilder MapExport(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/export").RequireAuthorization();
        group.MapGet("/expenses.csv", (HttpContext http, CurrentHousehold current, ExpenseExport export, TimeProvider time) =>
            ExportAsync(http, current, time, "csv", (stream, filter, household) => export.WriteCsvAsync(stream, filter, http.RequestAborted)));
        group.MapGet("/expenses.xlsx", (HttpContext http, CurrentHousehold current, ExpenseExport export, TimeProvider time) =>
            ExportAsync(http, current, time, "xlsx", (stream, filter, household) => export.WriteXlsxAsync(stream, filter, household.BaseCurrency, http.RequestAborted)));
        return app;
    }

    /// <summary>The list's URL parameters, e.g. <c>?range=this-month&amp;cat=3</c>, as the export endpoints' query string.</summary>
    public static string QueryStringFor(ExpenseQuery query)
    {
        var url = query.ToUrl();
        var index = url.IndexOf('?', StringComparison.Ordinal);
        return index < 0 ? string.Empty : url[index..];
    }

    /// <summary>A download name from the household's name, what it holds and today's date, e.g. <c>the-millers-expenses-2026-11-15.csv</c>.</summary>
    public static string FileName(string householdName, string what, DateOnly today, string extension)
    {
        var slug = new StringBuilder();
        foreach (var c in householdName.Trim())
        {
            if (char.IsLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var name = slug.ToString().Trim('-');
        return string.Create(CultureInfo.InvariantCulture, $"{(name.Length == 0 ? "household" : name)}-{what}-{today:yyyy-MM-dd}.{extension}");
    }

    private static async Task<Results<PushStreamHttpResult, NotFound, ValidationProblem>> ExportAsync(
        HttpContext http, CurrentHousehold current, TimeProvider time, string extension, Func<Stream, ExpenseFilter, HouseholdInfo, Task> write)
    {
        if (await current.ResolveAsync(http.User, http.RequestAborted) is not { } household)
        {
            return TypedResults.NotFound();
        }

        var q = http.Request.Query;
        var today = household.Today(time);
        ExpenseFilter filter;
        try
        {
            filter = ExpenseQuery.Parse(q["range"], q["from"], q["to"], q["cat"], q["tag"], q["member"], q["account"], q["kind"], q["q"],
                q["min"], q["max"], q["payee"], q["spender"]).ToFilter(today, household.BaseCurrency, household.FirstDayOfWeek);
        }
        catch (Search.QueryLineException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = [ex.Message] });
        }

        var contentType = extension == "csv" ? ExpenseExport.CsvContentType : ExpenseExport.XlsxContentType;
        return TypedResults.Stream(stream => write(stream, filter, household), contentType, FileName(household.Name, "expenses", today, extension));
    }
}
