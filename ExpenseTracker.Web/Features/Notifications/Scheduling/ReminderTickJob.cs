using Quartz;

namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

/// <summary>Quartz's side of the reminder tick: a scope of its own, then <see cref="ReminderTick.RunAsync"/>.</summary>
public sealed class ReminderTickJob(IServiceScopeFactory scopes, ILogger<ReminderTickJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<ReminderTick>().RunAsync(cancellationToken);
        if (added > 0)
        {
            logger.LogInformation("Reminder tick enqueued {Count} outbox message(s)", added);
        }
    }
}
