using ExpenseTracker.Web.Features.Forecast;

namespace ExpenseTracker.Tests.Unit.Forecast;

/// <summary>Method choice, band and little-history handling, in minor units.</summary>
public sealed class ForecasterTests
{
    [Fact]
    public void AConstantSeriesGetsItsValueWithAZeroWidthBand()
    {
        var forecast = Forecaster.Forecast(Enumerable.Repeat(123_45L, 24).ToList(), 6);

        Assert.Equal(6, forecast.Points.Count);
        Assert.All(forecast.Points, p => Assert.Equal(new ForecastPoint(123_45, 123_45, 123_45), p));
        Assert.False(forecast.LowConfidence);
    }

    [Fact]
    public void ASingleMonthIsAnAverageMarkedLowConfidence()
    {
        var forecast = Forecaster.Forecast([250_00], 3);

        Assert.Equal(ForecastMethod.Average, forecast.Method);
        Assert.True(forecast.LowConfidence);
        Assert.All(forecast.Points, p =>
        {
            Assert.Equal(250_00, p.PointMinor);
            Assert.True(p.LowMinor >= 0 && p.LowMinor <= p.PointMinor && p.HighMinor > p.PointMinor);
        });
    }

    [Fact]
    public void NoHistoryForecastsZeroAndNeverThrows()
    {
        var forecast = Forecaster.Forecast([], 6);

        Assert.True(forecast.LowConfidence);
        Assert.All(forecast.Points, p => Assert.Equal(new ForecastPoint(0, 0, 0), p));
    }

    [Fact]
    public void TwoMonthsAreStillAveragedAndThreeAreNot()
    {
        Assert.Equal(150_00, Forecaster.Forecast([100_00, 200_00], 1).Points[0].PointMinor);
        Assert.Equal(ForecastMethod.Average, Forecaster.Forecast([100_00, 200_00], 1).Method);
        Assert.NotEqual(ForecastMethod.Average, Forecaster.Forecast([100_00, 200_00, 300_00], 1).Method);
    }

    [Fact]
    public void MonthsWithoutSpendingGiveAFiniteForecastAndABandNotBelowZero()
    {
        long[] gaps = [400_00, 0, 0, 380_00, 0, 410_00, 0, 0, 0, 395_00, 0, 405_00, 0, 0, 390_00, 0];

        var forecast = Forecaster.Forecast(gaps, 6);

        Assert.All(forecast.Points, p =>
        {
            Assert.InRange(p.PointMinor, 0, 410_00);
            Assert.True(p.LowMinor >= 0 && p.LowMinor <= p.PointMinor && p.PointMinor <= p.HighMinor);
        });
    }

    [Fact]
    public void APureSeasonIsForecastByASeasonalMethod()
    {
        var series = Enumerable.Range(0, 36).Select(t => 1_000_00L + (t % 12 == 11 ? 500_00 : 0)).ToList();

        var forecast = Forecaster.Forecast(series, 12);

        Assert.Contains(forecast.Method, new[] { ForecastMethod.SeasonalNaive, ForecastMethod.RobustSeasonal, ForecastMethod.HoltWinters });
        Assert.InRange(forecast.Points[11].PointMinor, 1_499_00, 1_501_00);
        Assert.InRange(forecast.Points[0].PointMinor, 999_00, 1_001_00);
        Assert.Equal(0, forecast.BacktestErrorMinor!.Value, 1);
    }

    [Fact]
    public void AnOutlierDoesNotMakeTheBaselineWinOnANoisyFlatSeries()
    {
        var random = new Random(5);
        var series = Enumerable.Range(0, 30).Select(_ => 1_000_00L + random.Next(-50_00, 50_00)).ToList();
        series[24] = 5_000_00;

        var forecast = Forecaster.Forecast(series, 3);

        Assert.NotEqual(ForecastMethod.SeasonalNaive, forecast.Method);
        Assert.InRange(forecast.Points[0].PointMinor, 900_00, 1_100_00);
        Assert.True(forecast.BacktestErrorMinor < forecast.BaselineErrorMinor);
    }

    [Fact]
    public void TheBandWidensWithTheHorizon()
    {
        var random = new Random(11);
        var series = Enumerable.Range(0, 30).Select(_ => 1_000_00L + random.Next(-100_00, 100_00)).ToList();

        var points = Forecaster.Forecast(series, 6).Points;

        Assert.True(points[5].HighMinor - points[5].LowMinor >= points[0].HighMinor - points[0].LowMinor);
        Assert.All(points, p => Assert.True(p.LowMinor < p.PointMinor && p.PointMinor < p.HighMinor));
    }

    [Fact]
    public void RoundingIsHalfAwayFromZeroAndSafeForNonFiniteValues()
    {
        Assert.Equal(3, Forecaster.Round(2.5));
        Assert.Equal(-3, Forecaster.Round(-2.5));
        Assert.Equal(0, Forecaster.Round(double.NaN));
    }
}
