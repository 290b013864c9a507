using System.Globalization;
using ExpenseTracker.Tests.Integration.Hardening.Smoke;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `load [seconds] [clients]` (default 60 s, 200 clients): the whole app (Program, Production, the demo household) on
/// Kestrel at 127.0.0.1 over SQLite in WAL mode, the API's rate limits set far above the load (printed), and every client
/// running <see cref="LoadMix"/> (creates, list pages, monthly totals) with one read-write token. Figures: requests,
/// successes, 5xx, success %, lost writes (the household's transactions after = before + 201s), throughput, p50/p99.
/// The floor beside it: the same creates through a prepared SQLite INSERT on one connection (as in `api`).
/// </summary>
public static class LoadBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = Argument(args, 1, 60);
        var clients = Argument(args, 2, 200);
        var duration = TimeSpan.FromSeconds(seconds);
        await using var app = ApiBenchmark.StartWithLimitsAbove("100000000");
        var (householdId, body, token) = await ApiBenchmark.SeedAsync(app);
        Console.WriteLine($"Serving on {app.Address}; {clients} clients for {seconds} s; mix per 20 requests: 12 creates, 5 list pages, 3 monthly totals.");

        using var client = LoadMix.CreateClient(app.Address, token, clients);

        var before = await ApiBenchmark.CountAsync(app.ConnectionString, householdId);
        var outcome = await LoadMix.RunAsync(client, body, clients, duration);
        var after = await ApiBenchmark.CountAsync(app.ConnectionString, householdId);
        var lost = before + outcome.Created - after;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Transactions before {before}, after {after}, 201s {outcome.Created}; answers: {outcome.Describe()}"));

        var rawPerSecond = await ApiBenchmark.RawInsertsPerSecondAsync(app.ConnectionString, householdId, Math.Clamp(outcome.Created, 1000, 20_000));
        var createsPerSecond = outcome.Created / outcome.Elapsed.TotalSeconds;
        ApiBenchmark.PrintMachine();
        Console.WriteLine("Figures from a 2-core machine shared with other work: noisy, compare within one run.");
        BenchmarkProgram.Report("load", "clients", clients, "count");
        BenchmarkProgram.Report("load", "timed_s", outcome.Elapsed.TotalSeconds, "s");
        BenchmarkProgram.Report("load", "requests", outcome.Requests, "count");
        BenchmarkProgram.Report("load", "successes", outcome.Successes, "count");
        BenchmarkProgram.Report("load", "no_answer", outcome.NoAnswer, "count");
        BenchmarkProgram.Report("load", "creates_per_s", createsPerSecond, "req/s");
        BenchmarkProgram.Report("load", "raw_insert_per_s", rawPerSecond, "rows/s");
        BenchmarkProgram.Report("load", "ratio_raw_to_creates", rawPerSecond / Math.Max(createsPerSecond, 0.001), "x");
        BenchmarkProgram.Report("load", "p50_ms", DashboardBenchmark.Percentile(outcome.Latencies, 50), "ms");
        BenchmarkProgram.Report("load", "requests_per_s", outcome.Requests / outcome.Elapsed.TotalSeconds, "req/s");
        BenchmarkProgram.Report("load", "p99_ms", DashboardBenchmark.Percentile(outcome.Latencies, 99), "ms");
        BenchmarkProgram.Report("load", "server_errors", outcome.ServerErrors, "count");
        BenchmarkProgram.Report("load", "success_pct", outcome.SuccessPercent, "%");
        BenchmarkProgram.Report("load", "lost_writes", lost, "count");
    }

    internal static int Argument(string[] args, int index, int fallback) =>
        args.Length > index && int.TryParse(args[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
