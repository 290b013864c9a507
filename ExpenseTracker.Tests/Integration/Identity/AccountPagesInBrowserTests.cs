using Deque.AxeCore.Playwright;
using ExpenseTracker.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ExpenseTracker.Tests.Integration.Identity;

/// <summary>The account pages in Debian's Chromium: no serious accessibility violations, no sideways scrolling on a phone.</summary>
public sealed class AccountPagesInBrowserTests : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private readonly TestApp app = new(realPort: true);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [SkippableFact]
    public async Task AccountPagesAreAccessibleAndFitAPhoneScreen()
    {
        var required = Environment.GetEnvironmentVariable("ET_REQUIRE_BROWSER") == "1";
        Skip.If(!required && !File.Exists(ChromiumPath), "Chromium is not installed at " + ChromiumPath);
        await app.CreateUserWithHouseholdAsync("ana@example.com", password: AccountForms.Password);
        using var http = app.CreateClient();
        var baseUrl = http.BaseAddress!.ToString().TrimEnd('/');
        var screenshots = Environment.GetEnvironmentVariable("ET_SCREENSHOT_DIR");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath });
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (1280, 900), (360, 800) })
        {
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            foreach (var path in new[] { "/Identity/Account/Register", "/Identity/Account/Login", "/Identity/Account/ForgotPassword" })
            {
                await CheckAsync(page, baseUrl + path, width, problems, screenshots);
            }

            await page.GotoAsync(baseUrl + "/Identity/Account/Login");
            await page.FillAsync("#Input_Email", "ana@example.com");
            await page.FillAsync("#Input_Password", AccountForms.Password);
            await page.ClickAsync("#login-submit");
            await page.WaitForURLAsync(url => !url.Contains("/Login", StringComparison.Ordinal));
            foreach (var path in new[] { "/Identity/Account/Manage", "/Identity/Account/Manage/EnableAuthenticator", "/Identity/Account/Manage/DeletePersonalData" })
            {
                await CheckAsync(page, baseUrl + path, width, problems, screenshots);
            }

            await context.CloseAsync();
        }

        Assert.Empty(problems);
    }

    private static async Task CheckAsync(IPage page, string url, int width, List<string> problems, string? screenshots)
    {
        var response = await page.GotoAsync(url);
        var path = new Uri(url).AbsolutePath;
        if (response?.Ok != true)
        {
            problems.Add($"{path}: HTTP {response?.Status}");
            return;
        }

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        if (overflow > 0)
        {
            problems.Add($"{path} at {width}px scrolls sideways by {overflow}px");
        }

        // Same markup at both widths: one axe scan (1–3 s a page) is enough.
        if (width > 400)
        {
            await ScanAsync(page, path, problems);
        }

        if (!string.IsNullOrEmpty(screenshots))
        {
            Directory.CreateDirectory(screenshots);
            var name = path.Trim('/').Replace('/', '-') + "-" + width + ".png";
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, name), FullPage = true });
        }
    }

    private static async Task ScanAsync(IPage page, string path, List<string> problems)
    {
        var axe = await page.RunAxe();
        foreach (var violation in axe.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            problems.Add($"{path}: {violation.Id} ({violation.Impact}) {violation.Help}: " +
                         string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html)));
        }
    }
}
