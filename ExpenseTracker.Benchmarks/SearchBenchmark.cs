using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// The expense list searched with a query line in the dashboard benchmark's database (1M transactions, 250k in the measured
/// household): what the page asks for one search — the first page of 50, the total count, the spending total and the
/// private-line summary — through the real ExpenseService. The words come from the household's own most common payee,
/// so the full-text part matches thousands of rows, not none.
/// </summary>
public static class SearchBenchmark
{
    public static async Task RunAsync(int iterations)
    {
        await using var host = await DashboardBenchmark.OpenOrBuildAsync();
        var household = await host.DemoHouseholdAsync();
        await using var scope = host.ScopeFor(household);
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var expenses = services.GetRequiredService<ExpenseService>();
        var today = BudgetPeriods.Today(services.GetRequiredService<TimeProvider>(), household.TimeZoneId);

        var own = await db.Transactions.CountAsync();
        var payee = await db.Transactions.Where(t => t.PayeeId != null).GroupBy(t => t.Payee!.Name)
            .OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        var rarePayee = await db.Transactions.Where(t => t.PayeeId != null).GroupBy(t => t.Payee!.Name)
            .OrderBy(g => g.Count()).Select(g => g.Key).FirstAsync();
        var category = await db.TransactionLines.GroupBy(l => l.Category!.Name)
            .OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        var prefix = payee.Split(' ')[0].ToLowerInvariant();
        prefix = prefix[..Math.Min(prefix.Length, 4)];
        var quotedCategory = category.Contains(' ', StringComparison.Ordinal) ? $"\"{category}\"" : category;

        var lines = new (string Name, string Line)[]
        {
            // The headline: text plus two filters.
            ("text_two_filters", $"{prefix} category:{quotedCategory} date:last-12-months"),
            ("text_only", prefix),
            ("rare_text", rarePayee.Split(' ')[0]),
            ("text_amount_negated", $"{prefix} amount>20 -category:{quotedCategory}"),
            ("filters_only", $"category:{quotedCategory} amount:5..50 date:last-year"),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{own:N0} transactions in the measured household; {iterations} timed runs per query."));

        // ET_SEARCH_PLANS=1: print each SQL statement of the first run of every query line with SQLite's plan for it.
        var showPlans = Environment.GetEnvironmentVariable("ET_SEARCH_PLANS") == "1";
        double headline = 0, headlineP95 = 0;
        foreach (var (name, line) in lines)
        {
            var filter = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, line, null, null)
                .ToFilter(today, household.BaseCurrency, household.FirstDayOfWeek);
            var request = new ExpensePageRequest(filter, 0, 50);
            ExpensePage first;
            using (var capture = showPlans ? new CommandCapture() : null)
            {
                first = await expenses.ListAsync(request);
                if (capture is not null)
                {
                    await capture.PrintPlansAsync(host.ConnectionString, name);
                }
            }

            for (var i = 0; i < Math.Min(3, iterations); i++)
            {
                await expenses.ListAsync(request);
            }

            var samples = new List<double>(iterations);
            for (var i = 0; i < iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await expenses.ListAsync(request);
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var (median, p95) = (DashboardBenchmark.Percentile(samples, 50), DashboardBenchmark.Percentile(samples, 95));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-22} \"{line}\": {first.TotalCount:N0} matches, median {median:0.0} ms, p95 {p95:0.0} ms"));
            BenchmarkProgram.Report("search", name + "_median_ms", median, "ms");
            BenchmarkProgram.Report("search", name + "_p95_ms", p95, "ms");
            BenchmarkProgram.Report("search", name + "_matches", first.TotalCount, "count");
            if (name == "text_two_filters")
            {
                (headline, headlineP95) = (median, p95);
            }
        }

        BenchmarkProgram.Report("search", "household_transactions", own, "count");
        BenchmarkProgram.Report("search", "query_p95_ms", headlineP95, "ms");
        BenchmarkProgram.Report("search", "query_median_ms", headline, "ms");
    }

    /// <summary>The SQL EF sends while it is alive (through EF's DiagnosticListener), with parameter values.</summary>
    private sealed class CommandCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly List<IDisposable> subscriptions = [];
        private readonly List<(string Sql, List<(string Name, object? Value)> Parameters)> commands = [];

        public CommandCapture() => subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                subscriptions.Add(value.Subscribe(this));
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data)
            {
                lock (commands)
                {
                    commands.Add((data.Command.CommandText, [.. data.Command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]));
                }
            }
        }

        public async Task PrintPlansAsync(string connectionString, string name)
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            foreach (var (sql, parameters) in commands)
            {
                Console.WriteLine($"-- {name}\n{sql}");
                await using var command = connection.CreateCommand();
                foreach (var (parameter, value) in parameters)
                {
                    command.Parameters.AddWithValue(parameter, value ?? DBNull.Value);
                }

                var best = double.MaxValue;
                command.CommandText = sql;
                for (var i = 0; i < 5; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await using (var rows = await command.ExecuteReaderAsync())
                    {
                        while (await rows.ReadAsync())
                        {
                        }
                    }

                    best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                command.CommandText = "EXPLAIN QUERY PLAN " + sql;
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    Console.WriteLine("   " + reader.GetString(3));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   (best of 5: {best:0.0} ms)\n"));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }
        }
    }
}
