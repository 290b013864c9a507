using ExpenseTracker.Web.Features.InstanceBackup;

namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

/// <summary>The <c>Jobs</c> configuration section: whether the scheduler runs, and how often each job fires.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>False: no scheduler at all (tests, command-line tools); reminders are then produced only when it is back on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the reminder tick evaluates every periodic rule.</summary>
    public TimeSpan ReminderTickInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the delivery job looks for due outbox messages (it also runs as soon as something is enqueued).</summary>
    public TimeSpan DeliveryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often auto-create bills are recorded. Idempotent, so running it more often than daily only makes it punctual in every zone.</summary>
    public TimeSpan BillsAutoCreateInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the bank-sync job looks for due connections; each connection syncs every <c>BankSync:Interval</c> (6 h) and retries with backoff.</summary>
    public TimeSpan BankSyncCheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// PostgreSQL only: how often each cluster node records that it is alive. A node silent for this long past its check-in
    /// is taken for dead and another node recovers its triggers, so failover takes about twice this.
    /// </summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The longest window one tick evaluates after downtime. Reminders due longer ago than this are not produced: after a
    /// month offline, "your bill is due in 3 days" from five weeks back helps nobody.
    /// </summary>
    public TimeSpan MaxCatchUp { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The nightly instance backup (its own <c>Backup</c> section).</summary>
    public InstanceBackupOptions Backup { get; set; } = new();

    public static JobsOptions From(IConfiguration configuration)
    {
        var options = new JobsOptions();
        configuration.GetSection(Section).Bind(options);
        options.Backup = InstanceBackupOptions.From(configuration);
        return options;
    }
}
