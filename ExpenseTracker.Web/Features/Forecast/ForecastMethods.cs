namespace ExpenseTracker.Web.Features.Forecast;

/// <summary>The forecasting methods a series can be given (see docs/forecasting.md).</summary>
public enum ForecastMethod
{
    /// <summary>Fewer than 3 months: the mean of what there is.</summary>
    Average = 0,
    /// <summary>The same month a year earlier (the baseline every method is compared with); last month's value before a year exists.</summary>
    SeasonalNaive = 1,
    /// <summary>The median of the last 6 months: robust to one-off outliers, blind to seasons.</summary>
    RecentMedian = 2,
    /// <summary>Significant median offsets per calendar month, a level from the last 12 clipped months and a Theil–Sen trend.</summary>
    RobustSeasonal = 3,
    /// <summary>Additive damped-trend Holt-Winters (ETS(A,Ad,A)) with yearly seasonality, fitted on outlier-clipped history.</summary>
    HoltWinters = 4,
}

/// <summary>
/// Point forecasts of monthly series. Pure and deterministic; works in double (money is rounded to minor units by the
/// caller). A series is consecutive months, oldest first; position t's calendar month is t mod 12 relative to the start.
/// </summary>
public static class ForecastMethods
{
    public const int Season = 12;
    public const int RecentWindow = 6;
    /// <summary>A calendar month's offset counts when it exceeds this many noise scales.</summary>
    public const double SignificantOffset = 1.0;

    /// <summary>The least history each method needs to forecast at all.</summary>
    public static int MinHistory(ForecastMethod method) => method switch
    {
        ForecastMethod.RobustSeasonal => Season + 1,
        ForecastMethod.HoltWinters => Season + 4,
        _ => 1,
    };

    public static double[] Forecast(ForecastMethod method, IReadOnlyList<double> history, int horizon)
    {
        if (history.Count == 0)
        {
            return new double[horizon];
        }

        return method switch
        {
            ForecastMethod.Average => Repeat(history.Average(), horizon),
            ForecastMethod.SeasonalNaive => SeasonalNaive(history, horizon),
            ForecastMethod.RecentMedian => Repeat(Median(history.Skip(Math.Max(0, history.Count - RecentWindow))), horizon),
            ForecastMethod.RobustSeasonal => history.Count >= MinHistory(method) ? RobustSeasonal(history, horizon) : Forecast(ForecastMethod.RecentMedian, history, horizon),
            ForecastMethod.HoltWinters => history.Count >= MinHistory(method) ? HoltWinters(history, horizon) : Forecast(ForecastMethod.RecentMedian, history, horizon),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown method."),
        };
    }

    public static double[] SeasonalNaive(IReadOnlyList<double> history, int horizon)
    {
        var n = history.Count;
        var result = new double[horizon];
        for (var h = 1; h <= horizon; h++)
        {
            // y[n-1+h] = y[n-1+h-12k] for the smallest k that lands inside the history; before a year exists, the last value.
            var index = n - 1 + h - Season;
            while (index >= n)
            {
                index -= Season;
            }

            result[h - 1] = index >= 0 ? history[index] : history[n - 1];
        }

        return result;
    }

    /// <summary>
    /// Seasonal offsets (only those clearly above the noise), a level = the mean of the last 12 outlier-clipped,
    /// deseasonalized months, and a robust (Theil–Sen) trend carried from the middle of those months to the target.
    /// </summary>
    public static double[] RobustSeasonal(IReadOnlyList<double> history, int horizon)
    {
        var n = history.Count;
        var clean = ClipOutliers(history);

        // Offsets are measured on the series detrended by the median year-over-year change (which no season affects),
        // so a trend is not mistaken for a season. Fewer than six such changes are too noisy to detrend by.
        var rough = n - Season >= 6 ? Median(Enumerable.Range(Season, n - Season).Select(t => clean[t] - clean[t - Season])) / Season : 0;
        var offsets = SeasonalOffsets(clean.Select((v, t) => v - (rough * t)).ToArray());
        var deseasonalized = Enumerable.Range(0, n).Select(t => clean[t] - offsets[t % Season]).ToArray();
        var window = Math.Min(Season, n);
        var level = deseasonalized.Skip(n - window).Average();
        var slope = TheilSen(deseasonalized.Skip(Math.Max(0, n - (2 * Season))).ToArray());
        var centre = (window - 1) / 2.0;
        var result = new double[horizon];
        for (var h = 1; h <= horizon; h++)
        {
            result[h - 1] = level + (slope * (centre + h)) + offsets[(n - 1 + h) % Season];
        }

        return result;
    }

    /// <summary>
    /// The month-to-month noise (a standard deviation, robustly): from the year-over-year changes, which no seasonality
    /// and little trend survive (each is the difference of two noisy months, hence ÷ √2), when there are at least four;
    /// else from the deviations themselves.
    /// </summary>
    public static double NoiseScale(IReadOnlyList<double> history, IReadOnlyList<List<double>> deviations)
    {
        var yearly = Enumerable.Range(Season, Math.Max(0, history.Count - Season)).Select(t => history[t] - history[t - Season]).ToList();
        if (yearly.Count >= 4)
        {
            var centre = Median(yearly);
            return 1.4826 * Median(yearly.Select(d => Math.Abs(d - centre))) / Math.Sqrt(2);
        }

        return 1.4826 * Median(deviations.SelectMany(d => d).Select(Math.Abs));
    }

    /// <summary>The median of the pairwise slopes (robust to outliers); 0 for fewer than 2 points.</summary>
    public static double TheilSen(IReadOnlyList<double> values)
    {
        var slopes = new List<double>();
        for (var i = 0; i < values.Count; i++)
        {
            for (var j = i + 1; j < values.Count; j++)
            {
                slopes.Add((values[j] - values[i]) / (j - i));
            }
        }

        return Median(slopes);
    }

    /// <summary>Median of (value − median of the 12 months around it) per calendar month; 0 where a month has no value.</summary>
    public static double[] SeasonalOffsets(IReadOnlyList<double> history)
    {
        var n = history.Count;
        var deviations = Enumerable.Range(0, Season).Select(_ => new List<double>()).ToArray();
        for (var t = 0; t < n; t++)
        {
            // A 12-month window containing t, as centred as the history allows.
            var start = Math.Clamp(t - (Season / 2), 0, Math.Max(0, n - Season));
            var window = Enumerable.Range(start, Math.Min(Season, n)).Select(i => history[i]);
            deviations[t % Season].Add(history[t] - Median(window));
        }

        // Only offsets clearly above the month-to-month noise are kept: a month seen once or twice is mostly noise.
        var noise = NoiseScale(history, deviations);
        var offsets = deviations.Select(d => d.Count == 0 ? 0 : Median(d)).Select(o => Math.Abs(o) > SignificantOffset * noise ? o : 0).ToArray();
        var mean = offsets.Average();
        return offsets.Select(o => o - mean).ToArray();
    }

    private static readonly double[] Alphas = [0.1, 0.25, 0.5];
    private static readonly double[] Betas = [0.0, 0.05, 0.15];
    private static readonly double[] Gammas = [0.05, 0.2, 0.4];
    private static readonly double[] Phis = [0.8, 0.9, 0.98];

    /// <summary>
    /// ETS(A,Ad,A): parameters from a small grid by one-step-ahead squared error on the clipped history, then forecast.
    /// </summary>
    public static double[] HoltWinters(IReadOnlyList<double> history, int horizon)
    {
        var clean = ClipOutliers(history);
        var best = (Sse: double.MaxValue, Alpha: 0.0, Beta: 0.0, Gamma: 0.0, Phi: 0.0);
        foreach (var alpha in Alphas)
        {
            foreach (var beta in Betas)
            {
                foreach (var gamma in Gammas)
                {
                    foreach (var phi in Phis)
                    {
                        var sse = RunHoltWinters(clean, alpha, beta, gamma, phi, 0, out _);
                        if (sse < best.Sse)
                        {
                            best = (sse, alpha, beta, gamma, phi);
                        }
                    }
                }
            }
        }

        RunHoltWinters(clean, best.Alpha, best.Beta, best.Gamma, best.Phi, horizon, out var forecast);
        return forecast;
    }

    /// <summary>Runs the recursions over the series; returns the one-step squared error after the first season.</summary>
    private static double RunHoltWinters(double[] y, double alpha, double beta, double gamma, double phi, int horizon, out double[] forecast)
    {
        var n = y.Length;
        // Start at the end of the first season: its mean level moved on by the trend, seasonal indices net of the trend.
        var mean = y.Take(Season).Average();
        var trend = n >= 2 * Season ? (y.Skip(Season).Take(Season).Average() - mean) / Season : 0;
        const double middle = (Season - 1) / 2.0;
        var level = mean + (trend * middle);
        var seasonal = y.Take(Season).Select((v, i) => v - (mean + (trend * (i - middle)))).ToArray();
        var sse = 0.0;
        for (var t = Season; t < n; t++)
        {
            var s = seasonal[t % Season];
            var predicted = level + (phi * trend) + s;
            var error = y[t] - predicted;
            sse += error * error;
            var previousLevel = level;
            level = (alpha * (y[t] - s)) + ((1 - alpha) * (previousLevel + (phi * trend)));
            trend = (beta * (level - previousLevel)) + ((1 - beta) * phi * trend);
            seasonal[t % Season] = (gamma * (y[t] - previousLevel - (phi * trend))) + ((1 - gamma) * s);
        }

        forecast = new double[horizon];
        var damp = 0.0;
        var power = 1.0;
        for (var h = 1; h <= horizon; h++)
        {
            power *= phi;
            damp += power;
            forecast[h - 1] = level + (damp * trend) + seasonal[(n - 1 + h) % Season];
        }

        return sse;
    }

    /// <summary>
    /// Clips one-off spikes: a value far above both its neighbourhood (median of ±3 months) and the same month in the
    /// other years (when there are any) is pulled down to the neighbourhood's upper limit. Seasonal peaks that recur stay.
    /// </summary>
    public static double[] ClipOutliers(IReadOnlyList<double> history)
    {
        var n = history.Count;
        var result = history.ToArray();
        if (n < 4)
        {
            return result;
        }

        var local = new double[n];
        for (var t = 0; t < n; t++)
        {
            local[t] = Median(Enumerable.Range(Math.Max(0, t - 3), Math.Min(n, t + 4) - Math.Max(0, t - 3)).Where(i => i != t).Select(i => history[i]));
        }

        // A floor of 5 % of the typical value, so a flat series still has a limit.
        var spread = Math.Max(1.4826 * Median(Enumerable.Range(0, n).Select(t => Math.Abs(history[t] - local[t]))), 0.05 * Median(history.Select(Math.Abs)));
        if (spread <= 0)
        {
            return result;
        }

        for (var t = 0; t < n; t++)
        {
            var limit = local[t] + (4 * spread);
            var sameMonth = Enumerable.Range(0, n).Where(i => i != t && i % Season == t % Season).Select(i => history[i]).ToList();
            var recurs = sameMonth.Any(v => v > limit - (2 * spread));
            if (history[t] > limit && !recurs)
            {
                result[t] = limit;
            }
        }

        return result;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double[] Repeat(double value, int horizon) => Enumerable.Repeat(value, horizon).ToArray();
}
