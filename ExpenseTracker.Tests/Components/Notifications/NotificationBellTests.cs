using Bunit;
using ExpenseTracker.Tests.Integration.Notifications.Center;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Features.Notifications.Center;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components.Notifications;

/// <summary>The app bar's bell over the real app: count, cap, accessible name, the latest list, mark all, following a link, live.</summary>
public sealed class NotificationBellTests : MudComponentTest
{
    public override async Task InitializeAsync()
    {
        Services.AddSingleton(_ => AppServices.GetRequiredService<NotificationCenterService>());
        await base.InitializeAsync();
    }

    private Task<long> AddAsync(string title, int minutesAgo = 0, bool read = false, string? link = "bills") =>
        NotificationRows.AddAsync(App, Household.Id, Household.MemberId, title, App.Time.GetUtcNow().UtcDateTime.AddMinutes(-minutesAgo),
            body: title + " body.\nSecond line.", link: link, read: read);

    private (IRenderedComponent<MudPopoverProvider> Popovers, IRenderedComponent<NotificationBell> Bell) RenderBell()
    {
        var popovers = Render<MudPopoverProvider>();
        var bell = Render<NotificationBell>(p => p.Add(b => b.Household, Household));
        return (popovers, bell);
    }

    private static string Label(IRenderedComponent<NotificationBell> bell) =>
        bell.Find("[data-testid=bell-button]").GetAttribute("aria-label") ?? string.Empty;

    private static string BadgeText(IRenderedComponent<NotificationBell> bell) =>
        bell.FindAll(".mud-badge").Select(b => b.TextContent.Trim()).FirstOrDefault(t => t.Length > 0) ?? string.Empty;

    [Fact]
    public async Task TheBadgeShowsTheUnreadCountAndTheButtonSaysIt()
    {
        await AddAsync("One");
        await AddAsync("Two");
        await AddAsync("Three");
        await AddAsync("Old", minutesAgo: 600, read: true);

        var (_, bell) = RenderBell();

        bell.WaitForAssertion(() => Assert.Equal("Notifications, 3 unread", Label(bell)));
        Assert.Equal("3", BadgeText(bell));
        Assert.Equal("3", bell.Find("[data-testid=bell]").GetAttribute("data-unread"));
    }

    [Fact]
    public void WithNothingUnreadTheBadgeIsHidden()
    {
        var (_, bell) = RenderBell();

        bell.WaitForAssertion(() => Assert.Equal("Notifications, none unread", Label(bell)));
        Assert.Equal(string.Empty, BadgeText(bell));
    }

    [Fact]
    public async Task MoreThanNinetyNineShowAsNinetyNinePlus()
    {
        await NotificationRows.AddManyAsync(App, Household.Id, Household.MemberId, 120);

        var (_, bell) = RenderBell();

        bell.WaitForAssertion(() => Assert.Equal("99+", BadgeText(bell)));
        Assert.Equal("Notifications, more than 99 unread", Label(bell));
    }

    [Fact]
    public async Task OpeningListsTheLatestEightNewestFirstWithUnreadMarked()
    {
        await NotificationRows.AddManyAsync(App, Household.Id, Household.MemberId, 10);
        await AddAsync("Read one", minutesAgo: 3, read: true);

        var (popovers, bell) = RenderBell();
        await bell.InvokeAsync(() => bell.Find("[data-testid=bell-button]").Click());

        popovers.WaitForAssertion(() => Assert.Equal(NotificationBell.Latest, popovers.FindAll("[data-testid=bell-item]").Count));
        var items = popovers.FindAll("[data-testid=bell-item]");
        Assert.Equal(["Notice 9", "Read one", "Notice 8"], items.Take(3).Select(i => i.QuerySelector(".et-bell-item-title")!.TextContent));
        Assert.Equal(["true", "false", "true"], items.Take(3).Select(i => i.GetAttribute("data-unread")));
        Assert.Equal("Read one body.", items[1].QuerySelector(".et-bell-item-body")!.TextContent);
        Assert.Equal("3 min ago", items[1].QuerySelector(".et-bell-item-time")!.TextContent);
        Assert.Equal("true", bell.Find("[data-testid=bell-button]").GetAttribute("aria-expanded"));
        Assert.NotNull(popovers.Find("[data-testid=bell-see-all][href=notifications]"));
    }

    [Fact]
    public async Task MarkAllReadClearsTheCountAndTheRows()
    {
        await AddAsync("One");
        await AddAsync("Two");
        var (popovers, bell) = RenderBell();
        await bell.InvokeAsync(() => bell.Find("[data-testid=bell-button]").Click());

        popovers.WaitForElement("[data-testid=bell-mark-all]");
        await popovers.InvokeAsync(() => popovers.Find("[data-testid=bell-mark-all]").Click());

        bell.WaitForAssertion(() => Assert.Equal("Notifications, none unread", Label(bell)));
        Assert.Equal(string.Empty, BadgeText(bell));
        var db = AppServices.GetRequiredService<AppDbContext>();
        Assert.Equal(0, await db.Notifications.AsNoTracking().CountAsync(n => n.ReadAt == null));
    }

    [Fact]
    public async Task ClickingANotificationMarksItReadAndFollowsItsLink()
    {
        await AddAsync("Other");
        var id = await AddAsync("Water due", link: "bills?bill=12");
        var (popovers, bell) = RenderBell();
        await bell.InvokeAsync(() => bell.Find("[data-testid=bell-button]").Click());

        popovers.WaitForElement($"[data-notification-id='{id}'] a");
        await popovers.InvokeAsync(() => popovers.Find($"[data-notification-id='{id}'] a").Click());

        var navigation = Services.GetRequiredService<NavigationManager>();
        bell.WaitForAssertion(() => Assert.EndsWith("/bills?bill=12", navigation.Uri, StringComparison.Ordinal));
        Assert.Equal("Notifications, 1 unread", Label(bell));
        var db = AppServices.GetRequiredService<AppDbContext>();
        Assert.NotNull(await db.Notifications.AsNoTracking().Where(n => n.Id == id).Select(n => n.ReadAt).SingleAsync());
    }

    [Fact]
    public async Task ANewNotificationShowsLiveWhenTheInAppChannelAnnouncesIt()
    {
        var (_, bell) = RenderBell();
        bell.WaitForAssertion(() => Assert.Equal("Notifications, none unread", Label(bell)));

        await AddAsync("Budget at 80%");
        App.Services.GetRequiredService<IHouseholdChangePublisher>()
            .Publish(new HouseholdChange(Household.Id, HouseholdChangeKind.Notifications, App.Time.GetUtcNow()));

        bell.WaitForAssertion(() => Assert.Equal("Notifications, 1 unread", Label(bell)), TimeSpan.FromSeconds(30));
        Assert.Equal("1", BadgeText(bell));
    }

    [Fact]
    public async Task DisposingTheBellEndsItsSubscription()
    {
        var notifier = App.Services.GetRequiredService<HouseholdChangeNotifier>();
        var before = notifier.SubscriberCount(Household.Id);
        var (_, bell) = RenderBell();
        bell.WaitForAssertion(() => Assert.Equal(before + 1, notifier.SubscriberCount(Household.Id)));

        await DisposeComponentsAsync();

        Assert.Equal(before, notifier.SubscriberCount(Household.Id));
    }
}
