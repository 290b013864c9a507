namespace ExpenseTracker.Web.Features.Forecast;

/// <summary>One forecast month of a series, in minor units: the point and an 80 % band.</summary>
public readonly record struct ForecastPoint(long PointMinor, long LowMinor, long HighMinor);

/// <summary>
/// A series' forecast: the method chosen by backtest, its points for months 1..H, and how it did against the
/// seasonal-naive baseline in that backtest (mean absolute error in minor units; null when there was too little history).
/// </summary>
public sealed record SeriesForecast(
    ForecastMethod Method,
    IReadOnlyList<ForecastPoint> Points,
    bool LowConfidence,
    double? BacktestErrorMinor,
    double? BaselineErrorMinor);

/// <summary>
/// Chooses a method per series by a rolling-origin backtest over its own last months and forecasts with it. The band
/// is ±1.28 × the backtest's root-mean-square error at each horizon (an 80 % band if errors were normal), widened with
/// the horizon and never below zero when the series never was.
/// </summary>
public static class Forecaster
{
    public const int MaxHorizon = 12;
    /// <summary>Methods are chosen on their errors 1 to 3 months ahead, whatever horizon is asked for.</summary>
    public const int SelectionHorizon = 3;
    /// <summary>Below this many months the forecast is a plain average, marked low confidence.</summary>
    public const int MinConfidentMonths = 3;
    /// <summary>How many of the last months are replayed to choose a method.</summary>
    public const int SelectionOrigins = 12;
    private const double BandZ = 1.2816;

    private static readonly ForecastMethod[] Candidates =
        [ForecastMethod.SeasonalNaive, ForecastMethod.RecentMedian, ForecastMethod.RobustSeasonal, ForecastMethod.HoltWinters];

    public static SeriesForecast Forecast(IReadOnlyList<long> historyMinor, int horizon)
    {
        horizon = Math.Clamp(horizon, 1, MaxHorizon);
        var history = historyMinor.Select(v => (double)v).ToArray();
        var n = history.Length;
        if (n < MinConfidentMonths)
        {
            var mean = n == 0 ? 0 : history.Average();
            var spread = n == 0 ? 0 : Math.Max(Math.Abs(mean) * 0.5, n > 1 ? history.Max() - history.Min() : 0);
            return new SeriesForecast(ForecastMethod.Average,
                Enumerable.Range(1, horizon).Select(_ => Point(mean, spread, history)).ToList(), true, null, null);
        }

        var scores = Candidates
            .Select(m => (Method: m, Errors: Backtest(m, history, SelectionHorizon)))
            .Where(s => s.Errors is not null)
            .Select(s => (s.Method, Errors: s.Errors!, Mae: s.Errors!.SelectMany(e => e).Select(Math.Abs).DefaultIfEmpty().Average()))
            .ToList();
        var baseline = scores.FirstOrDefault(s => s.Method == ForecastMethod.SeasonalNaive);
        if (scores.Count == 0)
        {
            // Too short to replay: the robust fallback, with the series' own spread as the band.
            var fallback = ForecastMethods.Forecast(ForecastMethod.RecentMedian, history, horizon);
            var deviation = StandardDeviation(history);
            return new SeriesForecast(ForecastMethod.RecentMedian,
                fallback.Select((v, i) => Point(v, BandZ * deviation * Math.Sqrt(i + 1), history)).ToList(), true, null, null);
        }

        // Ties (e.g. a constant series) go to the simplest method: candidates are listed simplest first. Once a year of
        // history exists but too little to replay the seasonal method, it is used anyway (its band borrows the best
        // replayable method's errors): without it the first repeat of a seasonal peak is always missed.
        var best = scores.OrderBy(s => s.Mae).First();
        var method = n >= ForecastMethods.MinHistory(ForecastMethod.RobustSeasonal) && scores.All(s => s.Method != ForecastMethod.RobustSeasonal)
            ? ForecastMethod.RobustSeasonal
            : best.Method;
        var points = ForecastMethods.Forecast(method, history, horizon);
        return new SeriesForecast(
            method,
            points.Select((v, i) => Point(v, BandZ * Rmse(best.Errors, i), history)).ToList(),
            n < ForecastMethods.Season,
            best.Mae,
            baseline.Errors is null ? null : baseline.Mae);
    }

    /// <summary>
    /// Errors (actual − forecast) of <paramref name="method"/> from each of the last <see cref="SelectionOrigins"/> origins,
    /// per horizon; null when the method could be replayed from fewer than 3 origins.
    /// </summary>
    public static List<double>[]? Backtest(ForecastMethod method, IReadOnlyList<double> history, int horizon)
    {
        var n = history.Count;
        var first = Math.Max(ForecastMethods.MinHistory(method), Math.Max(MinConfidentMonths, n - SelectionOrigins));
        if (n - first < 3)
        {
            return null;
        }

        var errors = Enumerable.Range(0, horizon).Select(_ => new List<double>()).ToArray();
        for (var origin = first; origin < n; origin++)
        {
            var train = history.Take(origin).ToArray();
            var forecast = ForecastMethods.Forecast(method, train, Math.Min(horizon, n - origin));
            for (var h = 0; h < forecast.Length; h++)
            {
                errors[h].Add(history[origin + h] - forecast[h]);
            }
        }

        return errors;
    }

    private static ForecastPoint Point(double value, double halfWidth, double[] history)
    {
        var floor = history.Length == 0 || history.Min() >= 0 ? 0 : double.MinValue;
        var point = Math.Max(floor, value);
        return new ForecastPoint(Round(point), Round(Math.Max(floor, point - halfWidth)), Round(point + halfWidth));
    }

    /// <summary>RMSE at horizon index <paramref name="h"/>; later horizons with few errors borrow h = 1's, widened by √h.</summary>
    private static double Rmse(List<double>[] errors, int h)
    {
        var at = h < errors.Length && errors[h].Count >= 3 ? errors[h] : null;
        if (at is not null)
        {
            return Math.Sqrt(at.Average(e => e * e));
        }

        var one = errors[0];
        return one.Count == 0 ? 0 : Math.Sqrt(one.Average(e => e * e)) * Math.Sqrt(h + 1);
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }

    /// <summary>Doubles become minor units here, half away from zero.</summary>
    public static long Round(double value) =>
        double.IsFinite(value) ? (long)Math.Round(Math.Clamp(value, -1e15, 1e15), MidpointRounding.AwayFromZero) : 0;
}
