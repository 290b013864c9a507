using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Notifications.Rules;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Scheduling;

/// <summary>
/// The real Quartz scheduler with intervals of a second, over a data folder kept across two app instances: the tick
/// produces a due reminder; a reminder that fell due while the app was stopped is produced once when it is back. Quartz
/// runs on the app's fake clock too, so while a test waits it moves that clock a second at a time. Waits poll the
/// database with a generous limit and assert nothing about speed. On PostgreSQL both instances share one database, where
/// Quartz keeps its clustered schedule.
/// </summary>
public sealed class QuartzWiringTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "et-tests", "quartz-" + Guid.NewGuid().ToString("N"));
    private string? database;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(dataDirectory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (database is not null)
        {
            await PostgresServer.DropDatabaseAsync(database);
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    [ProviderTheory]
    public async Task TheScheduledTickProducesADueReminderAndCatchesUpOnceAfterAStop(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            database = await PostgresServer.CreateDatabaseAsync();
        }

        long billId;
        long memberId;
        await using (var app = Start(new DateTimeOffset(2026, 11, 15, 10, 0, 0, TimeSpan.Zero)))
        {
            var home = await ReminderHousehold.CreateAsync(app);
            memberId = home.Member("Ana");
            billId = await home.AddBillAsync(home.Bill("Water", BillScheduleKind.MonthlyOnDay, new DateOnly(2026, 1, 1), lead: 0, day: 16));

            // 08:00 in Berlin on 16 November is 07:00 UTC: the due-today reminder.
            app.Time.SetUtcNow(new DateTimeOffset(2026, 11, 16, 7, 30, 0, TimeSpan.Zero));
            await UntilAsync(app, db => db.OutboxMessages.IgnoreQueryFilters().AnyAsync(m => m.Key == $"bill-due-today:bill:{billId}:2026-11-16:m{memberId}:app"));
        }

        // Stopped over the overdue time (09:00 Berlin on the 17th = 08:00 UTC); back at noon.
        await using (var app = Start(new DateTimeOffset(2026, 11, 17, 12, 0, 0, TimeSpan.Zero)))
        {
            var overdue = $"bill-overdue:bill:{billId}:2026-11-16:m{memberId}:";
            await UntilAsync(app, db => db.OutboxMessages.IgnoreQueryFilters().AnyAsync(m => m.Key.StartsWith(overdue)));

            // Later ticks cover new windows and find it again in none of them.
            var later = app.Time.GetUtcNow().UtcDateTime.AddSeconds(3);
            await UntilAsync(app, db => db.JobCheckpoints.AnyAsync(c => c.Name == "bill-reminders" && c.LastRunUtc > later));

            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var rows = await db.OutboxMessages.IgnoreQueryFilters().Where(m => m.Rule == BillReminderRule.Overdue).ToListAsync();
            Assert.Equal([overdue + "app", overdue + "email", overdue + "push"], rows.Select(r => r.Key).Order(StringComparer.Ordinal));
            Assert.All(rows, r => Assert.Equal(new DateTime(2026, 11, 17, 8, 0, 0), r.DueAt));
            Assert.Equal(3, await db.OutboxMessages.IgnoreQueryFilters().CountAsync(m => m.Rule == BillReminderRule.DueToday));
        }
    }

    /// <summary>An app on the shared data folder with the scheduler on; its host (and Quartz) starts here.</summary>
    private TestApp Start(DateTimeOffset now)
    {
        var app = (database is null ? new TestApp() : TestApp.OnPostgresDatabase(PostgresServer.ConnectionStringFor(database)))
            .With("Storage:DataDirectory", dataDirectory)
            .With("Jobs:Enabled", "true")
            .With("Jobs:ReminderTickInterval", "00:00:01")
            .With("Jobs:DeliveryInterval", "00:00:01")
            .With("Jobs:BillsAutoCreateInterval", "00:00:01");
        app.Time.SetUtcNow(now);
        _ = app.Services;
        return app;
    }

    /// <summary>What the scheduler and the rules got to, for a failure message.</summary>
    private static async Task<string> StateAsync(TestApp app)
    {
        var lines = new List<string> { "fake now " + app.Time.GetUtcNow().ToString("o", System.Globalization.CultureInfo.InvariantCulture) };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            lines.AddRange(await db.JobCheckpoints.Select(c => "checkpoint " + c.Name + " " + c.LastRunUtc).ToListAsync());
            lines.AddRange(await db.OutboxMessages.IgnoreQueryFilters().Select(m => "outbox " + m.Key).ToListAsync());
        }

        // Quartz's own tables: in quartz.db on SQLite, in the app's database on PostgreSQL.
        using var connection = app.PostgresConnectionString is { } postgres
            ? (System.Data.Common.DbConnection)new Npgsql.NpgsqlConnection(postgres)
            : new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(app.Services.GetRequiredService<IConfiguration>()["Storage:DataDirectory"] ?? "", "quartz.db"));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT trigger_name, trigger_state, next_fire_time, prev_fire_time FROM qrtz_triggers";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            lines.Add($"trigger {reader.GetString(0)} {reader.GetString(1)} next {new DateTime(reader.GetInt64(2)):o} prev {(reader.IsDBNull(3) ? "-" : new DateTime(reader.GetInt64(3)).ToString("o", System.Globalization.CultureInfo.InvariantCulture))}");
        }

        return string.Join('\n', lines);
    }

    private static async Task UntilAsync(TestApp app, Func<AppDbContext, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                if (await condition(scope.ServiceProvider.GetRequiredService<AppDbContext>()))
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The scheduled job did not get there within {Patience}.\n{await StateAsync(app)}");
            }

            await Task.Delay(100);

            // Quartz waits on the app's (fake) clock: a second passes for it, so the next one-second firing comes due.
            app.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
