using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>
/// CSV downloads of every chart's table: <c>GET /analytics/{chart}.csv?p=..&amp;member=..</c> (filters as on the page, see
/// <see cref="AnalyticsQuery"/>). Signed-in users only; the household is the caller's current one (no household: 404),
/// and the services apply the caller's role as on the page.
/// </summary>
public static class AnalyticsApi
{
    public static readonly IReadOnlyList<string> Charts =
        ["by-category", "trend", "budget-vs-actual", "cumulative", "comparison", "payees", "members", "income", "budgets"];

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/analytics").RequireAuthorization().MapGet("/{chart}.csv", CsvAsync);
        return app;
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> CsvAsync(
        string chart, string? p, string? from, string? to, string? member, string? account, string? month,
        HttpContext http, CurrentHousehold current, AnalyticsService analytics, BudgetService budgets, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!Charts.Contains(chart) || await current.ResolveAsync(http.User, cancellationToken) is not { } household)
        {
            return TypedResults.NotFound();
        }

        var today = household.Today(time);
        var filter = AnalyticsQuery.Parse(p, from, to, member, account).ToFilter(today, household.MonthStartDay);
        var chartMonth = BudgetMonth.TryParse(month, out var m) ? m : AnalyticsQuery.MonthFor(filter, today, household.MonthStartDay);
        var currency = household.BaseCurrency;
        var csv = chart switch
        {
            "by-category" => AnalyticsCsv.Of(await analytics.SpendingByCategoryAsync(filter, cancellationToken), currency),
            "trend" => AnalyticsCsv.Of(await analytics.MonthlyTrendAsync(filter, cancellationToken), currency),
            "budget-vs-actual" => AnalyticsCsv.Of(await analytics.BudgetVsActualAsync(chartMonth, cancellationToken), currency),
            "cumulative" => AnalyticsCsv.Of(await analytics.CumulativeSpendingAsync(chartMonth, filter, cancellationToken), currency),
            "comparison" => AnalyticsCsv.Of(await analytics.CategoryComparisonAsync(chartMonth, filter, cancellationToken), currency),
            "payees" => AnalyticsCsv.Of(await analytics.TopPayeesAsync(filter, 10, cancellationToken), currency),
            "members" => AnalyticsCsv.Of(await analytics.SpendingPerMemberAsync(filter, cancellationToken), currency),
            "income" => AnalyticsCsv.Of(await analytics.IncomeVsSpendingAsync(filter, cancellationToken), currency),
            _ => AnalyticsCsv.Of(await budgets.GetMonthAsync(chartMonth, cancellationToken)),
        };
        var name = chart == "budgets" || chart == "budget-vs-actual" || chart == "cumulative" || chart == "comparison"
            ? string.Create(CultureInfo.InvariantCulture, $"{chart}-{chartMonth}.csv")
            : string.Create(CultureInfo.InvariantCulture, $"{chart}-{filter.From:yyyy-MM-dd}-{filter.To:yyyy-MM-dd}.csv");
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), AnalyticsCsv.ContentType, name);
    }
}
