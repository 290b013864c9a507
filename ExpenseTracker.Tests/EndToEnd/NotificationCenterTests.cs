using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Notifications.Center;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>The bell, the notifications page and the notification settings in Chromium: live count, following a link, axe, 360 px.</summary>
public sealed class NotificationCenterTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Email = "bell.ringer@example.com";
    private const string Password = "plum orchard ledger 42";
    private TestApp? app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task ANewNotificationRingsTheBellLiveAndFollowingItLandsOnItsLinkAndThePagesPassAxeOnDesktopAndPhone()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var (_, household, memberId) = await app.CreateUserWithHouseholdAsync(Email, password: Password);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await NotificationRows.AddAsync(app, household.Id, memberId, "Groceries budget at 80%", now.AddHours(-3),
            body: "You have spent 240.00 of 300.00 this month.\n\nTen days are left.", link: "budgets", type: NotificationType.BudgetAlert);
        await NotificationRows.AddAsync(app, household.Id, memberId, "Rent is due today", now.AddDays(-3),
            body: "Maple Street Apartments rent, 1,650.00.", link: "bills", read: true);

        var page = await browser.NewPageAsync(app.LiveAddress);
        await BrowserHelpers.SignInAsync(page, Email, Password);
        var bellButton = page.Locator("[data-testid=bell-button]");
        await Expect(bellButton).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread");

        // The in-app channel inserts a row and announces it; the open page follows without a reload.
        var water = await NotificationRows.AddAsync(app, household.Id, memberId, "Water is due in 3 days", app.Clock.GetUtcNow().UtcDateTime,
            body: "City water, 38.40, due on 18 Nov.", link: "bills?bill=1");
        app.Services.GetRequiredService<IHouseholdChangePublisher>()
            .Publish(new HouseholdChange(household.Id, HouseholdChangeKind.Notifications, app.Clock.GetUtcNow()));
        await Expect(bellButton).ToHaveAttributeAsync("aria-label", "Notifications, 2 unread");
        await Expect(page.Locator("[data-testid=bell] .mud-badge")).ToHaveTextAsync("2");

        await bellButton.ClickAsync();
        var panel = page.Locator("[data-testid=bell-panel]");
        await Expect(panel.Locator("[data-testid=bell-item]")).ToHaveCountAsync(3);
        await Expect(panel.Locator("[data-testid=bell-item]").First).ToContainTextAsync("Water is due in 3 days");
        await WaitForPopoverFadeInAsync(page);
        await BrowserHelpers.ScreenshotAsync(page, "notifications-bell-open-desktop");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);

        await panel.Locator($"[data-notification-id='{water}'] a").ClickAsync();
        // Blazor navigates inside the page (pushState): there is no load event to wait for.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/bills\\?bill=1$"), new PageAssertionsToHaveURLOptions { Timeout = 30_000 });
        await Expect(bellButton).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread");
        await using (var scope = app.ScopeFor(household.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.NotNull(await db.Notifications.Where(n => n.Id == water).Select(n => n.ReadAt).SingleAsync());
        }

        foreach (var (width, height, suffix) in new[] { (1280, 900, "desktop"), (360, 780, "360") })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync("/notifications");
            await BrowserHelpers.WaitForInteractiveAsync(page);
            await Expect(page.Locator("[data-testid=notification-item]")).ToHaveCountAsync(3);
            await Expect(page.Locator("[data-testid=notification-item][data-unread=true]")).ToHaveCountAsync(1);
            await AssertNoSidewaysScrollAsync(page, width);
            await BrowserHelpers.ScreenshotAsync(page, $"notifications-page-{suffix}");
            await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);

            await page.GotoAsync("/settings/notifications");
            await BrowserHelpers.WaitForInteractiveAsync(page);
            await Expect(page.Locator("[data-testid=notification-grid] input[type=checkbox]")).ToHaveCountAsync(13);
            await AssertNoSidewaysScrollAsync(page, width);
            await BrowserHelpers.ScreenshotAsync(page, $"notification-settings-{suffix}");
            await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
        }

        // On the phone: the bell opens within the screen; the unread filter and mark all read empty the list.
        await page.GotoAsync("/notifications");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await bellButton.ClickAsync();
        await Expect(page.Locator("[data-testid=bell-panel] [data-testid=bell-item]")).ToHaveCountAsync(3);
        var box = await page.Locator("[data-testid=bell-panel]").BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 360, $"The bell's panel spans {box.X}..{box.X + box.Width} on a 360 px screen.");
        await WaitForPopoverFadeInAsync(page);
        await BrowserHelpers.ScreenshotAsync(page, "notifications-bell-open-360");
        // Opening moves the keyboard into the panel; Escape closes it and gives the focus back to the bell.
        await Expect(page.Locator("[data-testid=bell-panel]")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("[data-testid=bell-panel]")).ToHaveCountAsync(0);
        await Expect(bellButton).ToBeFocusedAsync();

        await page.ClickAsync("[data-testid=filter-unread]");
        await Expect(page.Locator("[data-testid=notification-item]")).ToHaveCountAsync(1);
        await page.ClickAsync("[data-testid=mark-all-read]");
        await Expect(page.Locator("[data-testid=notifications-empty]")).ToContainTextAsync("All caught up");
        await Expect(bellButton).ToHaveAttributeAsync("aria-label", "Notifications, none unread");
    }

    [SkippableFact]
    public async Task NotificationSettingsSavedInTheBrowserAreStoredForTheMember()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var (_, household, memberId) = await app.CreateUserWithHouseholdAsync(Email, password: Password);
        var page = await browser.NewPageAsync(app.LiveAddress);
        await BrowserHelpers.SignInAsync(page, Email, Password, "/settings/notifications");
        await Expect(page.Locator("#member-timezone")).ToHaveValueAsync("Household's (Europe/Berlin)");

        await page.Locator("#pref-unusualspending-email").UncheckAsync();
        await page.Locator("#quiet-start").FillAsync("22:00");
        await page.Locator("#quiet-end").FillAsync("07:00");
        await page.SelectOptionAsync("#summary-frequency", "Monthly");
        await page.Locator("#member-timezone").FillAsync("Lisbon");
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Europe/Lisbon" }).ClickAsync();
        await page.ClickAsync("[data-testid=notification-settings-save]");
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Notification settings saved.");

        await using var scope = app.ScopeFor(household.Id);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var settings = await db.MemberNotificationSettings.AsNoTracking().SingleAsync();
        Assert.Equal((memberId, "Europe/Lisbon", new TimeOnly(22, 0), new TimeOnly(7, 0), SummaryFrequency.Monthly),
            (settings.MemberId, settings.TimeZoneId, settings.QuietHoursStart, settings.QuietHoursEnd, settings.Summary));
        var row = await db.NotificationPreferences.AsNoTracking().SingleAsync();
        Assert.Equal((NotificationType.UnusualSpending, NotificationChannel.Email, false), (row.Type, row.Channel, row.Enabled));
    }

    /// <summary>MudBlazor fades popovers in: a screenshot taken earlier shows the page through the panel.</summary>
    private static Task WaitForPopoverFadeInAsync(IPage page) =>
        page.WaitForFunctionAsync("() => { const p = document.querySelector('.et-bell-popover'); return p && getComputedStyle(p).opacity === '1'; }");

    private static async Task AssertNoSidewaysScrollAsync(IPage page, int width)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(overflow, $"{page.Url} scrolls sideways at {width} px.");
    }
}
