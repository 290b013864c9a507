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

        Assert.All(cycles, cycle =>
        {
            Assert.True(cycle.KilledAt is not null, $"No kill between 10% and 90% (aimed at {cycle.Target}%): {cycle.Output}");
            Assert.Equal(before, cycle.After);
            Assert.True(cycle.IntegrityOk, string.Join("; ", cycle.Integrity));
        });

        var retry = await kill.RetryTwiceAsync(file);

        Assert.True(retry.Added == Rows, $"The retry imported {retry.Added}: {retry.Error}");
        Assert.Equal((before.Transactions + Rows, before.Keys + Rows, before.Batches + 1), (retry.AfterFirst.Transactions, retry.AfterFirst.Keys, retry.AfterFirst.Batches));
        Assert.Equal(0, retry.AddedAgain);
        Assert.Equal(retry.AfterFirst with { Batches = 0 }, retry.AfterSecond with { Batches = 0 });
    }
}
