using System.Globalization;
using Quartz;

namespace ExpenseTracker.Web.Features.InstanceBackup;

/// <summary>
/// The nightly backup of the whole instance: a cron trigger at <see cref="InstanceBackupOptions.NightlyHour"/>:00 in
/// <see cref="InstanceBackupOptions.Zone"/>, fired by Quartz on the app's TimeProvider. Unlike the interval jobs it does
/// not run as the app starts; a night the app was down is simply skipped (the next night backs up everything anyway).
/// </summary>
public sealed class InstanceBackupJob(InstanceBackupService backups, ILogger<InstanceBackupJob> logger) : IJob
{
    public static readonly JobKey Key = new("instance-backup", "backup");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var result = await backups.CreateAsync(cancellationToken: cancellationToken);
            if (result.Deleted.Count > 0)
            {
                logger.LogInformation("Retention removed {Count} old instance backup(s): {Names}", result.Deleted.Count, string.Join(", ", result.Deleted));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            // A full disk or a locked file: logged, and tried again the next night; the older backups are untouched.
            logger.LogError(e, "The nightly instance backup failed");
        }
    }

    /// <summary>Adds the nightly trigger (nothing when <c>Backup:Enabled</c> is false).</summary>
    public static void Declare(IQuartzBuilder quartz, InstanceBackupOptions options)
    {
        if (!options.Enabled)
        {
            return;
        }

        quartz.ScheduleJob<InstanceBackupJob>(
            trigger => trigger
                .WithIdentity(Key.Name, Key.Group)
                .WithSchedule(CronScheduleBuilder.Create(string.Create(CultureInfo.InvariantCulture, $"0 0 {options.NightlyHour} * * ?"))
                    .InTimeZone(options.Zone)
                    .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            job => job
                .WithIdentity(Key)
                .WithDescription("Backs up the whole instance (database, attachments, keys) into backups/ and applies retention")
                .DisallowConcurrentExecution());
    }
}
