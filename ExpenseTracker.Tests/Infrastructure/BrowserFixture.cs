using Microsoft.Playwright;

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for all browser tests (no browser download is possible here). Without
/// /usr/bin/chromium the tests skip with a reason; with ET_REQUIRE_BROWSER=1 (as .ci/run sets) they fail instead.
/// Browser tests are [SkippableFact]s that start with <see cref="RequireBrowser"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromiumPath = "/usr/bin/chromium";
    public const string RequireBrowserVariable = "ET_REQUIRE_BROWSER";

    /// <summary>Debian's Chromium; ET_CHROMIUM_PATH points elsewhere (e.g. at nothing, to see the skip and fail paths).</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("ET_CHROMIUM_PATH") is { Length: > 0 } path ? path : DefaultChromiumPath;

    private IPlaywright? playwright;
    private IBrowser? browser;
    private Exception? launchError;

    public static bool BrowserRequired => Environment.GetEnvironmentVariable(RequireBrowserVariable) == "1";

    public async Task InitializeAsync()
    {
        // Expectations wait for the circuit's next render; on a busy 2-core machine that can exceed Playwright's 5 s default.
        Assertions.SetDefaultExpectTimeout(15_000);
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        try
        {
            playwright = await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,

                // Playwright adds --headless and its own temporary profile (a --user-data-dir here would throw).
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                ],
            });
        }
        catch (PlaywrightException error)
        {
            // Chromium is installed but does not start: every browser test fails with this, it never skips.
            launchError = error;
        }
    }

    /// <summary>The browser, or a skip (Chromium absent) or a failure (absent under ET_REQUIRE_BROWSER=1, or broken).</summary>
    public IBrowser RequireBrowser()
    {
        if (launchError is not null)
        {
            throw new InvalidOperationException($"Chromium at {ChromiumPath} did not start: {launchError.Message}", launchError);
        }

        if (browser is not null)
        {
            return browser;
        }

        var reason = $"No Chromium at {ChromiumPath} (install it with: apt-get install -y chromium).";
        if (BrowserRequired)
        {
            throw new InvalidOperationException($"{RequireBrowserVariable}=1 but browser tests cannot run: {reason}");
        }

        Skip.If(true, reason);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>A fresh, isolated browser context (own cookies) on the given app, desktop-sized by default.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, int width = 1280, int height = 800)
    {
        var context = await RequireBrowser().NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            TimezoneId = "Europe/Berlin",
        });
        // Actions that submit a form wait for its navigation within this timeout; on a busy 2-core machine a first page can take long.
        context.SetDefaultTimeout(30_000);
        // A fresh app compiles its pages on the first visit: on a busy 2-core machine that alone can take seconds.
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        BrowserHelpers.WatchContentSecurityPolicy(page);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
