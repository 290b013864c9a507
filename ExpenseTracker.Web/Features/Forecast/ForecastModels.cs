using ExpenseTracker.Web.Features.Budgets;

namespace ExpenseTracker.Web.Features.Forecast;

/// <summary>One row of the month-end card: a category (or the total, <see cref="CategoryId"/> null). Minor units.</summary>
public sealed record MonthEndRow(
    long? CategoryId, string Name, string? Color, long SpentMinor, long BillsDueMinor, long ExpectedVariableMinor, long ProjectedMinor, long? BudgetMinor)
{
    /// <summary>How far the projection ends above the budget (negative: below); null without a budget.</summary>
    public long? OverMinor => BudgetMinor is { } budget ? ProjectedMinor - budget : null;
}

/// <summary>Where the current budget month is heading, as the reader may see it.</summary>
public sealed record MonthEndView(BudgetMonth Month, DateOnly Today, int DaysLeft, string Currency, MonthEndRow Total, IReadOnlyList<MonthEndRow> Categories, bool LowConfidence, int HistoryDays);

/// <summary>A whole past month's spending (bills included).</summary>
public sealed record HistoryMonth(BudgetMonth Month, long TotalMinor);

/// <summary>One forecast month of the total: the point and band (bills included) and the overall budget then, if any.</summary>
public sealed record ForecastMonth(BudgetMonth Month, ForecastPoint Total, long BillsMinor, long? OverallBudgetMinor, bool IsCurrent);

/// <summary>One category's forecast (bills included in the points) and its budget in the first forecast month.</summary>
public sealed record CategoryForecast(
    long CategoryId, string Name, string Color, ForecastMethod Method, bool LowConfidence, IReadOnlyList<ForecastPoint> Points, long? BudgetMinor);

public enum InsightKind
{
    TrendingUp = 0,
    PriceRise = 1,
    OverBudget = 2,
}

/// <summary>One line of the insights list, already worded in the household's culture.</summary>
public sealed record Insight(InsightKind Kind, string Text, long? CategoryId = null);

/// <summary>
/// The forecast page data: past months, the current month's projection and the next months with an 80 % band, per
/// category too, and the insights. <see cref="LowConfidence"/> when there are fewer than 3 whole months of history.
/// </summary>
public sealed record ForecastView(
    string Currency,
    BudgetMonth CurrentMonth,
    IReadOnlyList<HistoryMonth> History,
    IReadOnlyList<ForecastMonth> Months,
    ForecastMethod TotalMethod,
    bool LowConfidence,
    double? BacktestErrorMinor,
    double? BaselineErrorMinor,
    IReadOnlyList<CategoryForecast> Categories,
    IReadOnlyList<Insight> Insights);
