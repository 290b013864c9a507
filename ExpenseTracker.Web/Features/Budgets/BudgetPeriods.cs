using System.Globalization;

namespace ExpenseTracker.Web.Features.Budgets;

/// <summary>
/// A budget month by its name: the calendar month in which it <em>starts</em>. With a month start day of 25 (payday),
/// "November 2026" runs from 25 November to 24 December. <see cref="ToString"/> gives "2026-11" (for URLs).
/// </summary>
public readonly record struct BudgetMonth(int Year, int Month) : IComparable<BudgetMonth>
{
    /// <summary>Months since year 0: consecutive months differ by one.</summary>
    public int Index => (Year * 12) + Month - 1;

    public static BudgetMonth FromIndex(int index) => new(index / 12, (index % 12) + 1);

    /// <summary>The month a stored first day (e.g. <c>BudgetAmount.Month</c>) names, whatever start day was used.</summary>
    public static BudgetMonth Of(DateOnly firstDay) => new(firstDay.Year, firstDay.Month);

    public BudgetMonth AddMonths(int months) => FromIndex(Index + months);

    public BudgetMonth Next => AddMonths(1);

    public BudgetMonth Previous => AddMonths(-1);

    public int CompareTo(BudgetMonth other) => Index.CompareTo(other.Index);

    public static bool operator <(BudgetMonth left, BudgetMonth right) => left.Index < right.Index;

    public static bool operator >(BudgetMonth left, BudgetMonth right) => left.Index > right.Index;

    public static bool operator <=(BudgetMonth left, BudgetMonth right) => left.Index <= right.Index;

    public static bool operator >=(BudgetMonth left, BudgetMonth right) => left.Index >= right.Index;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-{Month:00}");

    /// <summary>Parses "2026-11".</summary>
    public static bool TryParse(string? text, out BudgetMonth month)
    {
        month = default;
        if (text is null || !DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        month = new BudgetMonth(date.Year, date.Month);
        return true;
    }

    /// <summary>The month's name in a culture, e.g. "November 2026".</summary>
    public string Format(CultureInfo culture) => new DateOnly(Year, Month, 1).ToString("Y", culture);
}

/// <summary>The days of one budget month, both ends inclusive.</summary>
public sealed record MonthRange(BudgetMonth Month, DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    public bool Contains(DateOnly date) => date >= From && date <= To;
}

/// <summary>
/// Budget months for a household's month start day (1–28) and "today" in its time zone. Every monthly figure (budgets
/// and charts) goes through here, so all of them agree on where a month begins.
/// </summary>
public static class BudgetPeriods
{
    public static int ClampStartDay(int monthStartDay) => Math.Clamp(monthStartDay, 1, 28);

    /// <summary>The budget month a date falls in: its calendar month from the start day on, else the month before.</summary>
    public static BudgetMonth MonthOf(DateOnly date, int monthStartDay)
    {
        var start = ClampStartDay(monthStartDay);
        var month = new BudgetMonth(date.Year, date.Month);
        return date.Day >= start ? month : month.Previous;
    }

    public static MonthRange RangeOf(BudgetMonth month, int monthStartDay)
    {
        var start = ClampStartDay(monthStartDay);
        var from = new DateOnly(month.Year, month.Month, start);
        var next = month.Next;
        return new MonthRange(month, from, new DateOnly(next.Year, next.Month, start).AddDays(-1));
    }

    /// <summary><paramref name="count"/> consecutive months ending with <paramref name="last"/>, oldest first.</summary>
    public static IReadOnlyList<MonthRange> RangesEndingWith(BudgetMonth last, int count, int monthStartDay) =>
        Enumerable.Range(0, count).Select(i => RangeOf(last.AddMonths(i - count + 1), monthStartDay)).ToList();

    /// <summary>Today's date in the household's time zone (an unknown zone id counts as UTC).</summary>
    public static DateOnly Today(TimeProvider time, string timeZoneId) => Today(time, FindZone(timeZoneId));

    public static DateOnly Today(TimeProvider time, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);

    public static BudgetMonth CurrentMonth(TimeProvider time, string timeZoneId, int monthStartDay) =>
        MonthOf(Today(time, timeZoneId), monthStartDay);

    public static TimeZoneInfo FindZone(string timeZoneId) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Days left in the month counting today: all of them before it starts, none after it ended.</summary>
    public static int DaysLeft(MonthRange range, DateOnly today) =>
        today < range.From ? range.Days : today > range.To ? 0 : range.To.DayNumber - today.DayNumber + 1;

    /// <summary>Days of the month gone by, counting today as gone (so on the last day the whole budget is "expected").</summary>
    public static int DaysElapsed(MonthRange range, DateOnly today) => range.Days - DaysLeft(range, today) + (IsCurrent(range, today) ? 1 : 0);

    public static bool IsCurrent(MonthRange range, DateOnly today) => range.Contains(today);
}
