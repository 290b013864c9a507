using System.Diagnostics;
using System.Globalization;
using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Features.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using netDumbster.smtp;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>The administrator's /admin page in Chromium: users, the registration switch, the SMTP test and the audit log.</summary>
public sealed class AdminPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly SimpleSmtpServer smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
    private TestApp? app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        smtp.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<IPage> SignInAsAdministratorAsync(int width, int height)
    {
        app ??= await StartAsync();
        var page = await browser.NewPageAsync(app.LiveAddress, width, height);
        page.SetDefaultTimeout(60_000);
        BrowserHelpers.WatchContentSecurityPolicy(page);
        await BrowserHelpers.SignInAsync(page, "ada@example.com", AccountForms.Password, "/admin");
        await Expect(page.Locator("[data-testid=admin-page]")).ToBeVisibleAsync();
        return page;
    }

    private async Task<TestApp> StartAsync()
    {
        var started = TestApp.StartLive(a => a
            .With("Smtp:Host", "127.0.0.1")
            .With("Smtp:Port", smtp.Configuration.Port.ToString(CultureInfo.InvariantCulture))
            .With("Smtp:Security", "None"));
        await AccountForms.CreateAdministratorAsync(started, "ada@example.com");
        await started.CreateUserWithHouseholdAsync("bruno@example.com");
        return started;
    }

    [SkippableFact]
    public async Task AnAdministratorSeesUsersSwitchesRegistrationSendsATestEmailAndFindsItInTheAuditLog()
    {
        browser.RequireBrowser();
        var page = await SignInAsAdministratorAsync(1280, 900);

        await Expect(page.Locator("[data-testid=admin-user]")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-testid=admin-user][data-email='bruno@example.com']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=nav-admin]")).ToBeVisibleAsync();

        await page.Locator("[data-testid=registration-switch]").CheckAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Public registration is on.");
        await using (var scope = app!.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<InstanceSettingsService>().IsRegistrationEnabledAsync());
        }

        await page.Locator("[data-testid=smtp-test]").ClickAsync();
        await Expect(page.Locator("[data-testid=smtp-test-result]")).ToHaveAttributeAsync("data-succeeded", "true");
        await Expect(page.Locator("[data-testid=smtp-test-result]")).ToContainTextAsync("accepted by the mail server 127.0.0.1:");
        var waited = Stopwatch.StartNew();
        while (smtp.ReceivedEmailCount < 1 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.Equal("ada@example.com", Assert.Single(smtp.ReceivedEmail).ToAddresses.Single().Address);

        await page.ReloadAsync();
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=audit-row][data-action=RegistrationSet]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=audit-row][data-action=SignIn]").First).ToContainTextAsync("ada@example.com");
        await BrowserHelpers.ScreenshotAsync(page, "admin-page");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
    }

    [SkippableFact]
    public async Task OnAPhoneThePageFitsTheScreenWidth()
    {
        browser.RequireBrowser();
        var page = await SignInAsAdministratorAsync(360, 740);

        await Expect(page.Locator("[data-testid=disk-item]").First).ToBeVisibleAsync();
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        await BrowserHelpers.ScreenshotAsync(page, "admin-page-360");

        Assert.True(widths[0] <= widths[1], $"The page scrolls sideways at 360 px: {widths[0]} px wide content in a {widths[1]} px window.");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
    }
}
