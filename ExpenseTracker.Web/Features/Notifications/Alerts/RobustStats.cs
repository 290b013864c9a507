using ExpenseTracker.Web.Features.Budgets;

namespace ExpenseTracker.Web.Features.Notifications.Alerts;

/// <summary>Median and MAD in integer minor units (money is never a double here).</summary>
public static class RobustStats
{
    /// <summary>Makes the MAD of normally distributed data estimate its standard deviation (1 / Φ⁻¹(3/4) ≈ 1.4826).</summary>
    public const long MadScale10000 = 14_826;

    /// <summary>The median; the mean of the two middle values (rounded half away from zero) for an even count.</summary>
    public static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("The median of nothing is undefined.", nameof(values));
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : BudgetMath.RoundDiv((Int128)sorted[middle - 1] + sorted[middle], 2);
    }

    /// <summary>1.4826 × median(|x − median|): a robust spread that one huge value cannot inflate.</summary>
    public static long ScaledMad(IReadOnlyCollection<long> values, long median) =>
        BudgetMath.RoundDiv((Int128)Median(values.Select(v => Math.Abs(v - median))) * MadScale10000, 10_000);

    /// <summary>
    /// The spread a threshold is built on: the scaled MAD, but at least <paramref name="floorPercent"/>% of |median| and one
    /// major currency unit, so a perfectly regular series does not fire on a few cents.
    /// </summary>
    public static long FlooredSpread(long scaledMad, long median, int floorPercent, long unitMinor) =>
        Math.Max(scaledMad, Math.Max(Math.Abs(median) * floorPercent / 100, unitMinor));
}
