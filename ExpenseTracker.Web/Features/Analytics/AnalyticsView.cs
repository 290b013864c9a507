using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using MudBlazor;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>
/// The analytics page's figures and the chart series drawn from them. Chart values are doubles in major units (geometry
/// only); every number shown as text comes from the exact minor units.
/// </summary>
public sealed class AnalyticsView(HouseholdInfo household)
{
    public required BudgetMonth Month { get; init; }

    public required CategorySpending ByCategory { get; init; }

    public required MonthlyTrend TrendData { get; init; }

    public required BudgetVsActual BudgetVsActual { get; init; }

    public required CumulativeSpending Cumulative { get; init; }

    public required CategoryComparison Comparison { get; init; }

    public required TopPayees Payees { get; init; }

    public required MemberSpendingChart Members { get; init; }

    public required IncomeVsSpending Income { get; init; }

    private IReadOnlyList<CategorySlice> Positive => ByCategory.Slices.Where(s => s.AmountMinor > 0).ToList();

    /// <summary>Other members' private spending as one grey segment after the categories (when positive).</summary>
    private static IEnumerable<PrivateSlice> PositivePrivate(PrivateSlice? slice) => slice is { AmountMinor: > 0 } ? [slice] : [];

    public List<ChartSeries<double>> CategoryDonut =>
        [new() { Name = "Spending", Data = Positive.Select(s => Major(s.AmountMinor)).Concat(PositivePrivate(ByCategory.Private).Select(p => Major(p.AmountMinor))).ToArray() }];

    public string[] CategoryLabels => Positive.Select(s => s.Name).Concat(PositivePrivate(ByCategory.Private).Select(p => p.Label)).ToArray();

    public DonutChartOptions CategoryDonutOptions => new()
    {
        ChartPalette = Positive.Select(s => s.Color).Concat(PositivePrivate(ByCategory.Private).Select(_ => PrivateSlice.Color)).ToArray(),
        ShowLegend = false,
    };

    /// <summary>What each donut segment counts, in the segments' order: the list a click on it opens.</summary>
    public IReadOnlyList<ExpenseFilter> CategoryDonutTargets =>
        Positive.Select(s => s.DrillDown).Concat(PositivePrivate(ByCategory.Private).Select(p => p.DrillDown)).ToList();

    public IReadOnlyList<ExpenseFilter> MemberDonutTargets =>
        Members.Members.Where(m => m.AmountMinor > 0).Select(m => m.DrillDown).Concat(PositivePrivate(Members.Private).Select(p => p.DrillDown)).ToList();

    /// <summary>
    /// A bar chart's click names only the series: the income series counts the period's income, the spending series its
    /// spending (the sums of the bars), so each opens that list.
    /// </summary>
    public IReadOnlyList<ExpenseFilter> IncomeSeriesTargets => Income.Months.Count == 0
        ? []
        : [Income.Months[0].Income.DrillDown with { To = Income.Months[^1].To }, Income.Months[0].Spending.DrillDown with { To = Income.Months[^1].To }];

    /// <summary>The "spent to date" line counts the month up to today; the pace line counts nothing.</summary>
    public IReadOnlyList<ExpenseFilter?> CumulativeSeriesTargets =>
        [Cumulative.Days.LastOrDefault(d => d.CumulativeMinor is not null)?.ToDateDrillDown, null];

    public TrendCharts Trend => trend ??= new TrendCharts(TrendData, this);

    private TrendCharts? trend;

    public List<ChartSeries<double>> BudgetBars =>
    [
        new() { Name = "Budget", Data = BudgetVsActual.Bars.Select(b => Major(b.BudgetMinor)).ToArray() },
        new() { Name = "Spent", Data = BudgetVsActual.Bars.Select(b => Major(b.SpentMinor)).ToArray() },
    ];

    public string[] BudgetLabels => BudgetVsActual.Bars.Select(b => b.Name).ToArray();

    public BarChartOptions BudgetBarOptions => AxisOptions(new BarChartOptions { ChartPalette = ["#90a4ae", "#1e88e5"], XAxisLabelRotation = 45 }, ChartAxis.ValuesOf(BudgetBars));

    public List<ChartSeries<double>> CumulativeLines
    {
        get
        {
            var lines = new List<ChartSeries<double>>
            {
                new() { Name = "Spent to date", Data = new ChartData<double>(Cumulative.Days.Select(d => d.CumulativeMinor is { } c ? Major(c) : (double?)null).ToArray()) },
            };
            if (Cumulative.BudgetMinor is not null)
            {
                lines.Add(new() { Name = "Budget pace", Data = Cumulative.Days.Select(d => Major(d.PaceMinor ?? 0)).ToArray() });
            }

            return lines;
        }
    }

    /// <summary>Day numbers, every fifth labelled so a phone-width axis stays readable.</summary>
    public string[] CumulativeLabels => Cumulative.Days
        .Select((d, i) => i == 0 || (i + 1) % 5 == 0 ? d.Date.Day.ToString(household.CultureInfo) : string.Empty).ToArray();

    public LineChartOptions CumulativeOptions => AxisOptions(new LineChartOptions { ChartPalette = ["#1e88e5", "#e53935"], ShowDataMarkers = false }, ChartAxis.ValuesOf(CumulativeLines));

    /// <summary>The top payees and, last, other members' private spending as one bar.</summary>
    public List<ChartSeries<double>> PayeeBars =>
        [new() { Name = "Spending", Data = Payees.Payees.Select(p => Major(p.AmountMinor)).Concat(PositivePrivate(Payees.Private).Select(p => Major(p.AmountMinor))).ToArray() }];

    public string[] PayeeLabels => Payees.Payees.Select(p => p.Name).Concat(PositivePrivate(Payees.Private).Select(p => p.Label))
        .Select(name => name.Length > 12 ? name[..11] + "…" : name).ToArray();

    // Upright labels: at 45° the first payee's name runs off the left edge of a phone-width chart.
    public BarChartOptions PayeeOptions => AxisOptions(new BarChartOptions { ChartPalette = ["#1e88e5"], XAxisLabelRotation = 90, ShowLegend = false }, ChartAxis.ValuesOf(PayeeBars));

    public List<ChartSeries<double>> MemberDonut =>
    [
        new()
        {
            Name = "Spending",
            Data = Members.Members.Where(m => m.AmountMinor > 0).Select(m => Major(m.AmountMinor))
                .Concat(PositivePrivate(Members.Private).Select(p => Major(p.AmountMinor))).ToArray(),
        },
    ];

    public string[] MemberLabels => Members.Members.Where(m => m.AmountMinor > 0).Select(m => m.Name).Concat(PositivePrivate(Members.Private).Select(p => p.Label)).ToArray();

    public DonutChartOptions MemberDonutOptions => new()
    {
        ChartPalette = Members.Members.Where(m => m.AmountMinor > 0).Select(m => m.Color).Concat(PositivePrivate(Members.Private).Select(_ => PrivateSlice.Color)).ToArray(),
        ShowLegend = false,
    };

    public List<ChartSeries<double>> IncomeBars =>
    [
        new() { Name = "Income", Data = Income.Months.Select(m => Major(m.Income.AmountMinor)).ToArray() },
        new() { Name = "Spending", Data = Income.Months.Select(m => Major(m.Spending.AmountMinor)).ToArray() },
    ];

    public string[] IncomeLabels => AxisMonthLabels(Income.Months.Select(m => m.Month));

    public BarChartOptions IncomeOptions => AxisOptions(new BarChartOptions { ChartPalette = ["#43a047", "#e53935"], XAxisLabelRotation = 45 }, ChartAxis.ValuesOf(IncomeBars));

    public double Major(long minor) => (double)Money.ToMajor(minor, household.BaseCurrency);

    public string MonthLabel(BudgetMonth month) => new DateOnly(month.Year, month.Month, 1).ToString("MMM yy", household.CultureInfo);

    /// <summary>Axis labels for consecutive months: "Jan 26" at a year's start (and first), else "Feb", so a year of labels fits.</summary>
    public string[] AxisMonthLabels(IEnumerable<BudgetMonth> months) => months
        .Select((m, i) => new DateOnly(m.Year, m.Month, 1).ToString(i == 0 || m.Month == 1 ? "MMM yy" : "MMM", household.CultureInfo)).ToArray();

    /// <summary>Amounts on the Y axis in the household's culture, at a nice step for <paramref name="values"/>.</summary>
    public T AxisOptions<T>(T options, IEnumerable<double> values)
        where T : MudBlazor.Charts.DefaultAxisChartOptions
    {
        options.YAxisToStringFunc = v => v.ToString("N0", household.CultureInfo);
        return options.WithNiceYAxis(values, 6);
    }

    /// <summary>
    /// The trend as stacked bars by category (other members' private spending as one grey series on top) with the average
    /// drawn over them as a line: a <see cref="MudBlazor.Charts.Line{T}"/> inside the stacked chart, which MudBlazor 9 draws as
    /// an overlay on the same grid and scale.
    /// </summary>
    public sealed class TrendCharts(MonthlyTrend trend, AnalyticsView view)
    {
        public MonthlyTrend Trend { get; } = trend;

        public string[] Labels { get; } = view.AxisMonthLabels(trend.Months.Select(m => m.Month));

        public List<ChartSeries<double>> Bars { get; } = trend.Series
            .Select(s => new ChartSeries<double> { Name = s.Name, Data = s.Cells.Select(c => view.Major(Math.Max(0, c.AmountMinor))).ToArray() })
            .Concat(trend.Private is { } hidden
                ? [new ChartSeries<double> { Name = hidden.Label, Data = hidden.Cells.Select(c => view.Major(Math.Max(0, c.AmountMinor))).ToArray() }]
                : [])
            .ToList();

        public StackedBarChartOptions BarOptions => view.AxisOptions(new StackedBarChartOptions
        {
            ChartPalette = [.. Trend.Series.Select(s => s.Color), .. Trend.Private is null ? Array.Empty<string>() : [PrivateSlice.Color]],
            ShowLegend = true,
            XAxisLabelRotation = 45,
        }, StackHeights.Concat(ChartAxis.ValuesOf(AverageLine)));

        /// <summary>Each month's stacked bar: the sum of its segments.</summary>
        private IEnumerable<double> StackHeights =>
            Bars.Count == 0 ? [] : Enumerable.Range(0, Bars.Max(b => b.Data.Count)).Select(i => Bars.Sum(b => i < b.Data.Count ? b.Data.GetValue(i) : 0));

        public const string AverageColor = "#212121";

        public List<ChartSeries<double>> AverageLine { get; } =
            [new() { Name = "Average", Data = trend.Months.Select(_ => view.Major(trend.AverageMinor)).ToArray() }];

        public LineChartOptions AverageOptions { get; } = new() { ChartPalette = [AverageColor], ShowDataMarkers = false, LineStrokeWidth = 2, ShowLegend = false };
    }
}
