namespace ExpenseTracker.Web.Features.Notifications.Alerts;

/// <summary>One earlier amount: a payee's expense or a category's line.</summary>
public readonly record struct SpendingPoint(DateOnly Date, long AmountMinor);

/// <summary>What "usual" is for a payee or category: the median, its robust spread and the amount from which an expense is unusual.</summary>
/// <param name="IsProvisional">From a history too short for a robust spread: it may only vouch that an amount is usual, never accuse.</param>
public sealed record Baseline(int Count, int Months, long MedianMinor, long ScaledMadMinor, long ThresholdMinor, bool IsProvisional = false);

/// <summary>The verdict on one expense against its payee's and its category's history (null: too little history).</summary>
public sealed record UnusualVerdict(bool IsUnusual, Baseline? Payee, Baseline? Category);

/// <summary>
/// "Far above what the household usually spends at that payee or in that category", robustly:
/// <list type="bullet">
/// <item>History: the latest <see cref="MaxHistory"/> earlier expenses; at least <see cref="MinCount"/> of them in at least
/// <see cref="MinMonths"/> different calendar months make a robust baseline. A payee with a shorter history (the rent after two
/// months) has a provisional one: no spread can be trusted from so few, so amounts up to <see cref="MinRatio"/> × its largest
/// earlier expense are taken as usual there. A payee never seen before has none and is judged by its category only.</item>
/// <item>Spread: s = max(1.4826 × MAD, <see cref="FloorPercent"/>% of the median, one major currency unit), so a payee that
/// always charges the same amount does not fire on a price change of a few cents.</item>
/// <item>Threshold: max(<see cref="MinRatio"/> × median, median + <see cref="K"/> × s).</item>
/// <item>Unusual when the amount reaches the threshold of every baseline there is (payee and category), and at least one of
/// them is a full (not provisional) baseline: a big amount that is normal for its payee (the annual insurance premium) or
/// for its category is not news.</item>
/// </list>
/// </summary>
public static class UnusualExpenseDetector
{
    public const int MinCount = 6;
    public const int MinMonths = 3;
    public const int MaxHistory = 100;
    public const int K = 6;
    public const int MinRatio = 3;
    public const int FloorPercent = 10;

    /// <param name="history">Earlier amounts, oldest first; only the last <see cref="MaxHistory"/> count.</param>
    /// <param name="unitMinor">One major unit of the currency in minor units (100 for EUR, 1 for JPY).</param>
    /// <param name="provisional">Allow a provisional baseline for a short history (payees; a category needs the full minimum).</param>
    public static Baseline? BaselineOf(IReadOnlyList<SpendingPoint> history, long unitMinor, bool provisional = false)
    {
        ArgumentNullException.ThrowIfNull(history);
        var recent = history.Count > MaxHistory ? history.Skip(history.Count - MaxHistory).ToList() : history;
        var months = recent.Select(p => (p.Date.Year * 12) + p.Date.Month).Distinct().Count();
        if (recent.Count < MinCount || months < MinMonths)
        {
            return provisional && recent.Count > 0
                ? new Baseline(recent.Count, months, RobustStats.Median(recent.Select(p => p.AmountMinor)), 0, MinRatio * recent.Max(p => p.AmountMinor), IsProvisional: true)
                : null;
        }

        var amounts = recent.Select(p => p.AmountMinor).ToList();
        var median = RobustStats.Median(amounts);
        var mad = RobustStats.ScaledMad(amounts, median);
        var spread = RobustStats.FlooredSpread(mad, median, FloorPercent, unitMinor);
        var threshold = Math.Max(median * MinRatio, median + (K * spread));
        return new Baseline(recent.Count, months, median, mad, threshold);
    }

    /// <param name="amountMinor">The expense's amount (compared with its payee's).</param>
    /// <param name="categoryAmountMinor">Its line in its main category (compared with that category's lines).</param>
    public static UnusualVerdict Judge(long amountMinor, Baseline? payee, long categoryAmountMinor, Baseline? category)
    {
        var unusual = (payee is { IsProvisional: false } || category is { IsProvisional: false })
            && (payee is null || amountMinor >= payee.ThresholdMinor)
            && (category is null || categoryAmountMinor >= category.ThresholdMinor);
        return new UnusualVerdict(unusual, payee, category);
    }
}
