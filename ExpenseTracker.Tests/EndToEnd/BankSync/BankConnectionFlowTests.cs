using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.BankSync;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd.BankSync;

/// <summary>A bank connection end to end in Chromium against the fake SimpleFIN Bridge: connect, map, sync, see the rows.</summary>
public sealed class BankConnectionFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Password = "walnut ledger lantern 42";
    private TestApp? app;
    private FakeSimpleFinServer? bank;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        if (bank is not null)
        {
            await bank.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task AMemberConnectsABankMapsItsAccountAndSeesTheSyncedTransactions()
    {
        browser.RequireBrowser();
        bank = await FakeSimpleFinServer.StartAsync();
        var account = new FakeAccount("ACT-7", "Family Checking", balance: "812.40");
        account.Transactions.Add(new("E-1", FakeSimpleFinServer.Utc(2026, 11, 9), "-63.80", "FARMERS MARKET", "Farmers Market"));
        account.Transactions.Add(new("E-2", FakeSimpleFinServer.Utc(2026, 11, 12), "-18.25", "CINEMA CITY"));
        account.Transactions.Add(new("E-P", null, "-7.50", "ICE CREAM"));
        bank.Accounts.Add(account);
        app = TestApp.StartLive(a => a.With("BankSync:AllowInsecureHttp", "true"));
        await app.CreateUserWithHouseholdAsync("nora@example.com", password: Password);
        var page = await browser.NewPageAsync(app.LiveAddress, width: 360, height: 780);
        page.SetDefaultTimeout(60_000);
        await BrowserHelpers.SignInAsync(page, "nora@example.com", Password, "/settings");

        await page.Locator("[data-testid=settings-bank-connections-link]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/settings/bank-connections", StringComparison.Ordinal));
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await page.Locator("#bank-name").FillAsync("Family bank");
        await page.Locator("#bank-token").FillAsync(bank.SetupToken);
        await page.Locator("#bank-history").SelectOptionAsync("30");
        await page.Locator("[data-testid=bank-connect]").ClickAsync();

        var select = page.Locator("[data-testid=bank-link-select]");
        await Expect(select).ToBeVisibleAsync();
        await BrowserHelpers.ScreenshotAsync(page, "bank-connection-added-360");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
        await select.SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.Locator("[data-testid=bank-save-sync]").ClickAsync();
        await Expect(page.Locator("[data-testid=bank-account]")).ToContainTextAsync("through");
        await Expect(page.Locator("[data-testid=bank-last-sync]")).ToContainTextAsync("Last synced");

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than a 360 px screen.");
        await BrowserHelpers.ScreenshotAsync(page, "bank-connection-synced-360");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);

        await page.GotoAsync(new Uri(app.LiveAddress, "expenses").AbsoluteUri);
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.GetByText("Farmers Market").First).ToBeVisibleAsync();
        await Expect(page.GetByText("CINEMA CITY").First).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByText("ICE CREAM").CountAsync());
        await BrowserHelpers.ScreenshotAsync(page, "bank-sync-expenses-360");
    }
}
