using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Benchmarks;

/// <summary>`dashboard-plans`: the SQL of the dashboard's grouped queries and SQLite's EXPLAIN QUERY PLAN for each.</summary>
internal static class QueryPlans
{
    public static async Task RunAsync(int iterations)
    {
        _ = iterations;
        await using var host = await BenchHost.CreateAsync(Path.Combine(Path.GetTempPath(), "et-bench-cache", "dashboard-v1"), keep: true);
        var household = await host.DemoHouseholdAsync();
        await using var scope = host.ScopeFor(household);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var householdScope = scope.ServiceProvider.GetRequiredService<HouseholdScope>();
        var today = BudgetPeriods.Today(TimeProvider.System, household.TimeZoneId);
        var month = AnalyticsFilter.ForMonth(BudgetPeriods.MonthOf(today, 1), 1);
        var years = AnalyticsFilter.LastMonths(24, today, 1);
        var queries = new (string Name, IQueryable Query)[]
        {
            ("by category, one month", SpendingQueries.Matching(db, month.ToExpenseFilter(), householdScope).Lines().ByCategory()),
            ("by month and category, 24 months", SpendingQueries.Matching(db, years.ToExpenseFilter(), householdScope).Lines().ByMonthAndCategory(1)),
            ("per member, 24 months", SpendingQueries.Matching(db, years.ToExpenseFilter(), householdScope).PerMember().ByMember()),
            ("by month and kind, 24 months", SpendingQueries.Matching(db, years.ToExpenseFilter(), householdScope).ByMonthAndKind(1)),
        };
        await using var connection = new SqliteConnection(host.ConnectionString);
        await connection.OpenAsync();
        foreach (var (name, query) in queries)
        {
            var sql = query.ToQueryString();
            Console.WriteLine($"-- {name}\n{sql}\n");
            await using var command = connection.CreateCommand();
            var body = new List<string>();
            foreach (var text in sql.Split('\n'))
            {
                if (text.StartsWith(".param set ", StringComparison.Ordinal))
                {
                    var parts = text["param set ".Length..].Trim().Split(' ', 2);
                    command.Parameters.AddWithValue(parts[0], parts[1].Trim('\''));
                }
                else
                {
                    body.Add(text);
                }
            }

            command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', body);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                Console.WriteLine("   " + reader.GetString(3));
            }

            Console.WriteLine();
        }
    }
}
