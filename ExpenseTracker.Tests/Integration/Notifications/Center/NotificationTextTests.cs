using System.Globalization;
using ExpenseTracker.Web.Features.Notifications.Center;

namespace ExpenseTracker.Tests.Integration.Notifications.Center;

/// <summary>How the bell counts, how notifications name their age, and which links are followed.</summary>
public sealed class NotificationTextTests
{
    [Theory]
    [InlineData(0, "", "Notifications, none unread")]
    [InlineData(3, "3", "Notifications, 3 unread")]
    [InlineData(99, "99", "Notifications, 99 unread")]
    [InlineData(100, "99+", "Notifications, more than 99 unread")]
    public void TheBadgeCapsAtNinetyNineAndTheButtonSaysHowManyAreUnread(int unread, string badge, string label)
    {
        Assert.Equal(badge, NotificationText.BadgeText(unread));
        Assert.Equal(label, NotificationText.BellLabel(unread));
    }

    [Theory]
    [InlineData("bills?bill=12", "bills?bill=12")]
    [InlineData("/budgets", "budgets")]
    [InlineData("expenses?q=a:b", "expenses?q=a:b")]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("https://evil.example/", null)]
    [InlineData("//evil.example/x", null)]
    [InlineData("\\\\evil.example", null)]
    [InlineData("", null)]
    public void OnlyAppRelativeLinksAreFollowed(string link, string? expected) =>
        Assert.Equal(expected, NotificationText.SafeHref(link));

    [Fact]
    public void TheBellShowsTheFirstNonEmptyLineOfTheBody() =>
        Assert.Equal("Due on 18 Nov.", NotificationText.FirstLine("\n  Due on 18 Nov.  \n\nPay it from the bills page."));

    [Fact]
    public void AgesReadRelativelyForAWeekThenAsALocalDate()
    {
        var now = new DateTimeOffset(2026, 11, 15, 10, 0, 0, TimeSpan.Zero);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var culture = CultureInfo.GetCultureInfo("en-US");
        string Age(TimeSpan ago) => NotificationText.Relative(now.UtcDateTime - ago, now, berlin, culture);

        Assert.Equal("just now", Age(TimeSpan.FromSeconds(20)));
        Assert.Equal("12 min ago", Age(TimeSpan.FromMinutes(12)));
        Assert.Equal("5 h ago", Age(TimeSpan.FromHours(5.5)));
        Assert.Equal("yesterday", Age(TimeSpan.FromHours(30)));
        Assert.Equal("4 days ago", Age(TimeSpan.FromDays(4)));
        // 23:30 UTC on 31 Oct is already 1 Nov in Berlin.
        Assert.Equal("11/1/2026", NotificationText.Relative(new DateTime(2026, 10, 31, 23, 30, 0, DateTimeKind.Utc), now, berlin, culture));
    }
}
