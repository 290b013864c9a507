using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Notifications.Delivery;

/// <remarks>An app per case: the cases read the whole outbox and move the clock.</remarks>
public sealed class NotificationOutboxTests : PerCaseApps
{
    private TestApp app = null!;
    private DeliveryBed bed = default!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = StartApp(provider);
        bed = await DeliveryBed.CreateAsync(app);
    }

    [ProviderTheory]
    public async Task ABillReminderGoesToEveryChannelByDefaultAndASummaryOnlyByEmail(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var added = await bed.EnqueueAsync(bed.Request(), bed.Request(subject: "summary:week", type: NotificationType.Summary));

        var outbox = await bed.OutboxAsync();
        Assert.Equal(4, added);
        Assert.Equal(
            ["bill-due-soon:bill:1:2026-11-18:m" + bed.MemberId + ":app", "bill-due-soon:bill:1:2026-11-18:m" + bed.MemberId + ":email",
             "bill-due-soon:bill:1:2026-11-18:m" + bed.MemberId + ":push", "bill-due-soon:summary:week:2026-11-18:m" + bed.MemberId + ":email"],
            outbox.Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.All(outbox, o => Assert.Equal(OutboxStatus.Pending, o.Status));
        Assert.All(outbox, o => Assert.Equal(app.Time.GetUtcNow().UtcDateTime, o.NextAttemptAt));
    }

    [ProviderTheory]
    public async Task AChannelTheMemberSwitchedOffGetsNoMessage(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await bed.SetPreferenceAsync(NotificationType.BillReminder, NotificationChannel.Email, enabled: false);

        await bed.EnqueueAsync(bed.Request(), bed.Request(subject: "budget:4", type: NotificationType.BudgetAlert));

        var outbox = await bed.OutboxAsync();
        Assert.Equal([NotificationChannel.InApp, NotificationChannel.Push],
            outbox.Where(o => o.Type == NotificationType.BillReminder).Select(o => o.Channel).Order());
        Assert.Equal(3, outbox.Count(o => o.Type == NotificationType.BudgetAlert));
    }

    [ProviderTheory]
    public async Task AMemberWhoLeftGetsNothing(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var ben = await bed.AddMemberAsync("Ben", "ben@example.com");
        await bed.MarkLeftAsync(ben);

        var added = await bed.EnqueueAsync(bed.Request(memberId: ben), bed.Request());

        Assert.Equal(3, added);
        Assert.All(await bed.OutboxAsync(), o => Assert.Equal(bed.MemberId, o.MemberId));
    }

    [ProviderTheory]
    public async Task TheSameRequestTwiceIsStoredOncePerChannel(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var first = await bed.EnqueueAsync(bed.Request());
        app.Time.Advance(TimeSpan.FromHours(1));
        var second = await bed.EnqueueAsync(bed.Request(), bed.Request());

        Assert.Equal(3, first);
        Assert.Equal(0, second);
        Assert.Equal(3, (await bed.OutboxAsync()).Count);
    }
}
