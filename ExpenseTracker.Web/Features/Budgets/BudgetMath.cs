namespace ExpenseTracker.Web.Features.Budgets;

/// <summary>How a budget stands against the time gone by in its month.</summary>
public enum PaceState
{
    /// <summary>Spent less than the pace allows (more than <see cref="BudgetMath.PaceTolerancePercent"/> below it).</summary>
    UnderPace = 0,

    /// <summary>Within <see cref="BudgetMath.PaceTolerancePercent"/> of the pace.</summary>
    OnPace = 1,

    /// <summary>Spending faster than the pace, but not (yet) over the budget.</summary>
    OverPace = 2,

    /// <summary>Spent more than is available this month (budget + carried).</summary>
    OverBudget = 3,
}

/// <summary>Which alert threshold a budget has reached (the notifications feature sends them).</summary>
public enum BudgetThreshold
{
    None = 0,
    Warn = 1,
    Alert = 2,
}

/// <summary>One stored amount row, by month name (see <see cref="BudgetMonth"/>).</summary>
public readonly record struct AmountEntry(BudgetMonth Month, long AmountMinor, bool IsOverride);

/// <summary>A month's figures for one budget, all in minor units.</summary>
public sealed record BudgetFigures(
    long BudgetMinor,
    long CarriedMinor,
    long AvailableMinor,
    long SpentMinor,
    long RemainingMinor,
    long? RemainingPerDayMinor,
    int DaysLeft,
    long ExpectedByNowMinor,
    double? PercentUsed,
    PaceState State,
    BudgetThreshold Threshold);

/// <summary>What a month's scheduled bills take from a budget: all their occurrences in the month, and those due by today.</summary>
public readonly record struct BillPlan(long MonthMinor, long DueByTodayMinor)
{
    /// <summary>Sums the occurrences of each bill's schedule in the month, at the bill's amount.</summary>
    public static BillPlan Of(IEnumerable<(Bills.BillScheduleSpec Schedule, long AmountMinor)> bills, MonthRange range, DateOnly today)
    {
        long month = 0, byToday = 0;
        foreach (var (schedule, amount) in bills)
        {
            foreach (var due in Bills.BillSchedule.Between(schedule, range.From, range.To))
            {
                month += amount;
                byToday += due <= today ? amount : 0;
            }
        }

        return new BillPlan(month, byToday);
    }
}

/// <summary>
/// The budget maths, pure and in integer minor units.
/// <list type="bullet">
/// <item>Amount for a month: an override row for that month wins; else the latest non-override row at or before it
/// (a budget "repeats until changed"); else the budget has no amount that month.</item>
/// <item>Rollover: carried into a month = what was available the month before (its amount + what it carried) minus what
/// was spent then, from the first month with an amount. Negative = a deficit. Reported apart from the amount.</item>
/// <item>Spent = expenses − refunds (over category lines), so it can be negative.</item>
/// <item>Pace: expected = available × days elapsed ÷ days in the month, counting today as elapsed (so on the last day
/// the whole budget is expected; a future month expects 0, a past one everything). The part of the budget that the
/// month's bills take (<see cref="BillPlan"/>) is expected on their due dates instead of spread evenly: rent due on the
/// 1st does not make Housing "over pace" for the rest of the month. Spent above the available amount
/// is <see cref="PaceState.OverBudget"/>; above expected + 10 % is <see cref="PaceState.OverPace"/>; below
/// expected − 10 % is <see cref="PaceState.UnderPace"/>; else <see cref="PaceState.OnPace"/>.</item>
/// <item>Remaining per day = remaining ÷ days left (today included), rounded down; none when the month is over.</item>
/// </list>
/// </summary>
public static class BudgetMath
{
    public const int PaceTolerancePercent = 10;

    /// <summary>The budget amount for a month, or null when none applies yet.</summary>
    public static long? AmountFor(IEnumerable<AmountEntry> entries, BudgetMonth month)
    {
        long? repeating = null;
        var repeatingFrom = int.MinValue;
        foreach (var entry in entries)
        {
            if (entry.IsOverride)
            {
                if (entry.Month == month)
                {
                    return entry.AmountMinor;
                }
            }
            else if (entry.Month <= month && entry.Month.Index > repeatingFrom)
            {
                repeating = entry.AmountMinor;
                repeatingFrom = entry.Month.Index;
            }
        }

        return repeating;
    }

    /// <summary>The first month any amount applies (where rollover starts counting).</summary>
    public static BudgetMonth? FirstMonth(IEnumerable<AmountEntry> entries) =>
        entries.Select(e => (BudgetMonth?)e.Month).Min();

    /// <summary>
    /// What carries into <paramref name="month"/>: for each month from the first one with an amount up to the month before,
    /// available (amount + carried) − spent. <paramref name="spentByMonth"/> needs those earlier months (missing = 0).
    /// </summary>
    public static long Carried(IReadOnlyCollection<AmountEntry> entries, IReadOnlyDictionary<BudgetMonth, long> spentByMonth, BudgetMonth month) =>
        Carried(entries, m => spentByMonth.GetValueOrDefault(m), month);

    /// <inheritdoc cref="Carried(IReadOnlyCollection{AmountEntry}, IReadOnlyDictionary{BudgetMonth, long}, BudgetMonth)"/>
    public static long Carried(IReadOnlyCollection<AmountEntry> entries, Func<BudgetMonth, long> spentIn, BudgetMonth month)
    {
        if (FirstMonth(entries) is not { } first)
        {
            return 0;
        }

        long carried = 0;
        for (var m = first; m < month; m = m.Next)
        {
            var amount = AmountFor(entries, m) ?? 0;
            carried = amount + carried - spentIn(m);
        }

        return carried;
    }

    public static BudgetFigures Figures(long budgetMinor, long carriedMinor, long spentMinor, MonthRange range, DateOnly today, int warnPercent = 80, int alertPercent = 100,
        BillPlan bills = default)
    {
        var available = budgetMinor + carriedMinor;
        var remaining = available - spentMinor;
        var daysLeft = BudgetPeriods.DaysLeft(range, today);
        var expected = Expected(available, range, today, bills);
        return new BudgetFigures(
            budgetMinor,
            carriedMinor,
            available,
            spentMinor,
            remaining,
            daysLeft > 0 ? FloorDiv(remaining, daysLeft) : null,
            daysLeft,
            expected,
            available > 0 ? spentMinor * 100.0 / available : null,
            Pace(available, spentMinor, expected),
            ThresholdOf(spentMinor, available, warnPercent, alertPercent));
    }

    /// <summary>available × elapsed days ÷ days in the month, rounded half away from zero.</summary>
    public static long Expected(long availableMinor, MonthRange range, DateOnly today) => Expected(availableMinor, range, today, default);

    /// <summary>
    /// The bills' share of the available amount as they fall due (never more than is available), plus the rest × elapsed
    /// days ÷ days in the month, rounded half away from zero.
    /// </summary>
    public static long Expected(long availableMinor, MonthRange range, DateOnly today, BillPlan bills)
    {
        var elapsed = BudgetPeriods.DaysElapsed(range, today);
        var billed = Math.Clamp(bills.MonthMinor, 0, Math.Max(availableMinor, 0));
        var billedByToday = Math.Clamp(bills.DueByTodayMinor, 0, billed);
        return billedByToday + RoundDiv((Int128)(availableMinor - billed) * elapsed, range.Days);
    }

    public static PaceState Pace(long availableMinor, long spentMinor, long expectedMinor)
    {
        if (spentMinor > availableMinor)
        {
            return PaceState.OverBudget;
        }

        var spent100 = (Int128)spentMinor * 100;
        var expected = (Int128)expectedMinor;
        if (spent100 > expected * (100 + PaceTolerancePercent))
        {
            return PaceState.OverPace;
        }

        return spent100 < expected * (100 - PaceTolerancePercent) ? PaceState.UnderPace : PaceState.OnPace;
    }

    /// <summary>The highest threshold reached: spent ≥ percent of the available amount. Nothing available and anything spent is an alert.</summary>
    public static BudgetThreshold ThresholdOf(long spentMinor, long availableMinor, int warnPercent, int alertPercent)
    {
        if (availableMinor <= 0)
        {
            return spentMinor > availableMinor ? BudgetThreshold.Alert : BudgetThreshold.None;
        }

        var spent100 = (Int128)spentMinor * 100;
        if (spent100 >= (Int128)availableMinor * alertPercent)
        {
            return BudgetThreshold.Alert;
        }

        return spent100 >= (Int128)availableMinor * warnPercent ? BudgetThreshold.Warn : BudgetThreshold.None;
    }

    /// <summary>
    /// The threshold an expense pushed the budget across (spent before → after), or None when it stayed in the same band
    /// or went down. The notifications feature alerts on the result.
    /// </summary>
    public static BudgetThreshold Crossed(long spentBeforeMinor, long spentAfterMinor, long availableMinor, int warnPercent, int alertPercent)
    {
        var before = ThresholdOf(spentBeforeMinor, availableMinor, warnPercent, alertPercent);
        var after = ThresholdOf(spentAfterMinor, availableMinor, warnPercent, alertPercent);
        return after > before ? after : BudgetThreshold.None;
    }

    /// <summary>Integer division rounded half away from zero (the app's one rounding rule).</summary>
    public static long RoundDiv(Int128 numerator, long denominator)
    {
        var quotient = Int128.DivRem(numerator, denominator);
        var twice = Int128.Abs(quotient.Remainder) * 2;
        var result = quotient.Quotient;
        if (twice >= Int128.Abs(denominator))
        {
            result += (numerator < 0) != (denominator < 0) ? -1 : 1;
        }

        return (long)result;
    }

    private static long FloorDiv(long numerator, long denominator) =>
        (long)Math.Floor(numerator / (decimal)denominator);
}
