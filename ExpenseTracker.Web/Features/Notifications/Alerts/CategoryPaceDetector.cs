using ExpenseTracker.Web.Features.Budgets;

namespace ExpenseTracker.Web.Features.Notifications.Alerts;

/// <summary>One category's spending on one day (Expense − Refund lines, as budgets count it).</summary>
public readonly record struct DailySpending<TKey>(TKey Category, DateOnly Date, long AmountMinor);

/// <param name="MonthToDateMinor">Spent in the budget month up to and including the day.</param>
/// <param name="NormalMinor">The median of the earlier months' spending up to the same day of their month.</param>
/// <param name="ThresholdMinor">From this month-to-date amount on, the pace is "far above normal".</param>
public sealed record PaceVerdict(bool IsFast, long MonthToDateMinor, long NormalMinor, long ThresholdMinor, long NormalMonthMinor);

/// <summary>
/// A category's month-to-date pace against its normal pace, robustly: the same number of days into each of the previous
/// <see cref="MonthsBack"/> budget months (at least <see cref="MinMonths"/> with history) gives c₁…cₙ; normal = median(c),
/// s = max(1.4826 × MAD(c), 10% of normal, one major unit). Fast when month-to-date ≥ max(2 × normal, normal + 4·s,
/// normal + ½ of a normal whole month): far above in relative terms, beyond the usual month-to-month noise, and by an amount
/// that matters for the month (so a big shop on the 2nd is not a "pace").
/// </summary>
public static class CategoryPaceDetector
{
    public const int MonthsBack = 6;
    public const int MinMonths = 3;
    public const int K = 4;
    public const int MinRatioPercent = 200;
    public const int MaterialPercentOfMonth = 50;
    public const int FloorPercent = 10;

    public static PaceVerdict? Judge(long monthToDateMinor, IReadOnlyList<long> sameDayBefore, IReadOnlyList<long> wholeMonthsBefore, long unitMinor)
    {
        ArgumentNullException.ThrowIfNull(sameDayBefore);
        ArgumentNullException.ThrowIfNull(wholeMonthsBefore);
        if (sameDayBefore.Count < MinMonths || wholeMonthsBefore.Count == 0)
        {
            return null;
        }

        var normalMonth = RobustStats.Median(wholeMonthsBefore);
        if (normalMonth <= 0)
        {
            return null; // a category the household does not use: single expenses there are the unusual-expense rule's
        }

        var normal = RobustStats.Median(sameDayBefore);
        var mad = RobustStats.ScaledMad(sameDayBefore, normal);
        var spread = RobustStats.FlooredSpread(mad, normal, FloorPercent, unitMinor);
        var threshold = Math.Max(normal * MinRatioPercent / 100, Math.Max(normal + (K * spread), normal + (normalMonth * MaterialPercentOfMonth / 100)));
        return new PaceVerdict(monthToDateMinor >= threshold, monthToDateMinor, normal, threshold, normalMonth);
    }

    /// <summary>
    /// Judges every category on <paramref name="day"/> from daily spending covering at least the previous
    /// <see cref="MonthsBack"/> budget months. Months that start before <paramref name="firstMonth"/> (before the household
    /// had any spending) are not history.
    /// </summary>
    public static IReadOnlyList<(TKey Category, PaceVerdict Verdict)> JudgeDay<TKey>(
        IEnumerable<DailySpending<TKey>> daily, DateOnly day, int monthStartDay, BudgetMonth firstMonth, long unitMinor)
        where TKey : notnull
    {
        var month = BudgetPeriods.MonthOf(day, monthStartDay);
        var range = BudgetPeriods.RangeOf(month, monthStartDay);
        var elapsed = day.DayNumber - range.From.DayNumber;
        var earlier = Enumerable.Range(1, MonthsBack)
            .Select(k => month.AddMonths(-k))
            .Where(m => m >= firstMonth)
            .Select(m => BudgetPeriods.RangeOf(m, monthStartDay))
            .ToList();
        var byCategory = daily
            .Where(d => d.Date <= day && d.Date >= (earlier.Count > 0 ? earlier[^1].From : range.From))
            .GroupBy(d => d.Category);
        var result = new List<(TKey, PaceVerdict)>();
        foreach (var category in byCategory)
        {
            var rows = category.ToList();
            long Sum(DateOnly from, DateOnly to) => rows.Where(r => r.Date >= from && r.Date <= to).Sum(r => r.AmountMinor);
            var sameDay = earlier.Select(r => Sum(r.From, DateOnly.FromDayNumber(Math.Min(r.From.DayNumber + elapsed, r.To.DayNumber)))).ToList();
            var whole = earlier.Select(r => Sum(r.From, r.To)).ToList();
            if (Judge(Sum(range.From, day), sameDay, whole, unitMinor) is { } verdict)
            {
                result.Add((category.Key, verdict));
            }
        }

        return result;
    }
}
