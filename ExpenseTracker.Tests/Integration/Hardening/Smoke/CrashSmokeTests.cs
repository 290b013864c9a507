using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Import;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Hardening.Smoke;

/// <summary>
/// The CI version of the `crash` benchmark: the import command killed with SIGKILL three times in the middle of a
/// 20,000-row import (at seeded percents between 10 and 90), the file reopened each time; then the import retried.
/// SQLite only: it checks the file's recovery on reopen (WAL, <c>PRAGMA integrity_check</c>); a killed import on
/// PostgreSQL (rolled back when the connection drops) is covered by ImportKillTests on both providers.
/// </summary>
public sealed class CrashSmokeTests : IAsyncLifetime
{
    private const int Rows = 20_000;
    private readonly TestApp app = new();
    private ImportHousehold home = default!;

    public async Task InitializeAsync() => home = await ImportHousehold.CreateAsync(app);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task ThreeKilledImportsLeaveNothingBehindAndTheRetryLandsOnce()
    {
        var kill = new ImportKill(app.DataDirectory, app.Services.GetRequiredService<StorageOptions>().ConnectionString, home.HouseholdId, "ana@example.com", "Checking");
        var file = ImportKill.WriteCsv(Path.Combine(app.DataDirectory, "crash.csv"), Rows);
        var before = await kill.FootprintAsync();

        var cycles = await kill.CrashCyclesAsync(file, 3, seed: 10);

        // The kill is sent when the child prints the target percent; on a starved machine it can arrive after the last
        // rows and the commit (a few hundred ms later). Then the whole batch is there, which is not a partial batch; later
        // cycles import only duplicates. At least one kill must land mid-import.
        bool Whole(ImportKill.Footprint f) =>
            f.Transactions == before.Transactions + Rows && f.Keys == before.Keys + Rows && f.Batches > before.Batches;
        Assert.All(cycles, cycle =>
        {
            Assert.True(cycle.KilledAt is not null, $"No kill between 10% and 90% (aimed at {cycle.Target}%): {cycle.Output}");
            Assert.True(cycle.After == before || Whole(cycle.After), $"A partial batch after the kill at {cycle.KilledAt}%: {cycle.After} (before {before})");
            Assert.True(cycle.IntegrityOk, string.Join("; ", cycle.Integrity));
        });
        Assert.Contains(cycles, cycle => cycle.After == before);
        var landedBeforeAKill = cycles.Any(cycle => Whole(cycle.After));

        var retry = await kill.RetryTwiceAsync(file);

        Assert.True(retry.Added == (landedBeforeAKill ? 0 : Rows), $"The retry imported {retry.Added}: {retry.Error}");
        Assert.True(Whole(retry.AfterFirst), $"After the retry: {retry.AfterFirst} (before {before})");
        Assert.Equal(0, retry.AddedAgain);
        Assert.Equal(retry.AfterFirst with { Batches = 0 }, retry.AfterSecond with { Batches = 0 });
    }
}
