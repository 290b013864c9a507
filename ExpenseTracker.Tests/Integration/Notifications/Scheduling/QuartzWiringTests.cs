using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Notifications.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Scheduling;

/// <summary>
/// The real Quartz scheduler with intervals of a second, over a data folder kept across two app instances: the tick
/// produces a due reminder; a reminder that fell due while the app was stopped is produced once when it is back. The
/// app's clock is fake (it decides what is due); Quartz runs on the wall clock (it decides when to look). Waits poll the
/// database with a generous limit and assert nothing about speed.
/// </summary>
public sealed class QuartzWiringTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "et-tests", "quartz-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(dataDirectory);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheScheduledTickProducesADueReminderAndCatchesUpOnceAfterAStop()
    {
        long billId;
        long memberId;
        await using (var app = Start(new DateTimeOffset(2026, 11, 15, 10, 0, 0, TimeSpan.Zero)))
        {
            var home = await ReminderHousehold.CreateAsync(app);
            memberId = home.Member("Ana");
            billId = await home.AddBillAsync(home.Bill("Water", BillScheduleKind.MonthlyOnDay, new DateOnly(2026, 1, 1), lead: 0, day: 16));

            // 08:00 in Berlin on 16 November is 07:00 UTC: the due-today reminder.
            app.Time.SetUtcNow(new DateTimeOffset(2026, 11, 16, 7, 30, 0, TimeSpan.Zero));
            await UntilAsync(app, db => db.OutboxMessages.AnyAsync(m => m.Key == $"bill-due-today:bill:{billId}:2026-11-16:m{memberId}:app"));
        }

        // Stopped over the overdue time (09:00 Berlin on the 17th = 08:00 UTC); back at noon.
        await using (var app = Start(new DateTimeOffset(2026, 11, 17, 12, 0, 0, TimeSpan.Zero)))
        {
            var overdue = $"bill-overdue:bill:{billId}:2026-11-16:m{memberId}:";
            await UntilAsync(app, db => db.OutboxMessages.AnyAsync(m => m.Key.StartsWith(overdue)));

            // Later ticks cover new windows and find it again in none of them.
            var later = new DateTimeOffset(2026, 11, 17, 12, 10, 0, TimeSpan.Zero);
            app.Time.SetUtcNow(later);
            await UntilAsync(app, db => db.JobCheckpoints.AnyAsync(c => c.Name == "bill-reminders" && c.LastRunUtc == later.UtcDateTime));

            await using var scope = app.Services.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.IgnoreQueryFilters()
                .Where(m => m.Rule == BillReminderRule.Overdue).Select(m => m.Key).ToListAsync();
            Assert.Equal([overdue + "app", overdue + "email", overdue + "push"], rows.Order(StringComparer.Ordinal));
            Assert.Equal(new DateTime(2026, 11, 17, 8, 0, 0), (await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.IgnoreQueryFilters()
                .FirstAsync(m => m.Key == overdue + "app")).DueAt);
        }
    }

    /// <summary>An app on the shared data folder with the scheduler on; its host (and Quartz) starts here.</summary>
    private TestApp Start(DateTimeOffset now)
    {
        var app = new TestApp()
            .With("Storage:DataDirectory", dataDirectory)
            .With("Jobs:Enabled", "true")
            .With("Jobs:ReminderTickInterval", "00:00:01")
            .With("Jobs:DeliveryInterval", "00:00:01")
            .With("Jobs:BillsAutoCreateInterval", "00:00:01");
        app.Time.SetUtcNow(now);
        _ = app.Services;
        return app;
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

            Assert.True(DateTime.UtcNow < deadline, "The scheduled job did not get there within " + Patience);
            await Task.Delay(100);
        }
    }
}
