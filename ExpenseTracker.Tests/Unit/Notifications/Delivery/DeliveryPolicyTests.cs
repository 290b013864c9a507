using ExpenseTracker.Web.Features.Notifications.Delivery;

namespace ExpenseTracker.Tests.Unit.Notifications.Delivery;

public sealed class DeliveryPolicyTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(8, 128)]
    [InlineData(9, 240)]
    [InlineData(30, 240)]
    public void BackoffDoublesFromOneMinuteAndStopsAtFourHours(int attempts, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), DeliveryPolicy.Backoff(attempts));

    [Theory]
    [InlineData("2026-11-15T21:30:00Z", "2026-11-16T06:00:00Z")] // 22:30 Berlin, quiet until 07:00 the next morning
    [InlineData("2026-11-16T05:59:00Z", "2026-11-16T06:00:00Z")] // 06:59 Berlin, after midnight
    [InlineData("2026-11-16T06:00:00Z", null)] // 07:00 Berlin: over
    [InlineData("2026-11-15T20:59:00Z", null)] // 21:59 Berlin: not yet
    public void QuietHoursThatWrapMidnightEndTheNextMorningInTheMembersZone(string now, string? until) =>
        Assert.Equal(until is null ? null : DateTime.Parse(until, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime(),
            DeliveryPolicy.QuietUntil(DateTime.Parse(now, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime(), Berlin, new TimeOnly(22, 0), new TimeOnly(7, 0)));

    [Fact]
    public void QuietHoursWithinADayEndTheSameDay() =>
        Assert.Equal(new DateTime(2026, 11, 15, 11, 0, 0, DateTimeKind.Utc),
            DeliveryPolicy.QuietUntil(new DateTime(2026, 11, 15, 10, 0, 0, DateTimeKind.Utc), Berlin, new TimeOnly(9, 0), new TimeOnly(12, 0)));

    [Fact]
    public void NoQuietHoursOrAnEmptyRangeNeverHoldAMessage()
    {
        var now = new DateTime(2026, 11, 15, 10, 0, 0, DateTimeKind.Utc);
        Assert.Null(DeliveryPolicy.QuietUntil(now, Berlin, null, null));
        Assert.Null(DeliveryPolicy.QuietUntil(now, Berlin, new TimeOnly(11, 0), new TimeOnly(11, 0)));
    }

    [Fact]
    public void QuietHoursEndingInTheSpringForwardGapEndAtTheFirstValidTime()
    {
        // 29 March 2026, Berlin: 02:00 local jumps to 03:00; quiet hours 22:00–02:30 end at 03:00 CEST = 01:00 UTC.
        var until = DeliveryPolicy.QuietUntil(new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc), Berlin, new TimeOnly(22, 0), new TimeOnly(2, 30));
        Assert.Equal(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc), until);
    }

    [Fact]
    public void TheInAppKeyIsTheOutboxKeyWithoutItsChannel() =>
        Assert.Equal("bill-due-soon:bill:12:2026-12-01:m3", OutboxDelivery.BaseKeyOf("bill-due-soon:bill:12:2026-12-01:m3:app"));
}
