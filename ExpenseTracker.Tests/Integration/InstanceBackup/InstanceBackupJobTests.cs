using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Features.InstanceBackup;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ExpenseTracker.Tests.Integration.InstanceBackup;

/// <summary>
/// The nightly job on the real Quartz scheduler and the app's fake clock: nothing at start-up, a backup at the configured
/// hour; with <c>Backup:Enabled</c> false there is no such job. Waits poll with a generous limit and assert nothing about speed.
/// </summary>
public sealed class InstanceBackupJobTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly InstanceFolder folder = new();

    public void Dispose() => folder.Dispose();

    private TestApp Start(bool backupEnabled) => folder.StartApp(app =>
    {
        app.With("Jobs:Enabled", "true")
            .With("Backup:Enabled", backupEnabled ? "true" : "false")
            .With("Backup:NightlyHour", "4")
            .With("Backup:TimeZone", "Europe/Berlin");

        // 04:00 in Berlin on 16 November is 03:00 UTC; start half a minute before.
        app.Time.SetUtcNow(new DateTimeOffset(2026, 11, 16, 2, 59, 30, TimeSpan.Zero));
    });

    private string[] InstanceBackups() =>
        Directory.Exists(folder.Storage.BackupDirectory) ? Directory.GetFiles(folder.Storage.BackupDirectory, "instance-*.zip") : [];

    [Fact]
    public async Task TheNightlyJobWritesABackupAtTheConfiguredLocalHour()
    {
        await using var app = Start(backupEnabled: true);
        await app.CreateUserWithHouseholdAsync("ana@example.com");
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.Single(await scheduler.GetTriggersOfJob(InstanceBackupJob.Key));
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 3, 0, 0, TimeSpan.Zero), trigger.NextFireTimeUtc);
        Assert.Empty(InstanceBackups());

        var deadline = DateTime.UtcNow + Patience;
        while (InstanceBackups().Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No backup by fake {app.Time.GetUtcNow():o}.");
            await Task.Delay(100);
            app.Time.Advance(TimeSpan.FromSeconds(1)); // Quartz waits on the app's clock
        }

        var backup = Assert.Single(InstanceBackups());
        var taken = InstanceBackupRetention.Parse(Path.GetFileName(backup))!.TakenUtc;
        Assert.InRange(taken, new DateTime(2026, 11, 16, 3, 0, 0), new DateTime(2026, 11, 16, 3, 5, 0));
        var staging = Path.Combine(folder.Storage.DataDirectory, "check");
        await WaitUntilRenamedAsync(backup);
        var manifest = await InstanceRestore.UnpackVerifiedAsync(backup, staging);
        Assert.Equal(1, InstanceFolder.Count(Path.Combine(staging, InstanceBackupManifest.DatabaseEntry), "SELECT COUNT(*) FROM AspNetUsers"));
        Assert.Contains(manifest.Migration ?? "none", InstanceBackupManifest.KnownMigrations);
        Assert.Equal(new DateTimeOffset(2026, 11, 17, 3, 0, 0, TimeSpan.Zero), (await scheduler.GetTrigger(trigger.Key))?.NextFireTimeUtc);
    }

    [Fact]
    public async Task WithBackupDisabledThereIsNoNightlyJob()
    {
        await using var app = Start(backupEnabled: false);
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        Assert.False(await scheduler.Exists(InstanceBackupJob.Key));
        Assert.True(await scheduler.Exists(new JobKey("reminder-tick", "notifications")));
    }

    /// <summary>The file appears only by rename, complete; this just lets the job's own logging finish.</summary>
    private static async Task WaitUntilRenamedAsync(string path)
    {
        Assert.True(File.Exists(path));
        await Task.Yield();
    }
}
