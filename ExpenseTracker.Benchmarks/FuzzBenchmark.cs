using System.Diagnostics;
using System.Globalization;
using ExpenseTracker.Tests.Hardening.Fuzz;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Rules;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `-- fuzz [cases per format]` (default 2,000): the CI fuzz suite's seeded mutations of the shared fixtures
/// (Tests/Hardening/Fuzz, linked source) through the real ImportService of one household per format. Each case must be
/// refused (ImportRefusedException) or imported exactly; failures are listed with their seed.
/// </summary>
public static class FuzzBenchmark
{
    public const int DefaultCases = 2000;

    public static async Task RunAsync(int iterations)
    {
        var cases = iterations == 30 ? DefaultCases : iterations; // 30 is the program's default for "not given"
        var mutator = new StatementMutator(FixtureRoot());
        var started = Stopwatch.GetTimestamp();
        int total = 0, failures = 0;
        foreach (var format in StatementMutator.Formats)
        {
            await using var host = await BenchHost.CreateAsync();
            var (household, account) = await HouseholdAsync(host);
            var harness = new FuzzHarness(() => host.ScopeFor(household), account, TimeSpan.FromSeconds(120), Importer);
            var counts = new Dictionary<FuzzOutcome, int>();
            var formatStarted = Stopwatch.GetTimestamp();
            for (var seed = 0; seed < cases; seed++)
            {
                var result = await harness.RunAsync(mutator.Mutate(format, seed));
                counts[result.Outcome] = counts.GetValueOrDefault(result.Outcome) + 1;
                if (result.Outcome == FuzzOutcome.Failed)
                {
                    Console.WriteLine("  FAILED " + result);
                }
            }

            total += cases;
            failures += counts.GetValueOrDefault(FuzzOutcome.Failed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{format,-6} cases {cases} refused {counts.GetValueOrDefault(FuzzOutcome.Refused)} imported {counts.GetValueOrDefault(FuzzOutcome.Imported)} failures {counts.GetValueOrDefault(FuzzOutcome.Failed)} ({Stopwatch.GetElapsedTime(formatStarted).TotalSeconds:0.0} s)"));
        }

        BenchmarkProgram.Report("fuzz", "cases", total, "count");
        BenchmarkProgram.Report("fuzz", "failures", failures, "count");
        BenchmarkProgram.Report("fuzz", "seconds", Stopwatch.GetElapsedTime(started).TotalSeconds, "s");
    }

    private static IImportService Importer(IServiceProvider services)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var scope = services.GetRequiredService<HouseholdScope>();
        return new ImportService(dbFactory, scope, TimeProvider.System, new RuleCategorySuggester(dbFactory, scope),
            services.GetRequiredService<IHouseholdChangePublisher>(), Options.Create(new ImportOptions()));
    }

    private static async Task<(Household Household, long Account)> HouseholdAsync(BenchHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = "fuzz@example.com", Email = "fuzz@example.com", EmailConfirmed = true };
        var created = await users.CreateAsync(user, "correct horse battery staple");
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        var household = await scope.ServiceProvider.GetRequiredService<HouseholdProvisioning>()
            .CreateAsync(user, new NewHousehold("Fuzz", "EUR", "Europe/Berlin", "en-US", "fuzz"));
        await using var owner = host.ScopeFor(household);
        var account = await owner.ServiceProvider.GetRequiredService<AppDbContext>().Accounts.Select(a => a.Id).FirstAsync();
        return (household, account);
    }

    /// <summary>../shared/fixtures/statements beside the repository, as the tests find it.</summary>
    private static string FixtureRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ExpenseTracker.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.Parent is { } parent ? Path.Combine(parent.FullName, "shared", "fixtures", "statements")
            : throw new DirectoryNotFoundException("ExpenseTracker.sln not found above " + AppContext.BaseDirectory);
    }
}
