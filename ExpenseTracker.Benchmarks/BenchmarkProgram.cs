using System.Diagnostics;
using System.Globalization;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Identity;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project ExpenseTracker.Benchmarks -- &lt;scenario&gt; [iterations]`. Each scenario ends with
/// one line per figure: `BENCH &lt;scenario&gt; &lt;metric&gt; &lt;value&gt; &lt;unit&gt;`. No scenario asserts a timing.
/// </summary>
public static class BenchmarkProgram
{
    /// <summary>The command line, for scenarios that take more than the iteration count.</summary>
    internal static string[] Arguments { get; private set; } = [];

    private static readonly Dictionary<string, (string Description, Func<int, Task> Run)> Scenarios = new(StringComparer.Ordinal)
    {
        ["expenses-list"] = ("first page + filtered total of the expense list over ~60k transactions, against hand-written SQL", ExpensesListAsync),
        ["seed"] = ("time --seed-demo's seeding of the demo household into a fresh database", SeedAsync),
        ["dashboard"] = ("median/p95 of every analytics and budget-page query, 1M transactions (250k in one household)", DashboardBenchmark.RunAsync),
        ["dashboard-plans"] = ("the SQL and SQLite query plan of the dashboard's grouped queries (after `dashboard` built its database)", QueryPlans.RunAsync),
        ["import"] = ("a 50,000-row bank CSV imported end to end into a household of 250,000 transactions, against raw prepared INSERTs", ImportBenchmark.RunAsync),
        ["live"] = ("the real app + Chromium: a quick-add save in one circuit until another circuit's dashboard shows the new total (then the in-process figure)", LiveAsync),
        ["search"] = ("the expense list searched with a query line (text + two filters and variants) in a household of 250,000 transactions", SearchBenchmark.RunAsync),
        ["export"] = ("the expense export (CSV and XLSX, to a file) of a 100,000-transaction household, with peak RSS", ExportBenchmark.RunAsync),
        ["alerts"] = ("the demo history replayed through the irregular-spending detectors: planted outliers caught, other alerts a month", AlertsBenchmark.RunAsync),
        ["api"] = ("POST /api/v1/expenses with a token from 50 clients (env ET_API_CLIENTS) over loopback for [iterations] seconds (default 30): creates/s, p50/p99, lost writes, against raw INSERTs", ApiBenchmark.RunAsync),
        ["load"] = ("[seconds] [clients] (default 60, 200): API clients creating, listing and totalling expenses; 5xx, success %, lost writes, p99, against raw INSERTs", _ => LoadBenchmark.RunAsync(Arguments)),
        ["crash"] = ("[cycles] [rows] (default 20, 50,000): kill -9 the import command mid-import, restart: no partial batch, integrity_check ok, the retry lands once", _ => CrashBenchmark.RunAsync(Arguments)),
        ["circuits"] = ("[circuits] (default 200): Chromium dashboards on the demo household; server RSS and managed heap per circuit, WebSocket compression on vs off", _ => CircuitsBenchmark.RunAsync(Arguments)),
        ["forecast"] = ("forecast backtest: MAPE of the total and five largest categories, 1 and 3 months ahead, on two generated households, against seasonal-naive", ForecastBenchmark.RunAsync),
        ["fuzz"] = ("2,000 seeded mutations per statement format (or [iterations]) through the import pipeline: refused or imported cleanly, failures listed", FuzzBenchmark.RunAsync),
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !Scenarios.TryGetValue(args[0], out var scenario))
        {
            await Console.Error.WriteLineAsync(args.Length == 0 ? "No scenario given." : $"Unknown scenario '{args[0]}'.");
            await Console.Error.WriteLineAsync("Usage: dotnet run -c Release --project ExpenseTracker.Benchmarks -- <scenario> [iterations]");
            foreach (var (name, (description, _)) in Scenarios)
            {
                await Console.Error.WriteLineAsync($"  {name,-14} {description}");
            }

            return 2;
        }

        Arguments = args;
        var iterations = args.Length > 1 && int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 30;
        await scenario.Run(iterations);
        return 0;
    }

    private static async Task LiveAsync(int iterations)
    {
        await LiveBenchmark.RunAsync(iterations);
        await DashboardBenchmark.InProcessLiveAsync(iterations);
    }

    internal static void Report(string scenario, string metric, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH {scenario} {metric} {value:0.###} {unit}"));

    private static async Task SeedAsync(int iterations)
    {
        var runs = Math.Clamp(iterations, 1, 3);
        var seconds = new List<double>();
        var count = 0;
        for (var i = 0; i < runs; i++)
        {
            await using var host = await BenchHost.CreateAsync();
            var started = Stopwatch.GetTimestamp();
            await DemoSeeder.SeedOnceAsync(host.Services, TextWriter.Null);
            seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            count = await host.CountTransactionsAsync();
        }

        Report("seed", "seconds", Median(seconds), "s");
        Report("seed", "transactions", count, "count");
        Report("seed", "transactions_per_s", count / Median(seconds), "rows/s");
    }

    private static async Task ExpensesListAsync(int iterations)
    {
        await using var host = await BenchHost.CreateAsync();
        var seeding = Stopwatch.GetTimestamp();
        await DemoSeeder.SeedOnceAsync(host.Services, TextWriter.Null);
        var household = await host.DemoHouseholdAsync();

        // Nine more generated histories into the same household: ~60k transactions, ten households' worth.
        await using (var scope = host.ScopeFor(household))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var categories = await db.Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);
            var accounts = await db.Accounts.ToDictionaryAsync(
                a => a.Kind switch { AccountKind.Checking => DemoAccount.JointChecking, AccountKind.CreditCard => DemoAccount.Visa, _ => DemoAccount.Cash },
                a => a.Id);
            var members = await db.Members.OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
            var memberIds = new Dictionary<DemoMember, long> { [DemoMember.Alex] = members[0], [DemoMember.Sam] = members[1] };
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var inputs = Enumerable.Range(1, 9)
                .SelectMany(seed => DemoDataGenerator.Generate(seed, today).Transactions)
                .Select(t => t.ToInput(categories, accounts, memberIds))
                .ToList();
            await using var bulk = DemoDataWriter.CreateBulkContext(db.Database.GetConnectionString()!, db.Scope);
            await DemoDataWriter.InsertAsync(bulk, inputs, TimeProvider.System);
        }

        var seedSeconds = Stopwatch.GetElapsedTime(seeding).TotalSeconds;
        var total = await host.CountTransactionsAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total:N0} transactions in one household, seeded in {seedSeconds:0.0} s; {iterations} timed iterations each."));

        await using var member = host.ScopeFor(household);
        var service = member.ServiceProvider.GetRequiredService<ExpenseService>();
        var groceries = (await service.GetLookupsAsync()).Categories.Single(c => c.Name == "Groceries").Id;
        var to = DateOnly.FromDateTime(DateTime.UtcNow);
        var from = to.AddYears(-1);
        var filtered = new ExpenseFilter { CategoryIds = [groceries], From = from, To = to };

        var raw = new RawQueries(host.ConnectionString, household.Id);
        ExpensePage? page = null;
        var rawPage = default((int Count, long Spending, int Rows));
        var (pageMs, rawPageMs) = TimeSideBySide(iterations,
            () => page = service.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50)).GetAwaiter().GetResult(),
            () => rawPage = raw.FirstPage(null, null, null));
        ExpensePage? filteredPage = null;
        var rawFiltered = default((int Count, long Spending, int Rows));
        var (filteredMs, rawFilteredMs) = TimeSideBySide(iterations,
            () => filteredPage = service.ListAsync(new ExpensePageRequest(filtered, 0, 50)).GetAwaiter().GetResult(),
            () => rawFiltered = raw.FirstPage(groceries, from, to));

        // Both sides must have done the same work, or the ratio means nothing.
        Check(page!.TotalCount == rawPage.Count && page.SpendingMinor == rawPage.Spending && page.Items.Count == rawPage.Rows, "unfiltered page");
        Check(filteredPage!.TotalCount == rawFiltered.Count && filteredPage.SpendingMinor == rawFiltered.Spending && filteredPage.Items.Count == rawFiltered.Rows, "filtered page");

        Report("expenses-list", "transactions", total, "count");
        Report("expenses-list", "page_ms", pageMs, "ms");
        Report("expenses-list", "raw_page_ms", rawPageMs, "ms");
        Report("expenses-list", "ratio_vs_raw", pageMs / rawPageMs, "x");
        Report("expenses-list", "filtered_ms", filteredMs, "ms");
        Report("expenses-list", "raw_filtered_ms", rawFilteredMs, "ms");
        Report("expenses-list", "filtered_ratio_vs_raw", filteredMs / rawFilteredMs, "x");
    }

    private static void Check(bool same, string what)
    {
        if (!same)
        {
            throw new InvalidOperationException($"The service and the raw SQL disagree on the {what}.");
        }
    }

    /// <summary>
    /// Median wall time in ms of each action over <paramref name="iterations"/> runs after warm-up. The two run
    /// alternately, so load from other processes on this shared machine hits both alike and the ratio stays fair.
    /// </summary>
    private static (double A, double B) TimeSideBySide(int iterations, Action a, Action b)
    {
        for (var i = 0; i < Math.Min(5, iterations); i++)
        {
            a();
            b();
        }

        var samplesA = new List<double>(iterations);
        var samplesB = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            a();
            samplesA.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            b();
            samplesB.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return (Median(samplesA), Median(samplesB));
    }

    internal static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}

/// <summary>The app's services over a fresh temporary data folder, migrated exactly as at start-up.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private readonly bool keep;

    private BenchHost(WebApplication app, string dataDirectory, bool keep)
    {
        this.app = app;
        DataDirectory = dataDirectory;
        this.keep = keep;
    }

    public string DataDirectory { get; }

    public IServiceProvider Services => app.Services;

    public string ConnectionString => Services.GetRequiredService<StorageOptions>().ConnectionString;

    public static Task<BenchHost> CreateAsync() =>
        CreateAsync(Path.Combine(Path.GetTempPath(), "et-bench", Guid.NewGuid().ToString("N")), keep: false);

    /// <summary>Over a given data folder; with <paramref name="keep"/> the folder (a cached database) survives disposal.</summary>
    public static async Task<BenchHost> CreateAsync(string dataDirectory, bool keep)
    {
        Directory.CreateDirectory(dataDirectory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = dataDirectory });
        builder.Configuration["Storage:DataDirectory"] = dataDirectory;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddStorage();
        builder.AddData();
        builder.AddIdentityAccounts();
        builder.AddExpenses();
        builder.AddBudgetsAndAnalytics();
        builder.AddBills(); // the demo seeder adds bills; budgets pace them
        var app = builder.Build();
        await DatabaseSetup.MigrateAsync(app.Services);
        return new BenchHost(app, dataDirectory, keep);
    }

    public async Task<Household> DemoHouseholdAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Households.IgnoreQueryFilters().SingleAsync(h => h.Name == DemoSeeder.HouseholdName);
    }

    public AsyncServiceScope ScopeFor(Household household)
    {
        var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var owner = db.Members.IgnoreQueryFilters().Where(m => m.HouseholdId == household.Id).OrderBy(m => m.Id).First();
        scope.ServiceProvider.GetRequiredService<HouseholdScope>().Set(household.Id, owner.Id, owner.UserId, owner.Role);
        return scope;
    }

    public async Task<int> CountTransactionsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Transactions.IgnoreQueryFilters().CountAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (!keep)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
