using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Hardening.Smoke;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Import;

/// <summary>
/// The import CLI as a child process over the test app's data folder: it imports for real, and a process killed in the
/// middle of a large import leaves no partial batch behind (one database transaction, rolled back by SQLite on open).
/// </summary>
public sealed class ImportKillTests : IAsyncLifetime
{
    private readonly TestApp app = new();
    private ImportHousehold home = default!;

    public async Task InitializeAsync() => home = await ImportHousehold.CreateAsync(app);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task TheCommandImportsAFileAndReportsProgress()
    {
        var file = ImportKill.WriteCsv(Path.Combine(app.DataDirectory, "small.csv"), 300);

        var (exitCode, imported, lines, error) = await Kill().RunToEndAsync(file);

        Assert.True(exitCode == 0, error);
        Assert.Equal(300, imported);
        Assert.Contains("progress 50", lines);
        Assert.Equal(300, await home.QueryAsync(db => db.Transactions.CountAsync(t => t.AccountId == home.CheckingId)));
    }

    [Fact]
    public async Task KillingTheProcessMidImportLeavesNoPartialBatch()
    {
        var file = ImportKill.WriteCsv(Path.Combine(app.DataDirectory, "large.csv"), 200_000);

        var kill = await Kill().KillAtAsync(file, 10);

        Assert.True(kill.KilledAt is not null, "The import never reported progress between 10% and 90%: " + string.Join(" | ", kill.Seen.TakeLast(5)) + " " + kill.Error);
        Assert.DoesNotContain(kill.Seen, l => l.StartsWith("imported", StringComparison.Ordinal));
        SqliteConnection.ClearAllPools();
        var footprint = await home.FootprintAsync();
        Assert.Equal((0, 0, 0, 0), (footprint.Transactions, footprint.Lines, footprint.Keys, footprint.Batches));
        var check = await home.QueryAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA quick_check").ToListAsync());
        Assert.Equal(["ok"], check);
    }

    private ImportKill Kill() => new(
        app.DataDirectory, app.Services.GetRequiredService<StorageOptions>().ConnectionString, home.HouseholdId, "ana@example.com", "Checking");
}
