using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.DatabaseTools;

/// <summary>
/// <c>--migrate-only</c>: the app applies its migrations as at every start (<see cref="Infrastructure.DatabaseSetup"/>:
/// on SQLite after its pre-migration backup, on PostgreSQL through MigrateAsync) and exits 0 without serving — the step
/// of an upgrade that runs once before the instances start again.
/// </summary>
public static class MigrateOnly
{
    public const string Flag = "--migrate-only";

    public static async Task<int> ReportAsync(IServiceProvider services, TextWriter output)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        await output.WriteLineAsync($"The {(db.Database.IsSqlite() ? "SQLite" : "PostgreSQL")} database is at migration {applied.LastOrDefault() ?? "(none)"} " +
            $"({applied.Count} applied). {Flag}: not serving.");
        return 0;
    }
}
