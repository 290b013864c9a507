using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Api;

public sealed record ApiCategoryTotal(long CategoryId, string Name, decimal Amount);

/// <summary>
/// One month's spending (expenses minus refunds) by category. <see cref="Private"/> is other members' private spending,
/// which the reader may not see by category, folded into one amount; <see cref="Total"/> includes it.
/// <see cref="Partial"/>: the month is still running.
/// </summary>
public sealed record ApiMonthTotals(string Month, DateOnly From, DateOnly To, decimal Total, bool Partial, IReadOnlyList<ApiCategoryTotal> Categories, decimal Private);

public sealed record ApiMonthlyTotals(string From, string To, string Currency, IReadOnlyList<ApiMonthTotals> Months);

/// <summary><c>/api/v1/totals/monthly</c>: the Analytics page's monthly trend as numbers, for spreadsheets.</summary>
public static class TotalsApi
{
    public static RouteGroupBuilder MapTotalsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/totals/monthly", GetMonthlyAsync)
            .WithTags("Totals")
            .WithName("GetMonthlyTotals")
            .WithSummary("Spending per category per month (?from=yyyy-MM&to=yyyy-MM, at most 24 months; default the last 12), in the household currency.")
            .Produces<ApiMonthlyTotals>()
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> GetMonthlyAsync(
        string? from, string? to, AnalyticsService analytics, BudgetService budgets, CurrentHousehold household, CancellationToken ct)
    {
        var info = household.Info!;
        var last = ApiInput.Month(to, "to", await budgets.CurrentMonthAsync(ct));
        var first = ApiInput.Month(from, "from", last.AddMonths(-11));
        if (last < first)
        {
            throw new FieldValidationException("to", "The period ends before it starts.");
        }

        if (last.Index - first.Index + 1 > AnalyticsService.MaxTrendMonths)
        {
            throw new FieldValidationException("to", $"Ask for at most {AnalyticsService.MaxTrendMonths} months at a time.");
        }

        var filter = new AnalyticsFilter
        {
            From = BudgetPeriods.RangeOf(first, info.MonthStartDay).From,
            To = BudgetPeriods.RangeOf(last, info.MonthStartDay).To,
        };
        var trend = await analytics.MonthlyTrendAsync(filter, ct);
        var currency = info.BaseCurrency;
        var months = trend.Months.Select((m, i) => new ApiMonthTotals(
                m.Month.ToString(), m.From, m.To, ApiInput.Major(m.TotalMinor, currency), m.IsPartial,
                trend.Series.Where(s => s.Cells[i].AmountMinor != 0)
                    .Select(s => new ApiCategoryTotal(s.CategoryId, s.Name, ApiInput.Major(s.Cells[i].AmountMinor, currency)))
                    .ToList(),
                ApiInput.Major(trend.Private?.Cells[i].AmountMinor ?? 0, currency)))
            .ToList();
        return TypedResults.Ok(new ApiMonthlyTotals(first.ToString(), last.ToString(), currency, months));
    }
}
