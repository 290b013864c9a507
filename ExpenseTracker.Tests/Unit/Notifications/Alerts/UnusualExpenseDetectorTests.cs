using ExpenseTracker.Web.Features.Notifications.Alerts;

namespace ExpenseTracker.Tests.Unit.Notifications.Alerts;

public sealed class UnusualExpenseDetectorTests
{
    private const long Cent = 100;

    /// <summary>The amounts, two a month from August 2026 on.</summary>
    private static List<SpendingPoint> Series(params long[] amounts) =>
        amounts.Select((a, i) => new SpendingPoint(new DateOnly(2026, 8, 1).AddMonths(i / 2).AddDays(i % 2 * 10), a)).ToList();

    [Fact]
    public void MedianAndScaledMadAreRobustAndExact()
    {
        Assert.Equal(3, RobustStats.Median([5, 1, 3]));
        Assert.Equal(3, RobustStats.Median([1, 2, 4, 100])); // (2 + 4) / 2
        Assert.Equal(445, RobustStats.ScaledMad([1000, 1200, 1400, 1600, 1800, 2000], 1500)); // MAD 300 × 1.4826 = 444.78
    }

    [Fact]
    public void AConstantPayeeDoesNotFireOnAPriceChangeButOnTripleTheAmount()
    {
        var baseline = UnusualExpenseDetector.BaselineOf(Series(1549, 1549, 1549, 1549, 1549, 1549), Cent)!;

        Assert.Equal(1549, baseline.MedianMinor);
        Assert.Equal(0, baseline.ScaledMadMinor);
        Assert.Equal(3 * 1549, baseline.ThresholdMinor); // the floor (10 % of 15.49) keeps median + 6·s at 24.73, below 3 × median
        Assert.False(UnusualExpenseDetector.Judge(1799, baseline, 1799, null).IsUnusual);
        Assert.False(UnusualExpenseDetector.Judge(4646, baseline, 4646, null).IsUnusual);
        Assert.True(UnusualExpenseDetector.Judge(4647, baseline, 4647, null).IsUnusual);
    }

    [Fact]
    public void ANoisySeriesNeedsMedianPlusSixSpreadsOrTripleTheMedian()
    {
        var baseline = UnusualExpenseDetector.BaselineOf(Series(1000_00, 1200_00, 1400_00, 1600_00, 1800_00, 2000_00), Cent)!;

        Assert.Equal(1500_00, baseline.MedianMinor);
        Assert.Equal(444_78, baseline.ScaledMadMinor);
        Assert.Equal(4500_00, baseline.ThresholdMinor); // max(3 × 1500, 1500 + 6 × 444.78 = 4168.68)
        Assert.False(UnusualExpenseDetector.Judge(4499_99, baseline, 4499_99, null).IsUnusual);
        Assert.True(UnusualExpenseDetector.Judge(4500_00, baseline, 4500_00, null).IsUnusual);
    }

    [Fact]
    public void TooLittleHistoryGivesNoBaselineAndNoAlert()
    {
        Assert.Null(UnusualExpenseDetector.BaselineOf(Series(10_00, 10_00, 10_00, 10_00, 10_00), Cent)); // 5 expenses
        var twoMonths = Enumerable.Range(0, 8).Select(i => new SpendingPoint(new DateOnly(2026, 9, 1).AddDays(i * 7), 10_00)).ToList();
        Assert.Null(UnusualExpenseDetector.BaselineOf(twoMonths, Cent)); // 8 expenses in September and October only

        Assert.False(UnusualExpenseDetector.Judge(1_000_000_00, null, 1_000_000_00, null).IsUnusual);
    }

    [Fact]
    public void APayeeSeenOnlyAFewTimesVouchesForUpToTripleItsLargestAmount()
    {
        var rent = UnusualExpenseDetector.BaselineOf(Series(1650_00, 1650_00), Cent, provisional: true)!;
        var housing = UnusualExpenseDetector.BaselineOf(Series(60_00, 1650_00, 45_00, 80_00, 1650_00, 30_00, 70_00), Cent);

        Assert.Equal(4950_00, rent.ThresholdMinor);
        Assert.Null(UnusualExpenseDetector.BaselineOf(Series(1650_00, 1650_00), Cent)); // a category needs the full minimum
        Assert.False(UnusualExpenseDetector.Judge(1650_00, rent, 1650_00, housing).IsUnusual);
        Assert.True(UnusualExpenseDetector.Judge(1650_00, null, 1650_00, housing).IsUnusual); // the same rent from a new landlord
        Assert.False(UnusualExpenseDetector.Judge(9999_00, rent, 9999_00, null).IsUnusual); // a short history only vouches, never accuses
        Assert.True(UnusualExpenseDetector.Judge(9999_00, rent, 9999_00, housing).IsUnusual);
    }

    [Fact]
    public void OneHugeValueInTheHistoryDoesNotHideTheNextOne()
    {
        var baseline = UnusualExpenseDetector.BaselineOf(Series(10_00, 11_00, 10_00, 9_00, 10_00, 10_00, 5000_00), Cent)!;

        Assert.Equal(10_00, baseline.MedianMinor);
        Assert.Equal(30_00, baseline.ThresholdMinor);
        Assert.True(UnusualExpenseDetector.Judge(50_00, baseline, 50_00, null).IsUnusual);
    }

    [Fact]
    public void OnlyTheLatestHundredExpensesMakeTheBaseline()
    {
        var history = Series([.. Enumerable.Repeat(1000_00L, 50), .. Enumerable.Repeat(10_00L, 100)]);

        Assert.Equal(10_00, UnusualExpenseDetector.BaselineOf(history, Cent)!.MedianMinor);
    }

    [Fact]
    public void AnAmountNormalForItsPayeeIsNotUnusualEvenIfItsCategoryRarelySeesIt()
    {
        var insurer = UnusualExpenseDetector.BaselineOf(Series(600_00, 600_00, 650_00, 600_00, 600_00, 620_00), Cent);
        var category = UnusualExpenseDetector.BaselineOf(Series(20_00, 30_00, 25_00, 20_00, 40_00, 30_00), Cent);

        Assert.False(UnusualExpenseDetector.Judge(640_00, insurer, 640_00, category).IsUnusual);
        Assert.True(UnusualExpenseDetector.Judge(640_00, null, 640_00, category).IsUnusual); // a new payee: judged by its category
        Assert.True(UnusualExpenseDetector.Judge(2500_00, insurer, 2500_00, category).IsUnusual);
    }
}
