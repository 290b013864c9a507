using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Budgets;

namespace ExpenseTracker.Tests.Unit.Budgets;

public sealed class BudgetMathTests
{
    private static readonly BudgetMonth Jan = new(2026, 1);
    private static readonly BudgetMonth Feb = new(2026, 2);
    private static readonly BudgetMonth Mar = new(2026, 3);
    private static readonly BudgetMonth Apr = new(2026, 4);
    private static readonly MonthRange November = BudgetPeriods.RangeOf(new BudgetMonth(2026, 11), 1);

    [Fact]
    public void AnAmountRepeatsEveryMonthUntilChanged()
    {
        AmountEntry[] entries = [new(Jan, 100_00, false), new(Apr, 150_00, false)];

        Assert.Null(BudgetMath.AmountFor(entries, Jan.Previous));
        Assert.Equal(100_00, BudgetMath.AmountFor(entries, Jan));
        Assert.Equal(100_00, BudgetMath.AmountFor(entries, Mar));
        Assert.Equal(150_00, BudgetMath.AmountFor(entries, Apr));
        Assert.Equal(150_00, BudgetMath.AmountFor(entries, Apr.AddMonths(20)));
    }

    [Fact]
    public void AnOverrideChangesOnlyItsOwnMonth()
    {
        AmountEntry[] entries = [new(Jan, 50_00, false), new(new BudgetMonth(2026, 12), 400_00, true)];

        Assert.Equal(50_00, BudgetMath.AmountFor(entries, new BudgetMonth(2026, 11)));
        Assert.Equal(400_00, BudgetMath.AmountFor(entries, new BudgetMonth(2026, 12)));
        Assert.Equal(50_00, BudgetMath.AmountFor(entries, new BudgetMonth(2027, 1)));
    }

    [Fact]
    public void AnOverrideBeforeAnyRepeatingAmountStandsAlone()
    {
        AmountEntry[] entries = [new(Feb, 70_00, true), new(Apr, 10_00, false)];

        Assert.Null(BudgetMath.AmountFor(entries, Jan));
        Assert.Equal(70_00, BudgetMath.AmountFor(entries, Feb));
        Assert.Null(BudgetMath.AmountFor(entries, Mar));
        Assert.Equal(10_00, BudgetMath.AmountFor(entries, Apr));
    }

    [Fact]
    public void RolloverCarriesSavingsAndDeficitsAcrossSeveralMonths()
    {
        AmountEntry[] entries = [new(Jan, 100_00, false)];
        var spent = new Dictionary<BudgetMonth, long> { [Jan] = 60_00, [Feb] = 150_00, [Mar] = 100_00 };

        Assert.Equal(0, BudgetMath.Carried(entries, spent, Jan));
        Assert.Equal(40_00, BudgetMath.Carried(entries, spent, Feb));
        Assert.Equal(-10_00, BudgetMath.Carried(entries, spent, Mar));
        Assert.Equal(-10_00, BudgetMath.Carried(entries, spent, Apr));
    }

    [Fact]
    public void RolloverUsesEachMonthsOwnAmountIncludingOverrides()
    {
        AmountEntry[] entries = [new(Jan, 100_00, false), new(Mar, 200_00, true)];
        var spent = new Dictionary<BudgetMonth, long> { [Jan] = 60_00, [Feb] = 150_00, [Mar] = 100_00 };

        Assert.Equal(90_00, BudgetMath.Carried(entries, spent, Apr));
    }

    [Fact]
    public void ARefundLargerThanTheMonthsExpensesIncreasesWhatCarriesOver()
    {
        AmountEntry[] entries = [new(Jan, 100_00, false)];
        var spent = new Dictionary<BudgetMonth, long> { [Jan] = -25_00 };

        Assert.Equal(125_00, BudgetMath.Carried(entries, spent, Feb));
    }

    [Fact]
    public void TheCarriedAmountIsReportedApartFromTheBudget()
    {
        var figures = BudgetMath.Figures(100_00, -10_00, 30_00, November, new DateOnly(2026, 11, 15));

        Assert.Equal(100_00, figures.BudgetMinor);
        Assert.Equal(-10_00, figures.CarriedMinor);
        Assert.Equal(90_00, figures.AvailableMinor);
        Assert.Equal(60_00, figures.RemainingMinor);
    }

    [Fact]
    public void RemainingPerDayDividesWhatIsLeftByTheDaysLeftIncludingToday()
    {
        var figures = BudgetMath.Figures(300_00, 0, 140_00, November, new DateOnly(2026, 11, 15));

        Assert.Equal(16, figures.DaysLeft);
        Assert.Equal(10_00, figures.RemainingPerDayMinor);
        Assert.Null(BudgetMath.Figures(300_00, 0, 140_00, November, new DateOnly(2026, 12, 2)).RemainingPerDayMinor);
    }

    [Theory]
    [InlineData(1_300_00, PaceState.UnderPace)]
    [InlineData(1_350_00, PaceState.OnPace)]
    [InlineData(1_500_00, PaceState.OnPace)]
    [InlineData(1_650_00, PaceState.OnPace)]
    [InlineData(1_650_01, PaceState.OverPace)]
    [InlineData(3_000_00, PaceState.OverPace)]
    [InlineData(3_000_01, PaceState.OverBudget)]
    public void HalfwayThroughTheMonthHalfTheBudgetIsOnPaceWithinTenPercent(long spent, PaceState expected)
    {
        var figures = BudgetMath.Figures(3_000_00, 0, spent, November, new DateOnly(2026, 11, 15));

        Assert.Equal(1_500_00, figures.ExpectedByNowMinor);
        Assert.Equal(expected, figures.State);
    }

    [Fact]
    public void AFutureMonthExpectsNothingAndAPastMonthExpectsEverything()
    {
        Assert.Equal(0, BudgetMath.Figures(300_00, 0, 0, November, new DateOnly(2026, 10, 20)).ExpectedByNowMinor);
        Assert.Equal(PaceState.OnPace, BudgetMath.Figures(300_00, 0, 0, November, new DateOnly(2026, 10, 20)).State);
        Assert.Equal(300_00, BudgetMath.Figures(300_00, 0, 0, November, new DateOnly(2026, 12, 20)).ExpectedByNowMinor);
        Assert.Equal(PaceState.UnderPace, BudgetMath.Figures(300_00, 0, 100_00, November, new DateOnly(2026, 12, 20)).State);
    }

    [Fact]
    public void RentDueOnTheFirstIsExpectedOnTheFirstAndTheRestOfTheBudgetEvenly()
    {
        // Housing 2,000 with 1,650 rent due on the 1st: on the 15th, expected = 1,650 + 350 × 15 ÷ 30 = 1,825.
        var rent = BillPlan.Of([(new BillScheduleSpec(BillScheduleKind.MonthlyOnDay, new DateOnly(2026, 1, 1), DayOfMonth: 1), 1_650_00)], November, new DateOnly(2026, 11, 15));
        Assert.Equal(new BillPlan(1_650_00, 1_650_00), rent);

        var paid = BudgetMath.Figures(2_000_00, 0, 1_650_00, November, new DateOnly(2026, 11, 15), bills: rent);
        Assert.Equal(1_825_00, paid.ExpectedByNowMinor);
        Assert.Equal(PaceState.OnPace, paid.State);
        // Spread evenly, as without the bill, paying the rent looked 65 % over pace.
        Assert.Equal(PaceState.OverPace, BudgetMath.Figures(2_000_00, 0, 1_650_00, November, new DateOnly(2026, 11, 15)).State);

        // On the 1st the whole rent is expected; on the last day, everything; a future month, nothing.
        Assert.Equal(1_650_00 + 11_67, BudgetMath.Figures(2_000_00, 0, 0, November, new DateOnly(2026, 11, 1), bills: rent).ExpectedByNowMinor);
        Assert.Equal(2_000_00, BudgetMath.Figures(2_000_00, 0, 0, November, new DateOnly(2026, 11, 30), bills: rent).ExpectedByNowMinor);
        Assert.Equal(0, BudgetMath.Figures(2_000_00, 0, 0, November, new DateOnly(2026, 10, 20), bills: new BillPlan(1_650_00, 0)).ExpectedByNowMinor);
    }

    [Fact]
    public void BillsAreExpectedOnEachDueDateAndNeverBeyondWhatIsAvailable()
    {
        // A weekly 100 from Monday 2 November: five in November (2, 9, 16, 23, 30), two due by the 10th.
        var weekly = BillPlan.Of([(new BillScheduleSpec(BillScheduleKind.Weekly, new DateOnly(2026, 11, 2), DayOfWeek: DayOfWeek.Monday), 100_00)], November, new DateOnly(2026, 11, 10));
        Assert.Equal(new BillPlan(500_00, 200_00), weekly);
        Assert.Equal(200_00 + 33_33, BudgetMath.Expected(600_00, November, new DateOnly(2026, 11, 10), weekly));

        // Bills above the budget count only up to the budget (nothing is left to spread); a deficit expects no bills.
        Assert.Equal(200_00, BudgetMath.Expected(300_00, November, new DateOnly(2026, 11, 10), weekly));
        var lastDay = new DateOnly(2026, 11, 30);
        var weeklyByLastDay = BillPlan.Of([(new BillScheduleSpec(BillScheduleKind.Weekly, new DateOnly(2026, 11, 2), DayOfWeek: DayOfWeek.Monday), 100_00)], November, lastDay);
        Assert.Equal(new BillPlan(500_00, 500_00), weeklyByLastDay);
        Assert.Equal(300_00, BudgetMath.Expected(300_00, November, lastDay, weeklyByLastDay));
        Assert.Equal(BudgetMath.Expected(-50_00, November, new DateOnly(2026, 11, 10)), BudgetMath.Expected(-50_00, November, new DateOnly(2026, 11, 10), weekly));
    }

    [Fact]
    public void ADeficitLargerThanTheBudgetMeansOverBudgetBeforeSpendingAnything()
    {
        var figures = BudgetMath.Figures(100_00, -150_00, 0, November, new DateOnly(2026, 11, 1));

        Assert.Equal(PaceState.OverBudget, figures.State);
        Assert.Equal(BudgetThreshold.Alert, figures.Threshold);
        Assert.Null(figures.PercentUsed);
    }

    [Fact]
    public void ThresholdsAreReachedAtTheirPercentOfTheAvailableAmount()
    {
        Assert.Equal(BudgetThreshold.None, BudgetMath.ThresholdOf(79_99, 100_00, 80, 100));
        Assert.Equal(BudgetThreshold.Warn, BudgetMath.ThresholdOf(80_00, 100_00, 80, 100));
        Assert.Equal(BudgetThreshold.Alert, BudgetMath.ThresholdOf(100_00, 100_00, 80, 100));
        Assert.Equal(BudgetThreshold.Warn, BudgetMath.ThresholdOf(60_00, 100_00, 50, 90));
    }

    [Fact]
    public void AnExpenseCrossingAThresholdReportsItOnceAndGoingDownReportsNothing()
    {
        Assert.Equal(BudgetThreshold.Warn, BudgetMath.Crossed(79_00, 81_00, 100_00, 80, 100));
        Assert.Equal(BudgetThreshold.Alert, BudgetMath.Crossed(79_00, 120_00, 100_00, 80, 100));
        Assert.Equal(BudgetThreshold.None, BudgetMath.Crossed(81_00, 95_00, 100_00, 80, 100));
        Assert.Equal(BudgetThreshold.None, BudgetMath.Crossed(120_00, 70_00, 100_00, 80, 100));
    }

    [Theory]
    [InlineData(5, 2, 3)]
    [InlineData(-5, 2, -3)]
    [InlineData(4, 3, 1)]
    [InlineData(-4, 3, -1)]
    [InlineData(7, 7, 1)]
    public void RoundingIsHalfAwayFromZero(long numerator, long denominator, long expected) =>
        Assert.Equal(expected, BudgetMath.RoundDiv(numerator, denominator));
}
