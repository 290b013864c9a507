using ExpenseTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>The axe scan every browser test uses finds serious problems, in the page and in its frames, and fails on them.</summary>
public sealed class AccessibilityScanTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Origin = "http://axe-scan.test";

    private const string Broken =
        "<!doctype html><html lang='en'><head><title>Broken</title></head><body><main><h1>Broken</h1>"
        + "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw=' width='20' height='20'>"
        + "<button></button><iframe title='inner' src='/inner'></iframe></main></body></html>";

    private const string Inner =
        "<!doctype html><html lang='en'><head><title>Inner</title></head><body><main><h1>Inner</h1><input type='text'></main></body></html>";

    [SkippableFact]
    public async Task TheScanReportsAnImageWithoutAltAButtonWithoutANameAndAnUnlabelledFieldInAFrame()
    {
        var context = await browser.RequireBrowser().NewContextAsync();
        try
        {
            // Both documents from one origin, as the app's pages would be.
            await context.RouteAsync(Origin + "/**", route => route.FulfillAsync(new RouteFulfillOptions
            {
                ContentType = "text/html",
                Body = route.Request.Url.EndsWith("/inner", StringComparison.Ordinal) ? Inner : Broken,
            }));
            var page = await context.NewPageAsync();
            await page.GotoAsync(Origin + "/");
            await page.FrameLocator("iframe").Locator("input").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

            var result = await BrowserHelpers.RunAxeAsync(page);

            var ids = result.Violations.Select(v => v.Id).ToList();
            Assert.Contains("image-alt", ids);
            Assert.Contains("button-name", ids);
            Assert.Contains("label", ids);
            var failure = await Assert.ThrowsAsync<Xunit.Sdk.FailException>(() => BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page));
            Assert.Contains("image-alt", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
