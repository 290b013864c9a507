using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Notifications.Rules;
using ExpenseTracker.Web.Features.Notifications.Scheduling;

namespace ExpenseTracker.Tests.Unit.Notifications.Scheduling;

public sealed class LocalScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData("Europe/Berlin", 2027, 1, 15, 9, 0, "2027-01-15T08:00:00Z")]
    [InlineData("Europe/Berlin", 2027, 7, 15, 9, 0, "2027-07-15T07:00:00Z")]
    [InlineData("America/New_York", 2027, 1, 15, 9, 0, "2027-01-15T14:00:00Z")]
    [InlineData("America/New_York", 2027, 7, 15, 9, 0, "2027-07-15T13:00:00Z")]
    public void ALocalTimeIsThatWallClockTimeInTheZone(string zone, int y, int mo, int d, int h, int mi, string utc)
    {
        var at = LocalSchedule.ToUtc(new DateOnly(y, mo, d), new TimeOnly(h, mi), TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), at);
    }

    [Fact]
    public void ATimeInTheSpringGapMovesToTheEndOfTheGap()
    {
        // Berlin skips 02:00–03:00 on 28 March 2027: 02:30 becomes 03:00 CEST, 01:00 UTC.
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 1, 0, 0, TimeSpan.Zero), LocalSchedule.ToUtc(new DateOnly(2027, 3, 28), new TimeOnly(2, 30), Berlin));

        // New York skips 02:00–03:00 on 12 March 2028: 02:00 becomes 03:00 EDT, 07:00 UTC.
        Assert.Equal(new DateTimeOffset(2028, 3, 12, 7, 0, 0, TimeSpan.Zero), LocalSchedule.ToUtc(new DateOnly(2028, 3, 12), new TimeOnly(2, 0), NewYork));
    }

    [Fact]
    public void ATimeThatHappensTwiceInAutumnIsTheFirst()
    {
        // Berlin goes back at 03:00 CEST on 31 October 2027: 02:30 happens at 00:30 and at 01:30 UTC.
        Assert.Equal(new DateTimeOffset(2027, 10, 31, 0, 30, 0, TimeSpan.Zero), LocalSchedule.ToUtc(new DateOnly(2027, 10, 31), new TimeOnly(2, 30), Berlin));
    }

    [Fact]
    public void AMemberZoneWinsOverTheHouseholdsAndAnUnknownOneFallsBack()
    {
        Assert.Equal(NewYork.Id, LocalSchedule.Zone("America/New_York", "Europe/Berlin").Id);
        Assert.Equal(Berlin.Id, LocalSchedule.Zone(null, "Europe/Berlin").Id);
        Assert.Equal(Berlin.Id, LocalSchedule.Zone("Mars/Olympus_Mons", "Europe/Berlin").Id);
    }

    [Theory]
    [InlineData("2026-12-28", "2026-W53")]
    [InlineData("2027-01-04", "2027-W01")]
    [InlineData("2026-11-23", "2026-W48")]
    public void AWeeklySummaryIsKeyedByTheIsoWeekItCovers(string monday, string key) =>
        Assert.Equal(key, SummaryRule.PeriodKey(SummaryFrequency.Weekly, DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void AMonthlySummaryIsKeyedByItsMonth() =>
        Assert.Equal("2028-02", SummaryRule.PeriodKey(SummaryFrequency.Monthly, new DateOnly(2028, 2, 1)));

    [Fact]
    public void AWeeklySummaryIsSentMondayAtEightLocalForThePreviousWeek()
    {
        var ben = new Recipient(2, 1, "u", MemberRole.Member, NewYork, SummaryFrequency.Weekly);

        // Monday 30 November 2026, 08:00 in New York is 13:00 UTC; a window ending a minute earlier has nothing.
        var periods = SummaryRule.Periods(ben, new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 13, 0, 0, TimeSpan.Zero)).ToList();
        var none = SummaryRule.Periods(ben, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 12, 59, 0, TimeSpan.Zero)).ToList();

        Assert.Equal((new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 29)), Assert.Single(periods));
        Assert.Empty(none);
    }

    [Fact]
    public void AMonthlySummaryOnFirstMarchCoversTheLeapFebruary()
    {
        var ana = new Recipient(1, 1, "u", MemberRole.Owner, Berlin, SummaryFrequency.Monthly);

        var periods = SummaryRule.Periods(ana, new DateTimeOffset(2028, 2, 25, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 3, 5, 0, 0, 0, TimeSpan.Zero)).ToList();

        Assert.Equal((new DateOnly(2028, 3, 1), new DateOnly(2028, 2, 1), new DateOnly(2028, 2, 29)), Assert.Single(periods));
    }
}
