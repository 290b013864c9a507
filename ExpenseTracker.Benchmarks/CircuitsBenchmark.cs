using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `circuits [high] [low]` (default 200 and 50): the published app as a child process (Production, `--seed-demo`, as in
/// `live`), Chromium contexts signed in as the demo user, and dashboard pages opened until <c>low</c>, then <c>high</c>
/// circuits are live (each page waited for until the layout marks it interactive and the month total shows). At each
/// count, after a forced full GC in the app, the app's RSS (/proc/&lt;pid&gt;/status VmRSS) and live managed heap
/// (read in the app by <see cref="StartupHook"/>, a benchmark-only startup hook) are sampled; the figures are the slopes
/// between the two counts, per circuit. Run twice: WebSocket compression on, then off (Circuits:WebSocketCompression).
/// </summary>
public static class CircuitsBenchmark
{
    /// <summary>Program.cs's default for Circuits:WebSocketCompression; the headline figures are for this setting.</summary>
    private const bool AppDefaultCompression = false;
    private const int PagesPerBrowser = 100;
    private const int PagesPerContext = 20;
    private const int Parallel = 4;

    private sealed record Sample(int Circuits, long RssBytes, long ManagedBytes, long GcHeapBytes);

    public static async Task RunAsync(string[] args)
    {
        var high = LoadBenchmark.Argument(args, 1, 200);
        var low = Math.Min(LoadBenchmark.Argument(args, 2, 50), high - 1);
        var slopes = new Dictionary<bool, (double Rss, double Managed)>();
        // ET_BENCH_CIRCUITS_DEFAULT_ONLY=1: only the app's default compression setting (a quicker run while profiling).
        var settings = Environment.GetEnvironmentVariable("ET_BENCH_CIRCUITS_DEFAULT_ONLY") == "1" ? new[] { AppDefaultCompression } : [true, false];
        foreach (var compression in settings)
        {
            var probe = Path.Combine(Path.GetTempPath(), "et-bench-circuits-" + Guid.NewGuid().ToString("N"));
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Circuits__WebSocketCompression"] = compression ? "true" : "false",
                ["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location,
                ["ET_BENCH_HEAP_FILE"] = probe,
            };
            Console.WriteLine($"WebSocket compression {(compression ? "on" : "off")}: {low} then {high} dashboard circuits.");
            await LiveBenchmark.WithAppAsync(environment, async (app, address) =>
            {
                var samples = await MeasureAsync(app, address, probe, [low, high]);
                var (first, last) = (samples[0], samples[^1]);
                var circuits = last.Circuits - first.Circuits;
                slopes[compression] = ((last.RssBytes - first.RssBytes) / 1024.0 / circuits, (last.ManagedBytes - first.ManagedBytes) / 1024.0 / circuits);
            });
        }

        ApiBenchmark.PrintMachine();
        Console.WriteLine("Figures from a 2-core machine shared with other work: RSS is noisy; compare the two settings within one run.");
        foreach (var (compression, (rss, managed)) in slopes)
        {
            var suffix = compression ? "compression_on" : "compression_off";
            BenchmarkProgram.Report("circuits", "rss_kb_per_circuit_" + suffix, rss, "KB");
            BenchmarkProgram.Report("circuits", "managed_kb_per_circuit_" + suffix, managed, "KB");
        }

        if (slopes.Count == 2)
        {
            BenchmarkProgram.Report("circuits", "compression_rss_cost_kb_per_circuit", slopes[true].Rss - slopes[false].Rss, "KB");
        }

        BenchmarkProgram.Report("circuits", "rss_kb_per_circuit", slopes[AppDefaultCompression].Rss, "KB");
        BenchmarkProgram.Report("circuits", "managed_kb_per_circuit", slopes[AppDefaultCompression].Managed, "KB");
    }

    private static async Task<List<Sample>> MeasureAsync(Process app, Uri address, string probe, int[] counts)
    {
        using var playwright = await Playwright.CreateAsync();
        var browsers = new List<IBrowser>();
        var contexts = new List<IBrowserContext>();
        var pages = new List<IPage>();
        var samples = new List<Sample>();
        try
        {
            foreach (var target in counts)
            {
                while (pages.Count < target)
                {
                    var batch = Math.Min(Parallel, target - pages.Count);
                    var opening = new List<Task<IPage>>();
                    for (var i = 0; i < batch; i++)
                    {
                        var index = pages.Count + i;
                        if (index / PagesPerBrowser >= browsers.Count)
                        {
                            // Keep background tabs running as foreground ones (the circuit's pings and renders).
                            browsers.Add(await LiveBenchmark.LaunchAsync(playwright,
                                "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
                                "--renderer-process-limit=12"));
                        }

                        if (index % PagesPerContext == 0)
                        {
                            // A new context signs in and lands on its first dashboard: that page is a circuit too.
                            var first = await LiveBenchmark.SignInAsync(browsers[^1], address);
                            contexts.Add(first.Context);
                            opening.Add(Task.FromResult(first));
                        }
                        else
                        {
                            opening.Add(OpenDashboardAsync(contexts[^1]));
                        }
                    }

                    pages.AddRange(await Task.WhenAll(opening));
                }

                var live = await CountLiveAsync(pages);
                var sample = await SampleAsync(app, probe, live);
                samples.Add(sample);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {live} live circuits ({pages.Count} pages, {contexts.Count} contexts, {browsers.Count} browsers): RSS {sample.RssBytes / 1048576.0:0.0} MB, managed {sample.ManagedBytes / 1048576.0:0.0} MB, GC heap {sample.GcHeapBytes / 1048576.0:0.0} MB"));
            }
        }
        finally
        {
            foreach (var browser in browsers)
            {
                await browser.DisposeAsync();
            }
        }

        return samples;
    }

    private static async Task<IPage> OpenDashboardAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("html[data-interactive='true']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 120_000 });
        await page.Locator("[data-testid=month-spending]").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        return page;
    }

    /// <summary>Pages still interactive and showing no reconnect dialog (Blazor's #components-reconnect-modal).</summary>
    private static async Task<int> CountLiveAsync(List<IPage> pages)
    {
        var live = 0;
        foreach (var page in pages)
        {
            if (await page.EvaluateAsync<bool>(
                "() => document.documentElement.dataset.interactive === 'true' && !document.querySelector('#components-reconnect-modal[open], .components-reconnect-show')"))
            {
                live++;
            }
        }

        return live;
    }

    /// <summary>A forced full GC in the app (the startup hook), then its live managed heap and its RSS.</summary>
    private static async Task<Sample> SampleAsync(Process app, string probe, int circuits)
    {
        // Let the last renders and their acknowledgements settle before collecting.
        await Task.Delay(TimeSpan.FromSeconds(5));
        File.Delete(probe);
        await File.WriteAllTextAsync(probe + ".request", "gc");
        var asked = Stopwatch.GetTimestamp();
        while (!File.Exists(probe))
        {
            if (Stopwatch.GetElapsedTime(asked) > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("The app's heap probe (DOTNET_STARTUP_HOOKS) did not answer: is the startup hook loaded?");
            }

            await Task.Delay(100);
        }

        var parts = (await File.ReadAllTextAsync(probe)).Split(' ');
        await GcDumpAsync(app, circuits);
        var rss = File.ReadLines($"/proc/{app.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var rssKb = long.Parse(rss["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return new Sample(circuits, rssKb * 1024, long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// ET_BENCH_GCDUMP_DIR set: a dotnet-gcdump of the app at each count (<c>dotnet tool install -g dotnet-gcdump</c>), for
    /// finding what a circuit holds (<c>dotnet-gcdump report FILE</c>, two counts compared type by type).
    /// </summary>
    private static async Task GcDumpAsync(Process app, int circuits)
    {
        if (Environment.GetEnvironmentVariable("ET_BENCH_GCDUMP_DIR") is not { Length: > 0 } directory)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        // ET_BENCH_DUMP_HEAP=1: a heap dump for `dotnet-dump analyze FILE -c "dumpheap -stat"` (exact bytes per type).
        var full = Environment.GetEnvironmentVariable("ET_BENCH_DUMP_HEAP") == "1";
        var output = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"circuits-{app.Id}-{circuits}.{(full ? "dmp" : "gcdump")}"));
        var pid = app.Id.ToString(CultureInfo.InvariantCulture);
        using var dump = Process.Start(new ProcessStartInfo(full ? "dotnet-dump" : "dotnet-gcdump", full ? ["collect", "-p", pid, "--type", "Heap", "-o", output] : ["collect", "-p", pid, "-o", output])
        {
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("dotnet-gcdump did not start.");
        await dump.WaitForExitAsync();
        Console.WriteLine($"  gcdump: {output} (exit {dump.ExitCode})");
    }
}
