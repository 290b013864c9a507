namespace ExpenseTracker.Web.Data;

/// <summary>What a member can switch on or off per channel (Settings → Notifications).</summary>
public enum NotificationType
{
    /// <summary>A bill due in N days, due today, or overdue.</summary>
    BillReminder = 0,
    /// <summary>A budget crossing its warn or alert threshold.</summary>
    BudgetAlert = 1,
    /// <summary>An expense far above the usual, or a category's month-to-date pace far above normal.</summary>
    UnusualSpending = 2,
    /// <summary>The weekly or monthly summary (email only).</summary>
    Summary = 3,
    /// <summary>A bank connection that stopped syncing (expired, or failing for a while); once per run of failures.</summary>
    BankSync = 4,
}

public enum NotificationChannel
{
    InApp = 0,
    Email = 1,
    Push = 2,
}

public enum SummaryFrequency
{
    None = 0,
    Weekly = 1,
    Monthly = 2,
}

public enum OutboxStatus
{
    Pending = 0,
    Delivered = 1,
    /// <summary>Gave up after the last retry; shown to the administrator.</summary>
    Failed = 2,
    /// <summary>Nothing to deliver to (the member left, unsubscribed since, or has no push subscription).</summary>
    Skipped = 3,
}

/// <summary>
/// One message for one member on one channel, written before it is delivered. <see cref="Key"/> is unique:
/// "{rule}:{subject}:{period}:m{member}:{channel}", so a reminder produced twice (a retry, a catch-up after downtime, two
/// instances) is stored once; for email it is also the Message-ID.
/// </summary>
public sealed class OutboxMessage : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long MemberId { get; set; }
    public required string Key { get; set; }
    public NotificationType Type { get; set; }
    public NotificationChannel Channel { get; set; }
    /// <summary>The rule that produced it, e.g. "bill-due-soon", "budget-80", "unusual-expense".</summary>
    public required string Rule { get; set; }
    public required string Title { get; set; }
    /// <summary>Plain text; paragraphs separated by blank lines.</summary>
    public required string Body { get; set; }
    /// <summary>App-relative link to the thing notified ("bills?bill=12"), without a leading slash.</summary>
    public string? Link { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When it became due (UTC); with quiet hours, email and push wait past this.</summary>
    public DateTime DueAt { get; set; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTime? DeliveredAt { get; set; }
}

/// <summary>An in-app notification: the bell's list.</summary>
public sealed class Notification : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long MemberId { get; set; }
    /// <summary>The outbox key without its channel; unique per member.</summary>
    public required string Key { get; set; }
    public NotificationType Type { get; set; }
    public required string Rule { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public string? Link { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

/// <summary>A member's choice for one type on one channel; absent rows mean <see cref="NotificationDefaults"/>.</summary>
public sealed class NotificationPreference : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long MemberId { get; set; }
    public NotificationType Type { get; set; }
    public NotificationChannel Channel { get; set; }
    public bool Enabled { get; set; }
}

/// <summary>A member's time zone, quiet hours and summary choice; absent means the household's zone, no quiet hours, no summary.</summary>
public sealed class MemberNotificationSettings : IHouseholdOwned
{
    public long MemberId { get; set; }
    public long HouseholdId { get; set; }
    /// <summary>IANA id; null follows the household's time zone.</summary>
    public string? TimeZoneId { get; set; }
    /// <summary>Local start of quiet hours (email and push wait until the end); both null: none.</summary>
    public TimeOnly? QuietHoursStart { get; set; }
    public TimeOnly? QuietHoursEnd { get; set; }
    public SummaryFrequency Summary { get; set; }
}

/// <summary>A browser's Web Push subscription for a member (device-bound: not part of a household backup).</summary>
public sealed class PushSubscription : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long MemberId { get; set; }
    public required string Endpoint { get; set; }
    public required string P256dh { get; set; }
    public required string Auth { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public int FailureCount { get; set; }
}

/// <summary>Where a periodic evaluator got to ("what is due between the last run and now"); instance-wide.</summary>
public sealed class JobCheckpoint
{
    public required string Name { get; set; }
    public DateTime LastRunUtc { get; set; }
}

/// <summary>Which channels are on when a member has not chosen.</summary>
public static class NotificationDefaults
{
    public static bool IsEnabled(NotificationType type, NotificationChannel channel) => (type, channel) switch
    {
        (NotificationType.Summary, NotificationChannel.Email) => true, // sent only when the member picks a frequency
        (NotificationType.Summary, _) => false,
        (_, NotificationChannel.InApp) => true,
        (_, NotificationChannel.Email) => true,
        (_, NotificationChannel.Push) => true, // delivered only to members with a push subscription
        _ => false,
    };
}
