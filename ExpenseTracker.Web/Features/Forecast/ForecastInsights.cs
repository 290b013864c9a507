namespace ExpenseTracker.Web.Features.Forecast;

/// <summary>A category spending more lately: the last three complete months' average against a comparison period.</summary>
/// <param name="Against">"the same months last year" or "the three months before".</param>
public sealed record TrendingUp(long CategoryId, long RecentMonthlyMinor, long EarlierMonthlyMinor, double ChangePercent, string Against)
{
    public long ChangeMinor => RecentMonthlyMinor - EarlierMonthlyMinor;
}

/// <summary>A recurring same-payee expense whose amount went up: <see cref="OldMinor"/> before, <see cref="NewMinor"/> since <see cref="SinceMonth"/>.</summary>
public sealed record PriceRise(long PayeeId, long OldMinor, long NewMinor, int SinceMonth)
{
    public double ChangePercent => OldMinor == 0 ? 0 : (NewMinor - OldMinor) * 100.0 / OldMinor;
}

/// <summary>One payee's spending in one month: the sum and the number of expenses.</summary>
public readonly record struct PayeeMonth(long PayeeId, int Month, long AmountMinor, int Count);

/// <summary>The pure rules behind the insights list (see docs/forecasting.md).</summary>
public static class ForecastInsights
{
    public const int RecentMonths = 3;
    /// <summary>A category is "trending up" from this much more per month...</summary>
    public const double MinChangePercent = 15;
    /// <summary>...and when the change is at least this share of the household's average month (so tiny categories stay quiet).</summary>
    public const double MinShareOfTotalPercent = 1;

    /// <summary>
    /// Categories whose last <see cref="RecentMonths"/> months average at least <see cref="MinChangePercent"/> % above the same
    /// months a year earlier (when there are 15 months), else the three months before; largest change first.
    /// <paramref name="monthly"/> holds whole months, oldest first, all of the same length.
    /// </summary>
    public static IReadOnlyList<TrendingUp> TrendingUp(IReadOnlyDictionary<long, long[]> monthly)
    {
        var months = monthly.Values.FirstOrDefault()?.Length ?? 0;
        if (months < 2 * RecentMonths)
        {
            return [];
        }

        var yearAgo = months >= 12 + RecentMonths;
        var earlierStart = yearAgo ? months - 12 - RecentMonths : months - (2 * RecentMonths);
        var averageMonth = monthly.Values.Sum(v => v.Sum()) / (double)months;
        var result = new List<TrendingUp>();
        foreach (var (categoryId, values) in monthly)
        {
            var recent = values.Skip(months - RecentMonths).Average();
            var earlier = values.Skip(earlierStart).Take(RecentMonths).Average();
            if (earlier <= 0 || recent <= earlier)
            {
                continue;
            }

            var change = (recent - earlier) * 100 / earlier;
            if (change >= MinChangePercent && (recent - earlier) * 100 >= averageMonth * MinShareOfTotalPercent)
            {
                result.Add(new TrendingUp(categoryId, Forecaster.Round(recent), Forecaster.Round(earlier), change,
                    yearAgo ? "the same months last year" : "the three months before"));
            }
        }

        return result.OrderByDescending(t => t.ChangeMinor).ToList();
    }

    /// <summary>
    /// Subscriptions that rose in price: payees paid exactly once a month in at least four of the months, lately too, at
    /// no more than three distinct amounts, whose latest amount is 1–50 % above the amount paid at least twice before it.
    /// </summary>
    public static IReadOnlyList<PriceRise> PriceRises(IEnumerable<PayeeMonth> payeeMonths, int lastMonth)
    {
        var result = new List<PriceRise>();
        foreach (var payee in payeeMonths.GroupBy(p => p.PayeeId))
        {
            var single = payee.Where(p => p.Count == 1).OrderBy(p => p.Month).ToList();
            if (single.Count < 4 || single[^1].Month < lastMonth - 1 || single.Select(p => p.AmountMinor).Distinct().Count() > 3)
            {
                continue;
            }

            var latest = single[^1].AmountMinor;
            var runStart = single.Count - 1;
            while (runStart > 0 && single[runStart - 1].AmountMinor == latest)
            {
                runStart--;
            }

            if (runStart < 2)
            {
                continue;
            }

            var before = single[runStart - 1].AmountMinor;
            var paidBefore = single.Take(runStart).Count(p => p.AmountMinor == before);
            if (paidBefore >= 2 && latest * 100 >= before * 101 && latest * 100 <= before * 150)
            {
                result.Add(new PriceRise(payee.Key, before, latest, single[runStart].Month));
            }
        }

        return result.OrderByDescending(r => r.NewMinor - r.OldMinor).ToList();
    }
}
