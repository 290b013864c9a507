using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>
/// A personal access token end to end in Chromium: made in Settings, read off the page, used by a plain HTTP client
/// against the running app, then revoked in the page, after which the same client gets 401.
/// </summary>
public sealed class ApiTokenFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Password = "walnut ledger lantern 42";
    private TestApp? app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private static async Task<HttpResponseMessage> GetMeAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    [SkippableFact]
    public async Task ATokenMadeInSettingsWorksForItsMemberUntilItIsRevokedInThePage()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var (_, household, memberId) = await app.CreateUserWithHouseholdAsync("tessa@example.com", password: Password);
        var page = await browser.NewPageAsync(app.LiveAddress);
        // The first sign-in of a fresh app hashes the password and renders its first pages cold: on a loaded 2-core
        // machine the click's wait for that navigation alone can pass the fixture's 15 s.
        page.SetDefaultTimeout(60_000);
        await BrowserHelpers.SignInAsync(page, "tessa@example.com", Password, "/settings");

        await page.Locator("[data-testid=settings-api-tokens-link]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/settings/api-tokens", StringComparison.Ordinal));
        await page.Locator("#api-token-name").FillAsync("Budget spreadsheet");
        await page.Locator("#api-token-write").CheckAsync();
        await page.Locator("#api-token-expiry").SelectOptionAsync("30");
        await page.Locator("[data-testid=api-token-create]").ClickAsync();

        var secretBox = page.Locator("[data-testid=api-token-secret]");
        await Expect(secretBox).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^et_"));
        var secret = await secretBox.InputValueAsync();
        await Expect(page.Locator("[data-testid=api-token-curl]")).ToHaveTextAsync($"curl -H \"Authorization: Bearer {secret}\" {app.LiveAddress.ToString().TrimEnd('/')}/api/v1/me");
        await Expect(page.Locator("[data-testid=api-token]")).ToHaveAttributeAsync("data-status", "active");
        await BrowserHelpers.ScreenshotAsync(page, "api-tokens-created");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);

        using var http = new HttpClient { BaseAddress = app.LiveAddress };
        using (var ok = await GetMeAsync(http, secret))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var me = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal((memberId, household.Id), (me.GetProperty("memberId").GetInt64(), me.GetProperty("householdId").GetInt64()));
            Assert.Equal(2, me.GetProperty("scopes").GetArrayLength());
        }

        // The secret leaves the page once acknowledged; a reload shows the use the client just made.
        await page.Locator("[data-testid=api-token-done]").ClickAsync();
        await Expect(secretBox).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=api-token-last-used]")).ToContainTextAsync("from 127.0.0.1");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        await page.Locator("[data-testid=api-token-revoke]").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.Locator("[data-testid=api-token]")).ToHaveAttributeAsync("data-status", "revoked");
        await BrowserHelpers.ScreenshotAsync(page, "api-tokens-revoked");

        using var refused = await GetMeAsync(http, secret);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [SkippableFact]
    public async Task ThePageFitsAPhoneScreenWithANewTokenShown()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        await app.CreateUserWithHouseholdAsync("pia@example.com", password: Password);
        var page = await browser.NewPageAsync(app.LiveAddress, width: 360, height: 780);
        page.SetDefaultTimeout(60_000);
        await BrowserHelpers.SignInAsync(page, "pia@example.com", Password, "/settings/api-tokens");

        await page.Locator("#api-token-name").FillAsync("Phone shortcut that logs a coffee");
        await page.Locator("[data-testid=api-token-create]").ClickAsync();
        await Expect(page.Locator("[data-testid=api-token-secret]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^et_"));

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than a 360 px screen.");
        await BrowserHelpers.ScreenshotAsync(page, "api-tokens-360");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
    }
}
