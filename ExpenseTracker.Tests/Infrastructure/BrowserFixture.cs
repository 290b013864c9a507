using Microsoft.Playwright;

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for all browser tests (no browser download is possible here). Without
/// /usr/bin/chromium the tests skip with a reason; with ET_REQUIRE_BROWSER=1 (as .ci/run sets) they fail instead.
/// Browser tests are [SkippableFact]s that start with <see cref="RequireBrowser"/>; a browser test class takes it as
/// <c>IClassFixture&lt;BrowserFixture&gt;</c> (one Chromium process is shared by all of them, each test gets its own context).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromiumPath = "/usr/bin/chromium";
    public const string RequireBrowserVariable = "ET_REQUIRE_BROWSER";

    /// <summary>Debian's Chromium; ET_CHROMIUM_PATH points elsewhere (e.g. at nothing, to see the skip and fail paths).</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("ET_CHROMIUM_PATH") is { Length: > 0 } path ? path : DefaultChromiumPath;

    // One Chromium for the whole test run, shared by every fixture instance: each browser test class has its own
    // fixture (so classes run in parallel, see LongestFirstCollectionOrderer), but launching Chromium per class would
    // cost a start-up each. The last fixture to finish closes it (a later class simply launches it again).
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static IPlaywright? sharedPlaywright;
    private static IBrowser? sharedBrowser;
    private static Exception? sharedLaunchError;
    private static int users;

    private readonly System.Collections.Concurrent.ConcurrentQueue<IBrowserContext> contexts = new();
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

        await SharedGate.WaitAsync();
        try
        {
            users++;
            if (sharedBrowser is null && sharedLaunchError is null)
            {
                await LaunchAsync();
            }

            browser = sharedBrowser;
            launchError = sharedLaunchError;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    private static async Task LaunchAsync()
    {
        try
        {
            sharedPlaywright = await Playwright.CreateAsync();
            sharedBrowser = await sharedPlaywright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
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
            sharedLaunchError = error;
            sharedPlaywright?.Dispose();
            sharedPlaywright = null;
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
        contexts.Enqueue(context);
        var page = await context.NewPageAsync();
        BrowserHelpers.WatchContentSecurityPolicy(page);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        // This class's pages would otherwise stay open in the shared browser, retrying their closed app's circuit.
        while (contexts.TryDequeue(out var context))
        {
            await context.CloseAsync();
        }

        await SharedGate.WaitAsync();
        try
        {
            users--;
            if (users == 0)
            {
                if (sharedBrowser is not null)
                {
                    await sharedBrowser.DisposeAsync();
                }

                sharedPlaywright?.Dispose();
                sharedBrowser = null;
                sharedPlaywright = null;
                sharedLaunchError = null;
            }
        }
        finally
        {
            SharedGate.Release();
        }
    }
}

/// <summary>
/// The old shared collection: its classes run one after another. Prefer <c>IClassFixture&lt;BrowserFixture&gt;</c>, which
/// lets browser test classes run in parallel with each other and with the rest.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
