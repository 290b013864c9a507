using Quartz;

namespace ExpenseTracker.Web.Features.Notifications.Delivery;

/// <summary>
/// The Quartz job that runs <see cref="IOutboxDeliverer"/>: scheduled with the other jobs in the one schedule file (every
/// minute is plenty: retries wait at least a minute) and triggered early when <see cref="OutboxSignal"/> wakes.
/// Not registered here; whoever owns the schedule adds it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class OutboxDeliveryJob(IOutboxDeliverer deliverer) : IJob
{
    public static readonly JobKey Key = new("outbox-delivery", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await deliverer.DeliverDueAsync(cancellationToken);
}
