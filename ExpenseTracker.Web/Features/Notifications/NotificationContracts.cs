namespace ExpenseTracker.Web.Features.Notifications;

/// <summary>
/// A calendar rule over the database: "what is due between the last run and now" (bill reminders, summaries, category
/// pace). Pure with respect to time: it reads no clock, only the window it is given, so a fake clock can drive it hour by
/// hour. The reminder tick job runs every registered rule over (checkpoint, now] and enqueues what they return; the
/// outbox key makes a request produced twice (overlapping windows, catch-up after downtime) count once.
/// Registered scoped: <c>services.AddScoped&lt;IPeriodicNotificationRule, MyRule&gt;()</c>.
/// </summary>
public interface IPeriodicNotificationRule
{
    /// <summary>Stable name; also the rule's checkpoint name.</summary>
    string Name { get; }

    Task<IReadOnlyList<NotificationRequest>> EvaluateAsync(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, CancellationToken cancellationToken);
}

/// <summary>Delivers every pending outbox message that is due (retrying failures with backoff); the delivery job calls it.</summary>
public interface IOutboxDeliverer
{
    /// <summary>Returns how many messages were handled (delivered, skipped or failed for good) in this pass.</summary>
    Task<int> DeliverDueAsync(CancellationToken cancellationToken);
}
