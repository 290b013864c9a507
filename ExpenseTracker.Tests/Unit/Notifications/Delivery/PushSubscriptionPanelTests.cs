using Bunit;
using ExpenseTracker.Tests.Components;
using ExpenseTracker.Web.Features.Notifications.Push;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Unit.Notifications.Delivery;

public sealed class PushSubscriptionPanelTests : MudComponentTest
{
    private BunitJSModuleInterop module = default!;

    public override async Task InitializeAsync()
    {
        // Registered before the base class renders anything; resolved from the member's app scope on first use.
        Services.AddSingleton(_ => AppServices.GetRequiredService<PushSubscriptionService>());
        await base.InitializeAsync();
        module = JSInterop.SetupModule(PushSubscriptionPanel.ModulePath);
    }

    [Fact]
    public void OnAPageThatIsNotSecureThePanelSaysPushNeedsHttps()
    {
        module.Setup<PushSubscriptionPanel.BrowserState>("state").SetResult(new(Secure: false, Supported: false, Permission: "default", Endpoint: null));

        var panel = Render<PushSubscriptionPanel>();

        panel.WaitForAssertion(() => Assert.Contains("open ExpenseTracker over HTTPS (or on this computer at http://localhost)",
            panel.Find("[data-testid=push-insecure]").TextContent));
        Assert.Empty(panel.FindAll("[data-testid=push-subscribe]"));
    }

    [Fact]
    public void InABrowserWithoutPushThePanelSaysSo()
    {
        module.Setup<PushSubscriptionPanel.BrowserState>("state").SetResult(new(Secure: true, Supported: false, Permission: "unsupported", Endpoint: null));

        var panel = Render<PushSubscriptionPanel>();

        panel.WaitForAssertion(() => Assert.Contains("This browser does not support push notifications", panel.Find("[data-testid=push-unsupported]").TextContent));
        Assert.Empty(panel.FindAll("[data-testid=push-subscribe]"));
    }

    [Fact]
    public async Task SubscribingStoresThisBrowsersSubscriptionForTheMember()
    {
        var keys = AppServices.GetRequiredService<VapidKeys>();
        module.Setup<PushSubscriptionPanel.BrowserState>("state").SetResult(new(Secure: true, Supported: true, Permission: "default", Endpoint: null));
        module.Setup<PushSubscriptionPanel.SubscribeResult>("subscribe", call => Equals(call.Arguments[0], keys.PublicKey))
            .SetResult(new("https://push.example.net/send/abc", "BPublicKeyOfTheBrowser", "authsecret", null));

        var panel = Render<PushSubscriptionPanel>();
        panel.WaitForElement("[data-testid=push-subscribe]").Click();

        panel.WaitForElement("[data-testid=push-subscribed]");
        await using var db = await AppServices.GetRequiredService<IDbContextFactory<ExpenseTracker.Web.Data.AppDbContext>>().CreateDbContextAsync();
        var stored = await db.PushSubscriptions.SingleAsync();
        Assert.Equal((Household.MemberId, "https://push.example.net/send/abc", "BPublicKeyOfTheBrowser", "authsecret"),
            (stored.MemberId, stored.Endpoint, stored.P256dh, stored.Auth));
    }

    [Fact]
    public void ABrowserThatRefusesPermissionShowsWhy()
    {
        module.Setup<PushSubscriptionPanel.BrowserState>("state").SetResult(new(Secure: true, Supported: true, Permission: "default", Endpoint: null));
        module.Setup<PushSubscriptionPanel.SubscribeResult>("subscribe", _ => true)
            .SetResult(new(null, null, null, "Notifications are blocked for this site in the browser's settings."));

        var panel = Render<PushSubscriptionPanel>();
        panel.WaitForElement("[data-testid=push-subscribe]").Click();

        panel.WaitForAssertion(() => Assert.Contains("blocked", panel.Find("[data-testid=push-error]").TextContent));
        Assert.Empty(panel.FindAll("[data-testid=push-subscribed]"));
    }
}
