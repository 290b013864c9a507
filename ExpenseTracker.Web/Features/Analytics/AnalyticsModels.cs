using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>
/// The filters every chart shares: a period (both ends inclusive, household dates), members (who paid, as in the expense
/// list) and accounts. Empty lists mean "all".
/// </summary>
public sealed record AnalyticsFilter
{
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public IReadOnlyList<long> MemberIds { get; init; } = [];
    public IReadOnlyList<long> AccountIds { get; init; } = [];

    /// <summary>The expense-list filter for the spending this filter covers; every segment's drill-down starts from it.</summary>
    public ExpenseFilter ToExpenseFilter() => new()
    {
        From = From,
        To = To,
        MemberIds = MemberIds,
        AccountIds = AccountIds,
        Kinds = [TransactionKind.Expense, TransactionKind.Refund],
    };

    /// <summary>The last <paramref name="months"/> budget months up to and including the one containing <paramref name="today"/>.</summary>
    public static AnalyticsFilter LastMonths(int months, DateOnly today, int monthStartDay)
    {
        var current = BudgetPeriods.MonthOf(today, monthStartDay);
        return new AnalyticsFilter
        {
            From = BudgetPeriods.RangeOf(current.AddMonths(1 - months), monthStartDay).From,
            To = BudgetPeriods.RangeOf(current, monthStartDay).To,
        };
    }

    public static AnalyticsFilter ForMonth(BudgetMonth month, int monthStartDay)
    {
        var range = BudgetPeriods.RangeOf(month, monthStartDay);
        return new AnalyticsFilter { From = range.From, To = range.To };
    }
}

/// <summary>
/// Spending by category (donut). Percentages are of <see cref="TotalMinor"/>, which includes <see cref="Private"/>
/// (other members' private transactions, folded into one segment) so it equals the expense list's total plus its private line.
/// </summary>
public sealed record CategorySpending(long TotalMinor, IReadOnlyList<CategorySlice> Slices, ExpenseFilter DrillDown, PrivateSlice? Private = null);

/// <summary>
/// Other members' private transactions within a chart's filter, as one grey "private (n items)" segment. Its drill-down
/// is the expense list with the chart's filter, whose private line shows the same count and amount.
/// </summary>
public sealed record PrivateSlice(int Count, long AmountMinor, double Percent, ExpenseFilter DrillDown)
{
    public const string Color = "#9E9E9E";

    public string Label => new PrivateSummary(Count, AmountMinor).Label;
}

public sealed record CategorySlice(long CategoryId, string Name, string Color, string Icon, long AmountMinor, double Percent, ExpenseFilter DrillDown);

/// <summary>Monthly spending stacked by category (<see cref="TrendSeries.Cells"/> align with <see cref="Months"/>), and the average line.</summary>
/// <param name="AverageMinor">Mean monthly total over <see cref="AverageMonths"/> complete months (the running month is left out).</param>
/// <param name="Private">Other members' private spending per month, one more stacked series; month totals include it.</param>
public sealed record MonthlyTrend(IReadOnlyList<TrendMonth> Months, IReadOnlyList<TrendSeries> Series, long AverageMinor, int AverageMonths, PrivateSeries? Private = null);

/// <summary>
/// Other members' private transactions as one "private (n items)" series of a monthly chart (<see cref="Cells"/> align with the
/// months). A cell's drill-down is the month's list, whose private line shows the same amount and <see cref="CellCounts"/>.
/// </summary>
public sealed record PrivateSeries(int Count, IReadOnlyList<ChartCell> Cells, IReadOnlyList<int> CellCounts)
{
    public string Label => new PrivateSummary(Count, 0).Label;
}

/// <param name="IsPartial">The month is still running or the period cuts it.</param>
public sealed record TrendMonth(BudgetMonth Month, DateOnly From, DateOnly To, long TotalMinor, bool IsPartial, ExpenseFilter DrillDown);

public sealed record TrendSeries(long CategoryId, string Name, string Color, IReadOnlyList<ChartCell> Cells);

/// <summary>One number of a chart's table, with the expense list behind it.</summary>
public sealed record ChartCell(long AmountMinor, ExpenseFilter DrillDown);

/// <summary>Budget vs actual per category for a month (bars). Budget = available (amount + carried).</summary>
public sealed record BudgetVsActual(BudgetMonth Month, IReadOnlyList<BudgetVsActualBar> Bars);

public sealed record BudgetVsActualBar(long? CategoryId, string Name, string? Color, long BudgetMinor, long SpentMinor, PaceState State, ExpenseFilter DrillDown);

/// <summary>This month's spending by day, cumulative, against the budget pace line (budget × day ÷ days).</summary>
/// <param name="BudgetMinor">The overall budget's available amount, else the sum of the category budgets; null when none.</param>
/// <param name="Private">Other members' private spending of the month (already in the days' amounts), as one line.</param>
public sealed record CumulativeSpending(MonthRange Range, DateOnly Today, long? BudgetMinor, IReadOnlyList<CumulativeDay> Days, PrivateSlice? Private = null);

/// <param name="CumulativeMinor">Null for days after today.</param>
/// <param name="PaceMinor">Where spending "should" be by the end of this day; null without a budget.</param>
public sealed record CumulativeDay(DateOnly Date, long DayMinor, long? CumulativeMinor, long? PaceMinor, ExpenseFilter DayDrillDown, ExpenseFilter ToDateDrillDown);

/// <summary>This month vs last month vs the same month last year, per category (full months).</summary>
/// <param name="Private">Other members' private spending per month as one row; <see cref="Total"/> includes it.</param>
public sealed record CategoryComparison(
    BudgetMonth ThisMonth, BudgetMonth LastMonth, BudgetMonth SameMonthLastYear, IReadOnlyList<ComparisonRow> Rows, ComparisonRow Total, PrivateComparisonRow? Private = null);

/// <summary>The "private (n items)" row of the comparison: its cells drill down to each month's list (its private line).</summary>
public sealed record PrivateComparisonRow(ComparisonRow Row, int ThisMonthCount, int LastMonthCount, int SameMonthLastYearCount)
{
    public string Label => new PrivateSummary(ThisMonthCount, 0).Label;
}

/// <param name="DiffVsLastPercent">Change against last month in percent of last month; null when last month was 0.</param>
public sealed record ComparisonRow(
    long? CategoryId,
    string Name,
    string? Color,
    ChartCell ThisMonth,
    ChartCell LastMonth,
    ChartCell SameMonthLastYear,
    long DiffVsLastMinor,
    double? DiffVsLastPercent,
    long DiffVsLastYearMinor,
    double? DiffVsLastYearPercent);

/// <summary>
/// Payees by spending, largest first. Transactions without a payee are not in any slice; other members' private
/// transactions are in no payee's slice but in <see cref="Private"/>, and <see cref="TotalMinor"/> includes them.
/// </summary>
public sealed record TopPayees(long TotalMinor, IReadOnlyList<PayeeSlice> Payees, PrivateSlice? Private = null);

public sealed record PayeeSlice(long PayeeId, string Name, long AmountMinor, int Count, double Percent, ExpenseFilter DrillDown);

/// <summary>
/// Spending per member by the one rule (share of a shared transaction, else the payer). Other members' private
/// transactions are in no member's slice but in <see cref="Private"/>, and <see cref="TotalMinor"/> includes them.
/// </summary>
public sealed record MemberSpendingChart(long TotalMinor, IReadOnlyList<MemberSlice> Members, PrivateSlice? Private = null);

public sealed record MemberSlice(long MemberId, string Name, string Color, long AmountMinor, double Percent, ExpenseFilter DrillDown);

/// <summary>Income and spending per month; both include other members' private transactions (<see cref="Private"/>).</summary>
public sealed record IncomeVsSpending(IReadOnlyList<IncomeSpendingMonth> Months, long TotalIncomeMinor, long TotalSpendingMinor, PrivateIncomeSpending? Private = null);

/// <summary>Other members' private income and spending over the period, as one line (drill-down: the period's list).</summary>
public sealed record PrivateIncomeSpending(int Count, long IncomeMinor, long SpendingMinor, ExpenseFilter DrillDown)
{
    public string Label => new PrivateSummary(Count, SpendingMinor).Label;
}

/// <param name="Income">Drill-down lists the Income transactions (the list's spending total is 0 for them: sum the amounts).</param>
/// <param name="Private">Other members' private transactions of the month (already in <paramref name="Income"/> and <paramref name="Spending"/>).</param>
public sealed record IncomeSpendingMonth(BudgetMonth Month, DateOnly From, DateOnly To, ChartCell Income, ChartCell Spending, long NetMinor, PrivateSummary? Private = null);
