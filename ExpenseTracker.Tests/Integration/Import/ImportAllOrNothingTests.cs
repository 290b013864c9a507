using System.Globalization;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ExpenseTracker.Tests.Integration.Import;

/// <summary>
/// The writer's guarantees on both databases: a failure after some chunks were written leaves nothing of the batch
/// (payees, transactions, lines, keys, batch, change log), and two imports of the same rows at once add them once.
/// </summary>
public sealed class ImportAllOrNothingTests
{
    /// <summary>The line amount the test trigger refuses: 7,777.77.</summary>
    private const long Refused = 777_777;

    /// <summary>Card payments in October; the last day's row (written in the last chunk, by date order) is the given amount.</summary>
    private static string[] Statement(int rows, string lastAmount = "-1.00") =>
        [.. Enumerable.Range(0, rows - 1).Select(i => string.Create(CultureInfo.InvariantCulture, $"2026-10-{1 + i % 27:00},-{1 + i}.25,Shop {i},row {i}")),
            $"2026-10-28,{lastAmount},Last Shop,the last row"];

    [ProviderTheory]
    public async Task ARowTheDatabaseRefusesInTheLastChunkLeavesNothingOfTheBatch(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);
        await home.CommitCsvAsync(home.CheckingId, "2026-09-01,-3.50,Corner Coffee,");
        await RefuseLineAsync(home, provider);
        var before = await home.FootprintAsync();

        var failure = await Record.ExceptionAsync(() => home.CommitCsvAsync(home.VisaId, Statement(1_200, "-7777.77")));

        if (failure is null)
        {
            var lines = await home.QueryAsync(db => db.TransactionLines.Where(l => l.Transaction!.Payee!.Name == "Last Shop").Select(l => l.AmountMinor).ToListAsync());
            Assert.Fail("The import went through; the last row's lines: " + string.Join(", ", lines));
        }

        Assert.Contains("refused by test", failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await home.FootprintAsync());
        Assert.Equal(0, await home.QueryAsync(db => db.TransactionTags.CountAsync()));
        Assert.Equal(0, await home.QueryAsync(db => db.Transactions.CountAsync(t => t.AccountId == home.VisaId)));

        // Nothing half-written stands in the way of the same file without the refused row.
        var retry = await home.CommitCsvAsync(home.VisaId, Statement(1_200));
        Assert.Equal(1_200, retry.Added);
    }

    [ProviderTheory]
    public async Task AFailureWhileSavingLeavesNothingOfTheBatch(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);
        await home.CommitCsvAsync(home.CheckingId, "2026-09-01,-3.50,Corner Coffee,");
        var before = await home.FootprintAsync();

        await using (var scope = home.Scope())
        {
            var service = scope.ServiceProvider.GetRequiredService<IImportService>();
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => service.CommitAsync(
                ImportHousehold.Request("big.csv", ImportHousehold.Csv(Statement(2_000)), home.VisaId), new ImportChoices(), new FailAt(60)));
            Assert.Equal("Failed at 60%.", failure.Message);
        }

        Assert.Equal(before, await home.FootprintAsync());
    }

    [ProviderTheory]
    public async Task TwoImportsOfTheSameRowsAtOnceAddThemOnce(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);
        var rows = Statement(300);
        var overlapping = rows[100..].Concat(Enumerable.Range(0, 50).Select(i => string.Create(CultureInfo.InvariantCulture, $"2026-11-{1 + i % 27:00},-{2 + i}.10,New Shop {i},"))).ToArray();

        // On PostgreSQL both imports are held at the household's import lock until both have started, so they run
        // into each other for sure; on SQLite the write lock orders them as it comes.
        await using var holder = provider == DatabaseProvider.Postgres ? await HoldImportLockAsync(app, home) : null;
        var first = home.CommitCsvAsync(home.VisaId, rows);
        var second = home.CommitCsvAsync(home.VisaId, overlapping);
        if (holder is not null)
        {
            await WaitForLockWaitersAsync(app, 2);
            await holder.CloseAsync();
        }

        var results = await Task.WhenAll(first, second);

        Assert.Equal(350, results.Sum(r => r.Added));
        Assert.Equal(200, results.Sum(r => r.DuplicatesSkipped));
        Assert.Equal(350, await home.QueryAsync(db => db.Transactions.CountAsync(t => t.AccountId == home.VisaId)));
        Assert.Equal(350, await home.QueryAsync(db => db.ImportKeys.CountAsync(k => k.AccountId == home.VisaId)));
        Assert.Equal(350, await home.QueryAsync(db => db.Transactions.Where(t => t.AccountId == home.VisaId)
            .Select(t => new { t.Date, t.AmountMinor, t.PayeeId }).Distinct().CountAsync()));
    }

    /// <summary>A trigger that refuses the line of 7,777.77, as a constraint the writer cannot know about would.</summary>
    private static Task RefuseLineAsync(ImportHousehold home, DatabaseProvider provider) => home.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
        provider == DatabaseProvider.Postgres
            ? $"""
                CREATE FUNCTION refuse_line() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW."AmountMinor" = {Refused} THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER refuse_line BEFORE INSERT ON "TransactionLines" FOR EACH ROW EXECUTE FUNCTION refuse_line();
                """
            : $"""
                CREATE TRIGGER refuse_line BEFORE INSERT ON "TransactionLines" WHEN NEW."AmountMinor" = {Refused}
                BEGIN SELECT RAISE(ABORT, 'refused by test'); END;
                """));

    private static async Task<NpgsqlConnection> HoldImportLockAsync(TestApp app, ImportHousehold home)
    {
        var connection = new NpgsqlConnection(app.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@space, @household)", connection);
        command.Parameters.AddWithValue("space", ImportService.ImportLockSpace);
        command.Parameters.AddWithValue("household", (int)home.HouseholdId);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task WaitForLockWaitersAsync(TestApp app, int waiters)
    {
        await using var connection = new NpgsqlConnection(app.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = @space::oid", connection);
        command.Parameters.AddWithValue("space", (long)ImportService.ImportLockSpace);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while ((long)(await command.ExecuteScalarAsync(timeout.Token))! < waiters)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Throws from the writer's own progress report once it has saved the given share of the rows.</summary>
    private sealed class FailAt(int percent) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            if (value.Stage == "Saving" && value.Percent >= percent)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Failed at {percent}%."));
            }
        }
    }
}
