using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Forecast;

namespace ExpenseTracker.Tests.Unit.Forecast;

/// <summary>
/// November 2026: the 15th is a Sunday; the 16th–30th hold 11 weekdays and 4 weekend days. The pattern window is the
/// four weeks 18 October – 14 November (20 weekdays, 8 weekend days).
/// </summary>
public sealed class MonthEndProjectorTests
{
    private static readonly MonthRange November = BudgetPeriods.RangeOf(new BudgetMonth(2026, 11), 1);
    private static readonly DateOnly Today = new(2026, 11, 15);
    private static readonly DateOnly HistoryFrom = new(2026, 10, 18);

    /// <summary>Category 1: 10.00 every weekday and 30.00 every weekend day of the window.</summary>
    private static List<DailySpend> Pattern()
    {
        var days = new List<DailySpend>();
        for (var day = HistoryFrom; day < Today; day = day.AddDays(1))
        {
            days.Add(new DailySpend(1, day, MonthEndProjector.IsWeekend(day) ? 30_00 : 10_00));
        }

        return days;
    }

    [Fact]
    public void TheRestOfTheMonthFollowsTheWeekdayAndWeekendPattern()
    {
        var projection = MonthEndProjector.Project(November, Today, new Dictionary<long, long> { [1] = 200_00 }, Pattern(), HistoryFrom, []);

        Assert.Equal((11, 4), (projection.WeekdaysLeft, projection.WeekendDaysLeft));
        var groceries = Assert.Single(projection.Categories);
        Assert.Equal((11 * 10_00) + (4 * 30_00), groceries.ExpectedVariableMinor);
        Assert.Equal(200_00 + 230_00, groceries.ProjectedMinor);
        Assert.False(projection.LowConfidence);
    }

    [Fact]
    public void BillsStillDueThisMonthAreAddedExactlyAndLaterOnesAreNot()
    {
        DueBill[] bills =
        [
            new(2, new DateOnly(2026, 11, 20), 85_50, "Power"),
            new(2, new DateOnly(2026, 12, 20), 85_50, "Power"),
            new(null, new DateOnly(2026, 11, 28), 12_99, "Streaming"),
        ];

        var projection = MonthEndProjector.Project(November, Today, new Dictionary<long, long> { [2] = 40_00 }, [], Today, bills);

        var utilities = projection.For(2)!;
        Assert.Equal(85_50, utilities.BillsDueMinor);
        Assert.Equal(40_00 + 85_50, utilities.ProjectedMinor);
        Assert.Equal(12_99, projection.For(MonthEndProjector.NoCategory)!.BillsDueMinor);
        Assert.Equal(40_00 + 85_50 + 12_99, projection.ProjectedMinor);
    }

    [Fact]
    public void AFinishedMonthProjectsWhatWasSpent()
    {
        var projection = MonthEndProjector.Project(November, new DateOnly(2026, 12, 3), new Dictionary<long, long> { [1] = 321_00 }, Pattern(), HistoryFrom, []);

        Assert.Equal(321_00, projection.ProjectedMinor);
        Assert.Equal((0, 0), (projection.WeekdaysLeft, projection.WeekendDaysLeft));
    }

    [Fact]
    public void ANewHouseholdGetsNoNonsenseAndALowConfidenceMark()
    {
        var projection = MonthEndProjector.Project(November, Today, new Dictionary<long, long>(), [], Today, []);

        Assert.True(projection.LowConfidence);
        Assert.Equal(0, projection.ProjectedMinor);
        Assert.Empty(projection.Categories);
    }

    [Fact]
    public void AShortHistoryStillProjectsButIsLowConfidence()
    {
        var from = new DateOnly(2026, 11, 9);
        var days = Pattern().Where(d => d.Date >= from).ToList();

        var projection = MonthEndProjector.Project(November, Today, new Dictionary<long, long> { [1] = 100_00 }, days, from, []);

        Assert.True(projection.LowConfidence);
        Assert.Equal(6, projection.HistoryDays);
        // 9–14 November: 5 weekdays (10.00), 1 weekend day (Saturday, 30.00).
        Assert.Equal((11 * 10_00) + (4 * 30_00), projection.For(1)!.ExpectedVariableMinor);
    }

    [Fact]
    public void RefundsLowerTheDailyPattern()
    {
        var days = Pattern().Select(d => d with { AmountMinor = d.AmountMinor / 2 }).ToList();
        days.Add(new DailySpend(1, new DateOnly(2026, 11, 10), -100_00));

        var projection = MonthEndProjector.Project(November, Today, new Dictionary<long, long>(), days, HistoryFrom, []);

        // Weekdays: (20 × 5.00 − 100.00) / 20 = 0 a day; weekends 15.00 a day.
        Assert.Equal(4 * 15_00, projection.For(1)!.ExpectedVariableMinor);
    }
}
