using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Hardening.Smoke;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Import;

/// <summary>
/// The import CLI as a child process over the test app's data folder: it imports for real, and a process killed in the
/// middle of a large import leaves no partial batch behind (one database transaction, rolled back by SQLite on open and by
/// PostgreSQL when the connection drops).
/// </summary>
public sealed class ImportKillTests
{
    [ProviderTheory]
    public async Task TheCommandImportsAFileAndReportsProgress(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var file = ImportKill.WriteCsv(Path.Combine(app.DataDirectory, "small.csv"), 300);

        var (exitCode, imported, lines, error) = await Kill(app, home).RunToEndAsync(file);

        Assert.True(exitCode == 0, error);
        Assert.Equal(300, imported);
        Assert.Contains("progress 50", lines);
        Assert.Equal(300, await home.QueryAsync(db => db.Transactions.CountAsync(t => t.AccountId == home.CheckingId)));
    }

    [ProviderTheory]
    public async Task KillingTheProcessMidImportLeavesNoPartialBatch(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var file = ImportKill.WriteCsv(Path.Combine(app.DataDirectory, "large.csv"), 200_000);

        var kill = await Kill(app, home).KillAtAsync(file, 10);

        Assert.True(kill.KilledAt is not null, "The import never reported progress between 10% and 90%: " + string.Join(" | ", kill.Seen.TakeLast(5)) + " " + kill.Error);
        Assert.DoesNotContain(kill.Seen, l => l.StartsWith("imported", StringComparison.Ordinal));
        SqliteConnection.ClearAllPools();
        var footprint = await home.FootprintAsync();
        Assert.Equal((0, 0, 0, 0), (footprint.Transactions, footprint.Lines, footprint.Keys, footprint.Batches));
        if (provider == DatabaseProvider.Sqlite)
        {
            var check = await home.QueryAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA quick_check").ToListAsync());
            Assert.Equal(["ok"], check);
        }
    }

    /// <summary>The child runs on the test app's database: its data folder, and on PostgreSQL its own database.</summary>
    private static ImportKill Kill(TestApp app, ImportHousehold home)
    {
        var kill = new ImportKill(app.DataDirectory, app.Services.GetRequiredService<StorageOptions>().ConnectionString, home.HouseholdId, "ana@example.com", "Checking");
        if (app.Provider == DatabaseProvider.Postgres)
        {
            kill.Environment["Database__Provider"] = nameof(DatabaseProvider.Postgres);
            kill.Environment["ConnectionStrings__Postgres"] = app.PostgresConnectionString!;
        }

        return kill;
    }
}
