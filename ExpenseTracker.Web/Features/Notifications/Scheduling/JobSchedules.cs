using ExpenseTracker.Web.Features.InstanceBackup;
using Quartz;

namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

/// <summary>
/// Every scheduled job and when it fires, in one place. All are simple interval triggers (UTC, on the app's TimeProvider): the
/// calendar logic — time zones, month ends, daylight saving — is in the rules, not in Quartz. Each trigger is re-declared
/// with <c>StartNow</c> on every start (the declared schedule overwrites the stored one, so a changed interval applies),
/// so every job runs once as the app comes up; a firing missed while the process stalled runs once, not once per missed
/// interval (<see cref="SimpleTriggerMisfireInstruction.NowWithRemainingCount"/>).
/// </summary>
public static class JobSchedules
{
    public static readonly JobKey ReminderTick = new("reminder-tick", "notifications");
    public static readonly JobKey OutboxDelivery = new("outbox-delivery", "notifications");
    public static readonly JobKey BillsAutoCreate = new("bills-auto-create", "bills");
    public static readonly JobKey BankSync = new("bank-sync", "bank-sync");

    public static void Declare(IQuartzBuilder quartz, JobsOptions options)
    {
        Every<ReminderTickJob>(quartz, ReminderTick, options.ReminderTickInterval, "Evaluates bill reminders, summaries and other periodic rules");
        Every<OutboxDeliveryJob>(quartz, OutboxDelivery, options.DeliveryInterval, "Delivers due outbox messages (also woken by every enqueue)");
        Every<BillsAutoCreateJob>(quartz, BillsAutoCreate, options.BillsAutoCreateInterval, "Records the expenses of auto-create bills that fell due");
        InstanceBackupJob.Declare(quartz, options.Backup); // daily at an hour (cron), not an interval
        Every<BankSync.BankSyncJob>(quartz, BankSync, options.BankSyncCheckInterval, "Syncs due bank connections (BankSync:Interval apart, sooner on retries)");
    }

    private static void Every<TJob>(IQuartzBuilder quartz, JobKey key, TimeSpan interval, string description)
        where TJob : class, IJob
    {
        quartz.ScheduleJob<TJob>(
            trigger => trigger
                .WithIdentity(key.Name, key.Group)
                .StartNow()
                .WithSchedule(SimpleScheduleBuilder.Create()
                    .WithInterval(interval)
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithRemainingCount)),
            job => job
                .WithIdentity(key)
                .WithDescription(description)
                .DisallowConcurrentExecution());
    }
}
