using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ExpenseTracker.Web.Features.Demo;
using Microsoft.Playwright;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `live`: the real app as a child process (Production, `--seed-demo`, a temporary data folder) and two Chromium
/// contexts signed in as the demo user, i.e. two circuits. Context A saves an expense through quick add; the figure is
/// the time from A's save to the moment B's open dashboard shows the new month total, without a reload.
/// </summary>
public static class LiveBenchmark
{
    /// <summary>Debian's Chromium, or ET_CHROMIUM_PATH (as for the browser tests).</summary>
    internal static string ChromiumPath =>
        Environment.GetEnvironmentVariable("ET_CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
    private const int WarmUps = 3;
    private const string Total = "[data-testid=month-spending]";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    public static Task RunAsync(int iterations) => WithAppAsync(null, async (_, address) =>
    {
        var samples = await MeasureAsync(address, iterations);
        BenchmarkProgram.Report("live", "samples", samples.Count, "count");
        BenchmarkProgram.Report("live", "median_ms", DashboardBenchmark.Percentile(samples, 50), "ms");
        BenchmarkProgram.Report("live", "p95_ms", DashboardBenchmark.Percentile(samples, 95), "ms");
        BenchmarkProgram.Report("live", "max_ms", samples.Max(), "ms");
    });

    /// <summary>
    /// The published app as a child process (Production, `--seed-demo`, a temporary data folder, plus
    /// <paramref name="environment"/>), serving on a free loopback port while <paramref name="body"/> runs; killed after.
    /// </summary>
    internal static async Task WithAppAsync(IReadOnlyDictionary<string, string>? environment, Func<Process, Uri, Task> body)
    {
        if (!File.Exists(ChromiumPath))
        {
            await Console.Error.WriteLineAsync($"No Chromium at {ChromiumPath}: this benchmark needs it (install it with: apt-get install -y chromium).");
            Environment.Exit(2);
        }

        var dataDirectory = Path.Combine(Path.GetTempPath(), "et-bench-live", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var port = FreePort();
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        var webDll = await PublishedWebDllAsync();
        using var app = StartApp(webDll, dataDirectory, address, environment);
        var log = new AppLog(app);
        try
        {
            var started = Stopwatch.GetTimestamp();
            await WaitUntilServingAsync(app, address, log);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The app (seeded) serves on {address} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s."));
            await body(app, address);
        }
        catch
        {
            await Console.Error.WriteLineAsync("The app's last output:" + Environment.NewLine + log.Tail());
            throw;
        }
        finally
        {
            if (!app.HasExited)
            {
                app.Kill(entireProcessTree: true);
            }

            await app.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            TryDelete(dataDirectory);
        }
    }

    private static async Task<List<double>> MeasureAsync(Uri address, int iterations)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var writer = await SignInAsync(browser, address);
        var watcher = await SignInAsync(browser, address);
        var samples = new List<double>(iterations);
        for (var i = 0; i < WarmUps + iterations; i++)
        {
            var before = await watcher.Locator(Total).InnerTextAsync();

            await writer.ClickAsync("[data-testid=quick-add]");
            var amount = writer.Locator("#expense-amount");
            await amount.FillAsync(string.Create(CultureInfo.InvariantCulture, $"{1 + i}.{i % 100:00}"));
            await writer.SelectOptionAsync("#expense-category", new SelectOptionValue { Label = "Groceries" });

            // B already polls (every animation frame) before A saves, so the wait costs nothing after the change lands.
            var shown = watcher.WaitForFunctionAsync(
                "([selector, before]) => { const e = document.querySelector(selector); return e !== null && e.textContent.trim() !== before.trim(); }",
                new object[] { Total, before },
                new PageWaitForFunctionOptions { Timeout = 30_000 });
            var saved = Stopwatch.GetTimestamp();
            await amount.PressAsync("Enter");
            await shown;
            var elapsed = Stopwatch.GetElapsedTime(saved).TotalMilliseconds;

            // A's dialog closes on a successful save; the next round starts from a clean page.
            await writer.Locator("#expense-form").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = 30_000 });
            if (i >= WarmUps)
            {
                samples.Add(elapsed);
            }
        }

        var final = await watcher.Locator(Total).InnerTextAsync();
        Console.WriteLine($"B's month total after {WarmUps + iterations} saves by A: {final}");
        return samples;
    }

    /// <summary>Debian's Chromium with the browser tests' flags (BrowserFixture), plus <paramref name="extraArgs"/>.</summary>
    internal static Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,

            // Playwright adds --headless and its own temporary profile.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", .. extraArgs,
            ],
        });

    /// <summary>A fresh browser context (own cookies, so its own circuit) signed in as the demo user, on the dashboard.</summary>
    internal static async Task<IPage> SignInAsync(IBrowser browser, Uri address)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Identity/Account/Login");
        await page.FillAsync("#Input_Email", DemoSeeder.Email);
        await page.FillAsync("#Input_Password", DemoSeeder.Password);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(url => !url.Contains("/Identity/", StringComparison.Ordinal));
        if (new Uri(page.Url).AbsolutePath != "/")
        {
            await page.GotoAsync("/");
        }

        // Prerendered buttons drop clicks until the circuit is attached (see the tests' BrowserHelpers).
        await page.Locator("html[data-interactive='true']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 90_000 });
        await page.Locator(Total).WaitForAsync();
        return page;
    }

    private static Process StartApp(string webDll, string dataDirectory, Uri address, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The content root, whose wwwroot Production serves the static assets (blazor.web.js) from.
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
        };
        foreach (var arg in new[] { webDll, "--urls", address.ToString().TrimEnd('/'), DemoSeeder.Flag })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Storage__DataDirectory"] = dataDirectory;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static async Task WaitUntilServingAsync(Process app, Uri address, AppLog log)
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(deadline) < StartTimeout)
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {app.ExitCode} before serving.");
            }

            try
            {
                using var login = await client.GetAsync(new Uri("Identity/Account/Login", UriKind.Relative));
                using var script = await client.GetAsync(new Uri("_framework/blazor.web.js", UriKind.Relative));
                var scriptBytes = (await script.Content.ReadAsByteArrayAsync()).Length;
                if (login.StatusCode == HttpStatusCode.OK && script.StatusCode == HttpStatusCode.OK && scriptBytes > 0)
                {
                    return;
                }

                if (login.StatusCode == HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"The app serves pages but /_framework/blazor.web.js answers {(int)script.StatusCode} with {scriptBytes} bytes: no circuit can start.");
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet (seeding runs first).
            }
            catch (TaskCanceledException)
            {
                // Busy machine: ask again.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The app did not serve {address} within {StartTimeout.TotalMinutes} minutes. {log.Tail()}");
    }

    /// <summary>
    /// The app as `dotnet publish` lays it out, which is what Production serves static web assets from (a plain build
    /// output in Production answers 500 for blazor.web.js and no circuit starts). Published once into the benchmark
    /// cache and reused while the web dll this benchmark was built with stays the same.
    /// </summary>
    internal static async Task<string> PublishedWebDllAsync()
    {
        var built = new FileInfo(Path.Combine(AppContext.BaseDirectory, "ExpenseTracker.Web.dll"));
        var stamp = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(built.FullName)))[..16];
        // One folder per build: benchmarks of other checkouts publish beside it, never over it.
        var output = Path.Combine(Path.GetTempPath(), "et-bench-cache", "live-app-" + stamp);
        var marker = Path.Combine(output, "published-from-" + stamp);
        var dll = Path.Combine(output, "ExpenseTracker.Web.dll");
        if (File.Exists(marker) && File.Exists(dll))
        {
            Console.WriteLine($"Reusing the published app in {output}.");
            return dll;
        }

        var project = ProjectFile();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        Console.WriteLine($"Publishing {project} ({configuration}) into {output} ...");
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "publish", project, "-c", configuration, "-o", output, "-nologo", "-v", "quiet" })
        {
            info.ArgumentList.Add(arg);
        }

        using var publish = Process.Start(info) ?? throw new InvalidOperationException("dotnet publish did not start.");
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):{Environment.NewLine}{await stdout}{await stderr}");
        }

        await File.WriteAllTextAsync(marker, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return dll;
    }

    private static string ProjectFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "ExpenseTracker.Web", "ExpenseTracker.Web.csproj");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("ExpenseTracker.Web/ExpenseTracker.Web.csproj was not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>The child's stdout and stderr, kept (last lines) for the error message if it fails.</summary>
    private sealed class AppLog
    {
        private readonly Queue<string> lines = new();

        public AppLog(Process app)
        {
            app.OutputDataReceived += (_, e) => Add(e.Data);
            app.ErrorDataReceived += (_, e) => Add(e.Data);
            app.BeginOutputReadLine();
            app.BeginErrorReadLine();
        }

        public string Tail()
        {
            lock (lines)
            {
                return string.Join(Environment.NewLine, lines);
            }
        }

        private void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Enqueue(line);
                while (lines.Count > 40)
                {
                    lines.Dequeue();
                }
            }
        }
    }
}
