using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>What browser tests do over and over: wait for the circuit, take screenshots, scan with axe.</summary>
public static class BrowserHelpers
{
    /// <summary>
    /// Waits until the layout marks the page interactive (&lt;html data-interactive="true"&gt; after its first
    /// interactive render). Prerendered buttons drop clicks until then; never sleep or retry instead.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page, float timeoutMs = 15_000) =>
        page.Locator("html[data-interactive='true']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = timeoutMs });

    /// <summary>Signs in through the Identity login page and waits for the app's interactive circuit.</summary>
    public static async Task SignInAsync(IPage page, string email, string password, string? returnUrl = null)
    {
        if (returnUrl is not null || new Uri(page.Url).AbsolutePath != "/Identity/Account/Login")
        {
            await page.GotoAsync(returnUrl is null ? "/Identity/Account/Login" : "/Identity/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        }

        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", password);
        // The click waits for the sign-in's navigation, and a fresh app's first page can take long to compile on a busy
        // machine: give it the navigation timeout, not the action timeout.
        await page.ClickAsync("#login-submit", new PageClickOptions { Timeout = 60_000 });
        await page.WaitForURLAsync(url => !url.Contains("/Identity/", StringComparison.Ordinal));
        await WaitForInteractiveAsync(page, 60_000);
    }

    /// <summary>
    /// Where screenshots go: $ET_SCREENSHOTS, else TestResults/screenshots at the repository root (beside the TRX
    /// log of .ci/run), else screenshots/ in the test output folder.
    /// </summary>
    public static string ScreenshotDirectory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("ET_SCREENSHOTS");
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return Path.GetFullPath(configured);
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ExpenseTracker.sln")))
                {
                    return Path.Combine(dir.FullName, "TestResults", "screenshots");
                }
            }

            return Path.Combine(AppContext.BaseDirectory, "screenshots");
        }
    }

    /// <summary>Saves a full-page PNG named <paramref name="name"/> and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var directory = ScreenshotDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name.EndsWith(".png", StringComparison.Ordinal) ? name : name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> CspViolations = new();

    /// <summary>Records every Content-Security-Policy refusal the page logs (a script, style or connection the policy blocked).</summary>
    public static void WatchContentSecurityPolicy(IPage page)
    {
        var violations = CspViolations.GetOrCreateValue(page);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (violations)
                {
                    violations.Add($"{page.Url}: {message.Text}");
                }
            }
        };
    }

    /// <summary>Fails if the page (since it was opened) logged a Content-Security-Policy refusal.</summary>
    public static void AssertNoContentSecurityPolicyViolations(IPage page)
    {
        if (CspViolations.TryGetValue(page, out var violations))
        {
            lock (violations)
            {
                Assert.True(violations.Count == 0, "The Content-Security-Policy blocked something:\n" + string.Join('\n', violations));
            }
        }
    }

    /// <summary>
    /// Runs axe on the page and fails, listing each problem readably, if any is serious or critical; also fails if the
    /// Content-Security-Policy blocked anything on the page so far.
    /// </summary>
    public static async Task AssertNoSeriousAccessibilityViolationsAsync(IPage page)
    {
        AssertNoContentSecurityPolicyViolations(page);
        var result = await RunAxeAsync(page);
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        if (serious.Count > 0)
        {
            Assert.Fail($"axe found {serious.Count} serious or critical accessibility violation(s) on {page.Url}:\n{Describe(serious)}");
        }
    }

    /// <summary>
    /// All of axe's rules on the page (and its frames), with the violations in full. Legacy mode runs axe once inside the
    /// page; the default mode injects axe twice (into the page, then into a fresh blank page that merges the partial
    /// results) and passes every partial result through .NET, which cost ~15 s more per scan on the busy 2-core CI machine
    /// for the same violations. Passes, incomplete and inapplicable results keep one example node each: nobody reads them.
    /// </summary>
    public static async Task<AxeResult> RunAxeAsync(IPage page)
    {
        var options = new AxeRunOptions { ResultTypes = [ResultType.Violations] };
#pragma warning disable CS0618 // RunAxeLegacy is marked for removal in a later Deque release; RunAxe finds the same violations, slower.
        return await page.RunAxeLegacy(options: options);
#pragma warning restore CS0618
    }

    public static string Describe(IEnumerable<AxeResultItem> violations)
    {
        var text = new StringBuilder();
        foreach (var violation in violations)
        {
            text.Append("- [").Append(violation.Impact).Append("] ").Append(violation.Id).Append(": ").Append(violation.Help)
                .Append(" (").Append(violation.HelpUrl).AppendLine(")");
            foreach (var node in violation.Nodes.Take(5))
            {
                text.Append("    at ").Append(node.Target?.ToString()).Append(": ").AppendLine(Shorten(node.Html));
            }

            if (violation.Nodes.Length > 5)
            {
                text.Append("    … and ").Append(violation.Nodes.Length - 5).AppendLine(" more");
            }
        }

        return text.ToString();
    }

    private static string Shorten(string? html) =>
        html is null ? string.Empty : html.Length <= 200 ? html : string.Concat(html.AsSpan(0, 200), "…");
}
