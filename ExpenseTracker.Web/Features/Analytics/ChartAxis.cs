using MudBlazor;
using MudBlazor.Charts;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>
/// Y-axis steps a person reads at a glance: 1, 2, 2.5 or 5 × 10ⁿ (0, 5,000, 10,000 …). Left alone, MudBlazor 9 starts at
/// a step of 20 and doubles it until the lines fit, which labels money axes 5,120, 10,240, 15,360.
/// </summary>
public static class ChartAxis
{
    /// <summary>The smallest nice whole step that draws the values (and zero) in at most <paramref name="maxLines"/> lines.</summary>
    public static int NiceStep(IEnumerable<double> values, int maxLines)
    {
        double min = 0, max = 0;
        foreach (var value in values)
        {
            if (double.IsFinite(value))
            {
                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }
        }

        // MudBlazor draws ceil(max / step) − floor(min / step) + 1 lines: one spare line when the axis crosses zero.
        var gaps = Math.Max(1, maxLines - (min < 0 ? 2 : 1));
        var raw = (max - min) / gaps;
        if (raw <= 1)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        // 2.5 only from 25 up: a step of 2.5 is not whole.
        var multiple = new[] { 1, 2, 2.5, 5 }.FirstOrDefault(m => m * magnitude >= raw && (m != 2.5 || magnitude >= 10), 10);
        return (int)Math.Min(int.MaxValue, Math.Round(multiple * magnitude));
    }

    /// <summary>Sets a nice step for these values and the most lines the chart may draw.</summary>
    public static T WithNiceYAxis<T>(this T options, IEnumerable<double> values, int maxLines)
        where T : DefaultAxisChartOptions
    {
        options.MaxNumYAxisTicks = maxLines;
        options.YAxisTicks = NiceStep(values, maxLines);
        return options;
    }

    /// <summary>Every value of the series; a gap reads as zero, which the axis includes anyway.</summary>
    public static IEnumerable<double> ValuesOf(IEnumerable<ChartSeries<double>> series) => series.SelectMany(s => s.Data);
}
