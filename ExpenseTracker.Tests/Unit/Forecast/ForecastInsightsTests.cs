using ExpenseTracker.Web.Features.Forecast;

namespace ExpenseTracker.Tests.Unit.Forecast;

public sealed class ForecastInsightsTests
{
    [Fact]
    public void ACategorySpendingHalfAgainAsMuchAsAYearAgoIsTrendingUpWithItsSize()
    {
        var dining = Enumerable.Repeat(100_00L, 15).ToArray();
        dining[12] = dining[13] = dining[14] = 150_00;
        var groceries = Enumerable.Repeat(500_00L, 15).ToArray();

        var trend = Assert.Single(ForecastInsights.TrendingUp(new Dictionary<long, long[]> { [1] = dining, [2] = groceries }));

        Assert.Equal(1, trend.CategoryId);
        Assert.Equal(50_00, trend.ChangeMinor);
        Assert.Equal(50, trend.ChangePercent, 6);
        Assert.Equal("the same months last year", trend.Against);
    }

    [Fact]
    public void WithLessThanFifteenMonthsTheThreeMonthsBeforeAreTheComparison()
    {
        long[] kids = [100_00, 100_00, 100_00, 130_00, 130_00, 130_00];

        var trend = Assert.Single(ForecastInsights.TrendingUp(new Dictionary<long, long[]> { [7] = kids }));

        Assert.Equal("the three months before", trend.Against);
        Assert.Equal(30, trend.ChangePercent, 6);
    }

    [Fact]
    public void SmallRisesAndTooShortHistoriesAreNotInsights()
    {
        var steady = Enumerable.Repeat(100_00L, 15).ToArray();
        steady[14] = 110_00;

        Assert.Empty(ForecastInsights.TrendingUp(new Dictionary<long, long[]> { [1] = steady }));
        Assert.Empty(ForecastInsights.TrendingUp(new Dictionary<long, long[]> { [1] = [10_00, 50_00] }));
    }

    [Fact]
    public void ASubscriptionWhosePriceRoseIsFound()
    {
        var months = Enumerable.Range(100, 8)
            .Select(m => new PayeeMonth(9, m, m < 105 ? 9_99 : 12_99, 1))
            .ToList();

        var rise = Assert.Single(ForecastInsights.PriceRises(months, 107));

        Assert.Equal((9_99, 12_99, 105), (rise.OldMinor, rise.NewMinor, rise.SinceMonth));
        Assert.Equal(30, rise.ChangePercent, 0);
    }

    [Fact]
    public void EverydayPayeesStoppedSubscriptionsAndHugeJumpsAreNotPriceRises()
    {
        var groceries = Enumerable.Range(100, 8).Select(m => new PayeeMonth(1, m, 40_00 + (m * 7), 1));
        var stopped = Enumerable.Range(90, 8).Select(m => new PayeeMonth(2, m, m < 95 ? 9_99 : 12_99, 1));
        var jump = Enumerable.Range(100, 8).Select(m => new PayeeMonth(3, m, m < 105 ? 10_00 : 30_00, 1));
        var several = Enumerable.Range(100, 8).Select(m => new PayeeMonth(4, m, m < 105 ? 10_00 : 20_00, 3));

        Assert.Empty(ForecastInsights.PriceRises(groceries.Concat(stopped).Concat(jump).Concat(several), 107));
    }
}
