using Bunit;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Notifications.Preferences;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components.Notifications;

/// <summary>The notification settings page: the type × channel grid with the defaults, saving a choice, quiet hours validated.</summary>
public sealed class NotificationSettingsPageTests : MudComponentTest
{
    public override async Task InitializeAsync()
    {
        Services.AddSingleton(_ => AppServices.GetRequiredService<NotificationSettingsService>());
        await base.InitializeAsync();
    }

    private IRenderedComponent<NotificationSettingsPage> RenderPage()
    {
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        var page = Render<NotificationSettingsPage>(p => p.AddCascadingValue(Household));
        page.WaitForElement("[data-testid=notification-grid]");
        return page;
    }

    [Fact]
    public void TheGridShowsEveryTypeOnEveryChannelWithTheDefaultsAndTheSummaryByEmailOnly()
    {
        var page = RenderPage();

        var boxes = page.FindAll("[data-testid=notification-grid] input[type=checkbox]");
        Assert.Equal(13, boxes.Count); // four types on three channels (bill, budget, unusual, bank sync) + the summary by email
        foreach (var type in NotificationSettingsService.Types)
        {
            foreach (var channel in NotificationSettingsService.ChannelsInOrder)
            {
                var box = page.FindAll($"#pref-{type}-{channel}".ToLowerInvariant());
                if (!NotificationSettingsService.Applies(type, channel))
                {
                    Assert.Empty(box);
                    continue;
                }

                Assert.Equal(NotificationDefaults.IsEnabled(type, channel), box.Single().HasAttribute("checked"));
                Assert.Equal(
                    $"{NotificationSettingsPage.TypeName(type)}: {NotificationSettingsPage.ChannelName(channel)}",
                    box.Single().GetAttribute("aria-label"));
            }
        }

        Assert.Equal(["Notification", "In app", "Email", "Browser push"], page.FindAll("[data-testid=notification-grid] thead th").Select(th => th.TextContent));
        Assert.Contains("Household's (Europe/Berlin)", page.Find("#member-timezone").GetAttribute("value"), StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=push-section]"));
    }

    [Fact]
    public async Task UncheckingAChannelAndSavingStoresTheChoiceForThisMemberOnly()
    {
        var page = RenderPage();

        page.Find("#pref-budgetalert-email").Change(false);
        page.Find("#summary-frequency").Change(nameof(SummaryFrequency.Weekly));
        page.Find("#quiet-start").Change("22:00");
        page.Find("#quiet-end").Change("07:00");
        page.Find("[data-testid=notification-settings-form]").Submit();

        var db = AppServices.GetRequiredService<AppDbContext>();
        page.WaitForAssertion(() => Assert.Equal(1, db.NotificationPreferences.AsNoTracking().Count()));
        var row = await db.NotificationPreferences.AsNoTracking().SingleAsync();
        Assert.Equal((Household.MemberId, NotificationType.BudgetAlert, NotificationChannel.Email, false), (row.MemberId, row.Type, row.Channel, row.Enabled));
        var settings = await db.MemberNotificationSettings.AsNoTracking().SingleAsync();
        Assert.Equal((SummaryFrequency.Weekly, new TimeOnly(22, 0), new TimeOnly(7, 0), (string?)null),
            (settings.Summary, settings.QuietHoursStart, settings.QuietHoursEnd, settings.TimeZoneId));
    }

    [Fact]
    public async Task QuietHoursWithOnlyAStartShowAMessageAndSaveNothing()
    {
        var page = RenderPage();

        page.Find("#pref-billreminder-inapp").Change(false);
        page.Find("#quiet-start").Change("22:00");
        page.Find("[data-testid=notification-settings-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains("both a start and an end", page.Find("[data-testid=quiet-hours-error]").TextContent, StringComparison.Ordinal));
        var db = AppServices.GetRequiredService<AppDbContext>();
        Assert.Equal(0, await db.NotificationPreferences.AsNoTracking().CountAsync());
        Assert.Equal(0, await db.MemberNotificationSettings.AsNoTracking().CountAsync());
    }
}
