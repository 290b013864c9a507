using ExpenseTracker.Web.Data;

namespace ExpenseTracker.Web.Features.Bills;

/// <summary>
/// When a bill falls due. Weekly kinds step from the first matching weekday on or after the start; monthly kinds keep
/// the anchor day (the 31st is the last day of shorter months, and a later long month goes back to the 31st); yearly
/// on 29 Feb is 28 Feb in other years. Pure: no clock, no database.
/// </summary>
public sealed record BillScheduleSpec(
    BillScheduleKind Kind,
    DateOnly Start,
    DateOnly? End = null,
    int Interval = 1,
    int? DayOfMonth = null,
    DayOfWeek? DayOfWeek = null,
    int? Month = null)
{
    public static BillScheduleSpec Of(Bill bill) =>
        new(bill.ScheduleKind, bill.StartDate, bill.EndDate, bill.Interval, bill.DayOfMonth, bill.DayOfWeek, bill.Month);
}

public static class BillSchedule
{
    public const int MaxInterval = 52;

    /// <summary>Every occurrence from the start on, ending with the end date (or never).</summary>
    public static IEnumerable<DateOnly> Occurrences(BillScheduleSpec spec)
    {
        for (var index = 0; ; index++)
        {
            var date = Occurrence(spec, index);
            if (date is null || (spec.End is { } end && date > end))
            {
                yield break;
            }

            if (date >= spec.Start)
            {
                yield return date.Value;
            }
        }
    }

    /// <summary>Occurrences in [<paramref name="from"/>, <paramref name="to"/>], both inclusive.</summary>
    public static IReadOnlyList<DateOnly> Between(BillScheduleSpec spec, DateOnly from, DateOnly to) =>
        Occurrences(spec).SkipWhile(d => d < from).TakeWhile(d => d <= to).ToList();

    /// <summary>The first occurrence on or after <paramref name="date"/>; null when the schedule has ended.</summary>
    public static DateOnly? NextOnOrAfter(BillScheduleSpec spec, DateOnly date)
    {
        foreach (var occurrence in Occurrences(spec))
        {
            if (occurrence >= date)
            {
                return occurrence;
            }
        }

        return null;
    }

    /// <summary>The first occurrence strictly after <paramref name="date"/> (the next due once <paramref name="date"/> is paid).</summary>
    public static DateOnly? NextAfter(BillScheduleSpec spec, DateOnly date) =>
        date == DateOnly.MaxValue ? null : NextOnOrAfter(spec, date.AddDays(1));

    /// <summary>What is wrong with the schedule, by field; empty when it is usable.</summary>
    public static Dictionary<string, string[]> Validate(BillScheduleSpec spec)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!Enum.IsDefined(spec.Kind))
        {
            errors[nameof(spec.Kind)] = ["Choose how often the bill comes."];
            return errors;
        }

        if (spec.Interval < 1 || spec.Interval > MaxInterval)
        {
            errors[nameof(spec.Interval)] = [$"The interval must be between 1 and {MaxInterval}."];
        }

        if (spec.DayOfMonth is { } day && (day < 1 || day > 31))
        {
            errors[nameof(spec.DayOfMonth)] = ["The day of the month must be between 1 and 31."];
        }

        if (spec.Month is { } month && (month < 1 || month > 12))
        {
            errors[nameof(spec.Month)] = ["The month must be between 1 and 12."];
        }
        else if (spec.Kind == BillScheduleKind.Yearly && (spec.DayOfMonth ?? spec.Start.Day) > DateTime.DaysInMonth(2024, spec.Month ?? spec.Start.Month))
        {
            errors[nameof(spec.DayOfMonth)] = ["That month does not have that day."];
        }

        if (spec.DayOfWeek is { } weekday && !Enum.IsDefined(weekday))
        {
            errors[nameof(spec.DayOfWeek)] = ["Choose a day of the week."];
        }

        if (spec.End is { } end && end < spec.Start)
        {
            errors[nameof(spec.End)] = ["The end cannot be before the start."];
        }

        return errors;
    }

    /// <summary>The <paramref name="index"/>-th candidate date counted from the start's week, month or year (may precede the start).</summary>
    private static DateOnly? Occurrence(BillScheduleSpec spec, int index)
    {
        var interval = Math.Clamp(spec.Interval, 1, MaxInterval);
        switch (spec.Kind)
        {
            case BillScheduleKind.Weekly:
            case BillScheduleKind.EveryNWeeks:
            {
                var step = spec.Kind == BillScheduleKind.Weekly ? 1 : interval;
                var weekday = spec.DayOfWeek ?? spec.Start.DayOfWeek;
                var first = spec.Start.AddDays(((int)weekday - (int)spec.Start.DayOfWeek + 7) % 7);
                var days = (long)index * 7 * step;
                return first.DayNumber + days > DateOnly.MaxValue.DayNumber ? null : first.AddDays((int)days);
            }

            case BillScheduleKind.MonthlyOnDay:
            case BillScheduleKind.EveryNMonths:
            {
                var step = spec.Kind == BillScheduleKind.MonthlyOnDay ? 1 : interval;
                var monthIndex = (spec.Start.Year * 12L) + spec.Start.Month - 1 + ((long)index * step);
                return InMonth(monthIndex, spec.DayOfMonth ?? spec.Start.Day);
            }

            case BillScheduleKind.Yearly:
            {
                var month = spec.Month ?? spec.Start.Month;
                var monthIndex = ((spec.Start.Year + ((long)index * interval)) * 12) + month - 1;
                return InMonth(monthIndex, spec.DayOfMonth ?? spec.Start.Day);
            }

            default:
                return null;
        }
    }

    private static DateOnly? InMonth(long monthIndex, int day)
    {
        var year = monthIndex / 12;
        if (year > DateOnly.MaxValue.Year)
        {
            return null;
        }

        var month = (int)(monthIndex % 12) + 1;
        return new DateOnly((int)year, month, Math.Min(Math.Clamp(day, 1, 31), DateTime.DaysInMonth((int)year, month)));
    }
}
