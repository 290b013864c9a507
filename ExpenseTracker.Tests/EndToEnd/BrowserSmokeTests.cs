using ExpenseTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>Proves the browser fixture end to end; the full user flow builds on it.</summary>
public sealed class BrowserSmokeTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp? app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<IPage> OpenAsync(string path, int width = 1280)
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var page = await browser.NewPageAsync(app.LiveAddress, width);
        await page.GotoAsync(path);
        return page;
    }

    [SkippableFact]
    public async Task AnAnonymousVisitorToTheDashboardLandsOnTheSignInPage()
    {
        var page = await OpenAsync("/");

        Assert.Equal("/Identity/Account/Login", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("input[type=password]")).ToBeVisibleAsync();
        await BrowserHelpers.ScreenshotAsync(page, "sign-in-desktop");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
    }

    [SkippableFact]
    public async Task TheSignInPageWorksOnAPhoneWithoutSeriousAccessibilityProblems()
    {
        var page = await OpenAsync("/Identity/Account/Login", width: 360);

        await Assertions.Expect(page.Locator("input[type=password]")).ToBeVisibleAsync();
        Assert.StartsWith("http://127.0.0.1:", page.Url, StringComparison.Ordinal);
        var scrollsSideways = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(scrollsSideways, "The sign-in page scrolls sideways at 360 px.");
        var shot = await BrowserHelpers.ScreenshotAsync(page, "sign-in-phone");
        Assert.True(new FileInfo(shot).Length > 0);
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
    }

    [SkippableFact]
    public async Task TheNotFoundPageWorksOnAPhoneWithoutSeriousAccessibilityProblems()
    {
        // Signed in: an anonymous visitor to an unknown address is sent to sign in first.
        var page = await OpenAsync("/Identity/Account/Login", width: 360);
        await app!.CreateUserWithHouseholdAsync("lost@example.com");
        await BrowserHelpers.SignInAsync(page, "lost@example.com", "correct horse battery staple");
        var response = await page.GotoAsync("/no-such-page");

        Assert.Equal(404, response!.Status);

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Page not found");
        await Assertions.Expect(page.Locator("[data-testid=home-link]")).ToBeVisibleAsync();
        var scrollsSideways = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(scrollsSideways, "The not-found page scrolls sideways at 360 px.");
        await Assertions.Expect(page.Locator("[data-testid=status-app-bar]")).ToBeVisibleAsync();
        await BrowserHelpers.ScreenshotAsync(page, "not-found-phone");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);

        // The page a failed request ends on (outside Development) has the same frame.
        await page.GotoAsync("/Error");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Something went wrong");
        await Assertions.Expect(page.Locator("[data-testid=request-id]")).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"),
            "The error page scrolls sideways at 360 px.");
        await BrowserHelpers.ScreenshotAsync(page, "error-phone");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
    }
}
