using System.Diagnostics;
using System.Globalization;
using ExpenseTracker.Tests.Integration.Hardening.Smoke;
using ExpenseTracker.Web.Features.Demo;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `crash [cycles] [rows]` (default 20 cycles, 50,000 rows): the demo household's data folder; the app's import command
/// (`ExpenseTracker.Web.dll import --commit`, a child process) is killed with SIGKILL at a progress between 10% and 90%
/// chosen by a seeded generator, then the file is reopened (the restart: SQLite rolls back the open transaction) and
/// checked: the household's transactions, lines, import keys and batches as before the import, `PRAGMA integrity_check`
/// ok. After the last cycle the import runs to its end (all rows added, once) and again (nothing added).
/// </summary>
public static class CrashBenchmark
{
    private const int Seed = 20;

    public static async Task RunAsync(string[] args)
    {
        var cycles = LoadBenchmark.Argument(args, 1, 20);
        var rows = LoadBenchmark.Argument(args, 2, 50_000);
        await using var host = await BenchHost.CreateAsync();
        await DemoSeeder.SeedOnceAsync(host.Services, TextWriter.Null);
        var household = await host.DemoHouseholdAsync();
        var kill = new ImportKill(host.DataDirectory, host.ConnectionString, household.Id, DemoSeeder.Email, "Joint checking");
        var file = ImportKill.WriteCsv(Path.Combine(host.DataDirectory, "crash.csv"), rows);
        var before = await kill.FootprintAsync();
        Console.WriteLine($"Demo household {household.Id}: {before}; {cycles} cycles of a {rows:N0}-row import killed between 10% and 90% (seed {Seed}).");

        var started = Stopwatch.GetTimestamp();
        var results = await kill.CrashCyclesAsync(file, cycles, Seed, cycle => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  aimed {cycle.Target}%, killed at {(cycle.KilledAt is { } at ? at + "%" : "— (" + cycle.Output + ")")}, {(cycle.After == before ? "unchanged" : "CHANGED " + cycle.After)}, integrity_check {string.Join("; ", cycle.Integrity)}")));
        var cyclesSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        started = Stopwatch.GetTimestamp();
        var retry = await kill.RetryTwiceAsync(file);
        var retrySeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var landedOnce = retry.Added == rows && retry.AddedAgain == 0
            && retry.AfterFirst.Transactions == before.Transactions + rows && retry.AfterFirst.Keys == before.Keys + rows
            && retry.AfterSecond.Transactions == retry.AfterFirst.Transactions;
        Console.WriteLine($"Retry: added {retry.Added}, {retry.AfterFirst}; again: added {retry.AddedAgain}, {retry.AfterSecond}. {retry.Error}");
        Console.WriteLine("Timings from a 2-core machine shared with other work: noisy.");

        BenchmarkProgram.Report("crash", "rows", rows, "count");
        BenchmarkProgram.Report("crash", "cycles_s", cyclesSeconds, "s");
        BenchmarkProgram.Report("crash", "retry_and_reimport_s", retrySeconds, "s");
        BenchmarkProgram.Report("crash", "kills_outside_10_90", results.Count(c => c.KilledAt is null), "count");
        BenchmarkProgram.Report("crash", "retry_landed_once", landedOnce ? 1 : 0, "bool");
        BenchmarkProgram.Report("crash", "cycles", results.Count, "count");
        BenchmarkProgram.Report("crash", "partial_batches", results.Count(c => c.After != before), "count");
        BenchmarkProgram.Report("crash", "integrity_failures", results.Count(c => !c.IntegrityOk), "count");
    }
}
