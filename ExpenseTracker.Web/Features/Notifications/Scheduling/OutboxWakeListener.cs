using Quartz;

namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

/// <summary>
/// Turns <see cref="OutboxSignal.Woken"/> into an immediate run of the delivery job. Wakes that arrive before the job has
/// started are folded into one firing: it picks up everything pending anyway.
/// </summary>
public sealed class OutboxWakeListener(OutboxSignal signal, ISchedulerFactory schedulers, ILogger<OutboxWakeListener> logger) : IHostedService
{
    private int pending;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        signal.Woken += OnWoken;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        signal.Woken -= OnWoken;
        return Task.CompletedTask;
    }

    /// <summary>The delivery job has begun: the next wake needs a firing of its own.</summary>
    public void Started() => Interlocked.Exchange(ref pending, 0);

    private void OnWoken()
    {
        if (Interlocked.Exchange(ref pending, 1) == 0)
        {
            _ = TriggerAsync();
        }
    }

    private async Task TriggerAsync()
    {
        try
        {
            var scheduler = await schedulers.GetScheduler();
            await scheduler.TriggerJob(JobSchedules.OutboxDelivery);
        }
        catch (Exception e) when (e is SchedulerException or InvalidOperationException or ObjectDisposedException)
        {
            // Shutting down, or the scheduler is not up yet: the delivery job's own interval picks the message up.
            Interlocked.Exchange(ref pending, 0);
            logger.LogDebug(e, "Could not wake the delivery job");
        }
    }
}
