using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

/// <summary>
/// One pass of every <see cref="IPeriodicNotificationRule"/> over "(where it got to, now]": the rule says what fell due,
/// the outbox stores it, then the rule's checkpoint moves to now. Enqueue comes first: a crash in between evaluates the
/// same window again and the outbox keys drop the repeats. A rule seen for the first time looks back one day; after a
/// long downtime the window is cut to <see cref="JobsOptions.MaxCatchUp"/>. The Quartz job calls this; tests call it
/// directly with a fake clock.
/// </summary>
public sealed class ReminderTick(
    IEnumerable<IPeriodicNotificationRule> rules,
    NotificationOutbox outbox,
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider time,
    JobsOptions options,
    ILogger<ReminderTick> logger)
{
    public static readonly TimeSpan FirstLookBack = TimeSpan.FromDays(1);

    /// <summary>Returns how many outbox messages were new.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var added = 0;
        foreach (var rule in rules)
        {
            try
            {
                added += await RunAsync(rule, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One rule's failure must not hold back the others; its checkpoint stays, so the next tick retries its window.
                logger.LogError(e, "Periodic rule {Rule} failed", rule.Name);
            }
        }

        return added;
    }

    private async Task<int> RunAsync(IPeriodicNotificationRule rule, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var checkpoint = await db.JobCheckpoints.FirstOrDefaultAsync(c => c.Name == rule.Name, cancellationToken);
        var from = checkpoint is null ? now - FirstLookBack : new DateTimeOffset(DateTime.SpecifyKind(checkpoint.LastRunUtc, DateTimeKind.Utc));
        if (from >= now)
        {
            return 0; // the clock went back, or two ticks in the same instant: nothing new can be due
        }

        if (now - from > options.MaxCatchUp)
        {
            logger.LogWarning("Rule {Rule} last ran at {From:o}; evaluating only the last {Days} days", rule.Name, from, options.MaxCatchUp.TotalDays);
            from = now - options.MaxCatchUp;
        }

        var requests = await rule.EvaluateAsync(from, now, cancellationToken);
        var added = await outbox.EnqueueAsync(requests, cancellationToken);

        if (checkpoint is null)
        {
            db.JobCheckpoints.Add(new JobCheckpoint { Name = rule.Name, LastRunUtc = now.UtcDateTime });
        }
        else
        {
            checkpoint.LastRunUtc = now.UtcDateTime;
        }

        await db.SaveChangesAsync(cancellationToken);
        return added;
    }
}
