namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

/// <summary>
/// Wall-clock times in a member's zone turned into UTC instants. A local time that does not exist (the hour skipped
/// when clocks go forward) moves to the first valid instant after it, the end of the gap; one that exists twice (clocks
/// go back) is the first of the two.
/// </summary>
public static class LocalSchedule
{
    public static TimeZoneInfo Zone(string? memberZoneId, string householdZoneId) =>
        memberZoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(memberZoneId, out var member) ? member
        : TimeZoneInfo.TryFindSystemTimeZoneById(householdZoneId, out var household) ? household
        : TimeZoneInfo.Utc;

    public static DateTimeOffset ToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Gaps start and end on whole minutes in every zone there is.
            var minute = new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified);
            do
            {
                minute = minute.AddMinutes(1);
            }
            while (zone.IsInvalidTime(minute));

            return new DateTimeOffset(minute, zone.GetUtcOffset(minute)).ToUniversalTime();
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The local dates (in <paramref name="zone"/>) that the window (from, to] touches, one day of margin each side.</summary>
    public static (DateOnly From, DateOnly To) Dates(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, TimeZoneInfo zone) =>
        (DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(fromExclusive, zone).DateTime).AddDays(-1),
         DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(toInclusive, zone).DateTime).AddDays(1));

    public static bool InWindow(DateTimeOffset instant, DateTimeOffset fromExclusive, DateTimeOffset toInclusive) =>
        instant > fromExclusive && instant <= toInclusive;
}
