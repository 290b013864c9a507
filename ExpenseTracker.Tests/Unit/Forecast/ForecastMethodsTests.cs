using ExpenseTracker.Web.Features.Forecast;

namespace ExpenseTracker.Tests.Unit.Forecast;

/// <summary>Each method on series whose next values are known.</summary>
public sealed class ForecastMethodsTests
{
    private static readonly ForecastMethod[] AllMethods = Enum.GetValues<ForecastMethod>();

    private static double[] Constant(double value, int months) => Enumerable.Repeat(value, months).ToArray();

    private static double[] Linear(int months) => Enumerable.Range(0, months).Select(t => 1_000.0 + (50 * t)).ToArray();

    /// <summary>1,000 + 300 × sin(2πt/12), three years: every month of the year has its own level.</summary>
    private static double[] Seasonal(int months) => Enumerable.Range(0, months).Select(t => Math.Round(1_000 + (300 * Math.Sin(2 * Math.PI * t / 12)))).ToArray();

    [Fact]
    public void EveryMethodForecastsAConstantSeriesAsThatConstant()
    {
        foreach (var method in AllMethods)
        {
            var forecast = ForecastMethods.Forecast(method, Constant(500, 30), 6);
            Assert.All(forecast, v => Assert.Equal(500, v, 6));
        }
    }

    [Fact]
    public void TheRobustSeasonalMethodContinuesALinearTrendExactly()
    {
        var forecast = ForecastMethods.Forecast(ForecastMethod.RobustSeasonal, Linear(24), 3);

        Assert.Equal([2_200, 2_250, 2_300], forecast.Select(v => Math.Round(v, 6)));
    }

    [Fact]
    public void HoltWintersFollowsALinearTrendClosely()
    {
        var forecast = ForecastMethods.Forecast(ForecastMethod.HoltWinters, Linear(36), 1);

        // Damping pulls the trend in a little: within 2 % of the line's next value (2,800).
        Assert.InRange(forecast[0], 2_800 * 0.98, 2_800 * 1.02);
    }

    [Theory]
    [InlineData(ForecastMethod.SeasonalNaive)]
    [InlineData(ForecastMethod.RobustSeasonal)]
    [InlineData(ForecastMethod.HoltWinters)]
    public void SeasonalMethodsRepeatAPureSeason(ForecastMethod method)
    {
        var series = Seasonal(36 + 12);
        var forecast = ForecastMethods.Forecast(method, series.Take(36).ToArray(), 12);

        for (var h = 0; h < 12; h++)
        {
            Assert.InRange(forecast[h], series[36 + h] - 1, series[36 + h] + 1);
        }
    }

    [Fact]
    public void TheRecentMedianIgnoresSeasonsAndTheSeasonalNaiveDoesNot()
    {
        var series = Seasonal(24);

        var median = ForecastMethods.Forecast(ForecastMethod.RecentMedian, series, 1)[0];
        var naive = ForecastMethods.Forecast(ForecastMethod.SeasonalNaive, series, 1)[0];

        Assert.Equal(series[12], naive);
        Assert.Equal(ForecastMethods.Median(series.Skip(18)), median);
    }

    [Theory]
    [InlineData(ForecastMethod.RecentMedian)]
    [InlineData(ForecastMethod.RobustSeasonal)]
    [InlineData(ForecastMethod.HoltWinters)]
    public void AOneOffOutlierBarelyMovesTheRobustMethods(ForecastMethod method)
    {
        var series = Constant(1_000, 24);
        series[20] = 10_000;

        var forecast = ForecastMethods.Forecast(method, series, 3);

        Assert.All(forecast, v => Assert.InRange(v, 950, 1_050));
    }

    [Fact]
    public void ClippingLeavesARecurringPeakAndCutsAOneOffSpike()
    {
        var series = Constant(1_000, 24);
        series[11] = series[23] = 3_000;
        series[5] = 9_000;

        var clipped = ForecastMethods.ClipOutliers(series);

        Assert.Equal(3_000, clipped[11]);
        Assert.Equal(3_000, clipped[23]);
        Assert.True(clipped[5] < 9_000);
    }

    [Fact]
    public void SeasonalNaiveBeforeAYearExistsRepeatsTheLastMonth()
    {
        Assert.Equal([30, 30], ForecastMethods.SeasonalNaive([10, 20, 30], 2));
        Assert.Equal([1, 2, 3], ForecastMethods.SeasonalNaive(Enumerable.Range(1, 12).Select(v => (double)v).ToArray(), 3));
    }

    [Fact]
    public void TheilSenIsTheMedianSlopeAndIgnoresOneWildPoint()
    {
        Assert.Equal(2, ForecastMethods.TheilSen([1, 3, 5, 1_000, 9, 11]));
        Assert.Equal(0, ForecastMethods.TheilSen([7]));
    }
}
