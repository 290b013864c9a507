using Quartz;

namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

/// <summary>
/// Runs <see cref="IOutboxDeliverer.DeliverDueAsync"/> in a scope of its own, every minute and whenever something is
/// enqueued (<see cref="OutboxWakeListener"/>). Without a deliverer registered it says so once and does nothing: the
/// outbox keeps the messages until one is.
/// </summary>
public sealed class OutboxDeliveryJob(IServiceScopeFactory scopes, OutboxWakeListener wake, ILogger<OutboxDeliveryJob> logger) : IJob
{
    private static int warnedMissing;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        wake.Started();
        await using var scope = scopes.CreateAsyncScope();
        var deliverer = scope.ServiceProvider.GetService<IOutboxDeliverer>();
        if (deliverer is null)
        {
            if (Interlocked.Exchange(ref warnedMissing, 1) == 0)
            {
                logger.LogWarning("No outbox deliverer is registered: notifications stay in the outbox");
            }

            return;
        }

        var handled = await deliverer.DeliverDueAsync(cancellationToken);
        if (handled > 0)
        {
            logger.LogInformation("Delivery handled {Count} outbox message(s)", handled);
        }
    }
}
