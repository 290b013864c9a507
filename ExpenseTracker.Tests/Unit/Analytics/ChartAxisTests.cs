using ExpenseTracker.Web.Features.Analytics;
using MudBlazor;

namespace ExpenseTracker.Tests.Unit.Analytics;

public sealed class ChartAxisTests
{
    [Theory]
    [InlineData(18_000, 5, 5_000)]   // 0, 5,000 … 20,000 (MudBlazor alone: 5,120, 10,240 …)
    [InlineData(20_480, 5, 10_000)]
    [InlineData(1_234, 6, 250)]
    [InlineData(999, 6, 200)]
    [InlineData(100, 6, 20)]
    [InlineData(4, 5, 1)]
    [InlineData(0, 5, 1)]
    [InlineData(37, 6, 10)]
    public void TheStepIsOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen(double max, int maxLines, int expected)
    {
        Assert.Equal(expected, ChartAxis.NiceStep([0, max / 3, max], maxLines));
    }

    [Theory]
    [InlineData(18_000, 5)]
    [InlineData(7_777, 6)]
    [InlineData(123_456, 6)]
    [InlineData(41, 5)]
    public void TheLinesFitSoMudBlazorKeepsTheStep(double max, int maxLines)
    {
        var step = ChartAxis.NiceStep([max], maxLines);

        // MudBlazor's count: ceil(max / step) − floor(min / step) + 1; above the limit it would double the step.
        Assert.True(Math.Ceiling(max / step) + 1 <= maxLines);
    }

    [Fact]
    public void AnAxisBelowZeroKeepsASpareLine()
    {
        var step = ChartAxis.NiceStep([-1_000, 4_000], 6);

        Assert.Equal(2_000, step);
        Assert.True(Math.Ceiling(4_000.0 / step) - Math.Floor(-1_000.0 / step) + 1 <= 6);
    }

    [Fact]
    public void TheOptionsCarryTheStepAndTheLimit()
    {
        var options = new LineChartOptions().WithNiceYAxis(ChartAxis.ValuesOf([new ChartSeries<double> { Data = new double[] { 120, 18_000, 9_000 } }]), 5);

        Assert.Equal(5_000, options.YAxisTicks);
        Assert.Equal(5, options.MaxNumYAxisTicks);
    }
}
