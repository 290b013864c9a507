using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Notifications;
using ExpenseTracker.Web.Features.Notifications.Rules;
using ExpenseTracker.Web.Features.Notifications.Scheduling;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExpenseTracker.Tests.Integration.Notifications.Scheduling;

/// <summary>The tick's own rules: checkpoints, the catch-up cap, and one failing rule not holding back the others.</summary>
/// <remarks>An app per case: the cases move the clock.</remarks>
public sealed class ReminderTickTests : PerCaseApps
{
    private TestApp app = null!;
    private ReminderHousehold home = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = StartApp(provider);
        app.Time.SetUtcNow(new DateTimeOffset(2027, 10, 1, 0, 0, 0, TimeSpan.Zero));
        home = await ReminderHousehold.CreateAsync(app);
        await home.TickAsync(); // checkpoints at 1 October
        await home.AddBillAsync(home.Bill("Rent", BillScheduleKind.MonthlyOnDay, new DateOnly(2027, 10, 1), lead: 0, day: 5));
    }

    [ProviderTheory]
    public async Task AfterALongDowntimeOnlyTheLastWeekIsEvaluated(DatabaseProvider provider)
    {
        await StartAsync(provider);
        // Down from 1 October to 1 November: the 5 October reminders are more than a week old; the rent stays unpaid.
        app.Time.SetUtcNow(new DateTimeOffset(2027, 11, 1, 0, 0, 0, TimeSpan.Zero));

        await home.TickAsync();

        Assert.Empty(await home.OutboxAsync());
        await using var scope = app.Services.CreateAsyncScope();
        var checkpoint = await scope.ServiceProvider.GetRequiredService<AppDbContext>().JobCheckpoints.SingleAsync(c => c.Name == "bill-reminders");
        Assert.Equal(new DateTime(2027, 11, 1), checkpoint.LastRunUtc);
    }

    [ProviderTheory]
    public async Task AFailingRuleKeepsItsCheckpointAndTheOthersStillRun(DatabaseProvider provider)
    {
        await StartAsync(provider);
        app.Time.SetUtcNow(new DateTimeOffset(2027, 10, 6, 12, 0, 0, TimeSpan.Zero));
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var bills = services.GetServices<IPeriodicNotificationRule>().OfType<BillReminderRule>().Single();
        var tick = new ReminderTick([new FailingRule(), bills], services.GetRequiredService<NotificationOutbox>(),
            services.GetRequiredService<IDbContextFactory<AppDbContext>>(), app.Time, new JobsOptions(), NullLogger<ReminderTick>.Instance);

        var added = await tick.RunAsync();

        // Due today (5 Oct 08:00 Berlin) and overdue (6 Oct 09:00 Berlin), on three channels each.
        Assert.Equal(6, added);
        var db = services.GetRequiredService<AppDbContext>();
        Assert.False(await db.JobCheckpoints.AnyAsync(c => c.Name == FailingRule.RuleName));
        Assert.Equal(new DateTime(2027, 10, 6, 12, 0, 0), (await db.JobCheckpoints.SingleAsync(c => c.Name == "bill-reminders")).LastRunUtc);
    }

    private sealed class FailingRule : IPeriodicNotificationRule
    {
        public const string RuleName = "always-fails";

        public string Name => RuleName;

        public Task<IReadOnlyList<NotificationRequest>> EvaluateAsync(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("broken rule");
    }
}
