namespace ExpenseTracker.Web.Features.Notifications.Delivery;

/// <summary>Retry and quiet-hours arithmetic of outbox delivery; pure, so unit tests cover it without a clock.</summary>
public static class DeliveryPolicy
{
    /// <summary>How many messages one query picks; a pass takes batches until nothing due is left.</summary>
    public const int BatchSize = 20;

    /// <summary>After this many failed attempts a message is Failed (about 12 hours of retrying with the backoff below).</summary>
    public const int MaxAttempts = 10;

    /// <summary>How long a picked message is reserved for the pass that picked it (another pass or instance skips it).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(4);

    /// <summary>Wait after the <paramref name="attempts"/>-th failure: 1, 2, 4, 8 … minutes, capped at four hours.</summary>
    public static TimeSpan Backoff(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var minutes = Math.Pow(2, exponent);
        return minutes >= MaxBackoff.TotalMinutes ? MaxBackoff : TimeSpan.FromMinutes(minutes);
    }

    /// <summary>
    /// When quiet hours hold at <paramref name="nowUtc"/> in <paramref name="zone"/>, the UTC instant they end; otherwise null.
    /// Hours may wrap midnight (22:00–07:00); equal start and end mean none. A local end that does not exist (spring forward)
    /// is taken as the first valid instant after it.
    /// </summary>
    public static DateTime? QuietUntil(DateTime nowUtc, TimeZoneInfo zone, TimeOnly? start, TimeOnly? end)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (start is not { } from || end is not { } to || from == to)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone);
        var time = TimeOnly.FromDateTime(local);
        var today = DateOnly.FromDateTime(local);
        DateOnly endDay;
        if (from < to)
        {
            if (time < from || time >= to)
            {
                return null;
            }

            endDay = today;
        }
        else
        {
            if (time < from && time >= to)
            {
                return null;
            }

            endDay = time >= from ? today.AddDays(1) : today;
        }

        return ToUtc(endDay.ToDateTime(to), zone);
    }

    private static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(15);
        }

        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }
}
