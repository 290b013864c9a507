using System.Globalization;
using System.Net.Sockets;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Notifications.Scheduling;
using ExpenseTracker.Web.Features.Settings;
using ExpenseTracker.Web.Infrastructure;
using ExpenseTracker.Web.Infrastructure.Email;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Quartz;

namespace ExpenseTracker.Web.Features.Admin;

public sealed record SmtpTestResult(bool Succeeded, string Message);

public sealed record JobStatus(string Key, string? Description, DateTimeOffset? PreviousFireUtc, DateTimeOffset? NextFireUtc, bool Executing);

/// <summary><see cref="Enabled"/> false: the scheduler is off (<c>Jobs:Enabled</c> false). <see cref="State"/>: Running, Standby, …</summary>
public sealed record JobsStatus(bool Enabled, string State, IReadOnlyList<JobStatus> Jobs);

public sealed record DiskUseItem(string Name, string Path, long Bytes, int Files);

public sealed record DiskUse(string DataDirectory, IReadOnlyList<DiskUseItem> Items, long TotalBytes, long? FreeBytes, long? VolumeBytes);

/// <summary>
/// The instance around the data: registration switch, mail, scheduled jobs and the data folder's disk use. For
/// administrators only: every method takes the acting user's id and refuses anyone else.
/// </summary>
public sealed class AdminSystemService(
    IDbContextFactory<AppDbContext> dbFactory, InstanceSettingsService settings, SmtpEmailSender mail, IOptions<SmtpOptions> smtp,
    StorageOptions storage, JobsOptions jobs, IServiceProvider services, SecurityAudit audit, TimeProvider time)
{
    public static readonly TimeSpan SmtpTestTimeout = TimeSpan.FromSeconds(20);

    public async Task<bool> IsRegistrationEnabledAsync(string actorId, CancellationToken cancellationToken = default)
    {
        await RequireAsync(actorId, cancellationToken);
        return await settings.IsRegistrationEnabledAsync(cancellationToken);
    }

    public async Task SetRegistrationEnabledAsync(string actorId, bool enabled, CancellationToken cancellationToken = default)
    {
        await RequireAsync(actorId, cancellationToken);
        await settings.SetRegistrationEnabledAsync(enabled, cancellationToken);
        await audit.RecordAsync(SecurityEvents.RegistrationSet, "registration", actorId, new { enabled }, cancellationToken: cancellationToken);
    }

    /// <summary>Sends a short message to the administrator's own address the way the app sends all mail; the outcome in plain words.</summary>
    public async Task<SmtpTestResult> SendTestEmailAsync(string actorId, CancellationToken cancellationToken = default)
    {
        string? email;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await AdminAccess.RequireAsync(db, actorId, cancellationToken);
            email = await db.Users.Where(u => u.Id == actorId).Select(u => u.Email).SingleAsync(cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(email))
        {
            return new SmtpTestResult(false, "Your account has no email address to send the test to.");
        }

        var settings = smtp.Value;
        using var message = new MimeMessage();
        message.To.Add(MailboxAddress.Parse(email));
        message.Subject = "ExpenseTracker test email";
        message.Date = time.GetUtcNow();
        message.Body = new TextPart("plain")
        {
            Text = "This is a test email from your ExpenseTracker instance. If you can read it, outgoing mail works.",
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SmtpTestTimeout);
        var server = settings.IsConfigured ? $"{settings.Host}:{settings.Port.ToString(CultureInfo.InvariantCulture)}" : null;
        try
        {
            await mail.SendAsync(message, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpCommandException or SmtpProtocolException
                                      or AuthenticationException or SslHandshakeException or ServiceNotConnectedException
                                      or OperationCanceledException or FormatException)
        {
            return new SmtpTestResult(false, Explain(e, server, cancellationToken.IsCancellationRequested));
        }

        return server is null
            ? new SmtpTestResult(true, $"No mail server is configured (Smtp:Host), so the test email to {email} was written as an .eml file into the mail folder of the data folder.")
            : new SmtpTestResult(true, $"The test email to {email} was accepted by the mail server {server}.");
    }

    private static string Explain(Exception e, string? server, bool cancelled) => e switch
    {
        OperationCanceledException when !cancelled => $"The mail server {server} did not answer within {SmtpTestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds.",
        OperationCanceledException => "The test was cancelled.",
        SocketException socket => $"Could not connect to the mail server {server}: {socket.Message}. Check Smtp:Host and Smtp:Port, and that the server is running.",
        AuthenticationException => $"The mail server {server} refused the user name or password (Smtp:User, Smtp:Password).",
        SslHandshakeException => $"Could not set up an encrypted connection with {server}: check Smtp:Security (None, StartTls, SslOnConnect) and the port.",
        SmtpCommandException command => $"The mail server {server} refused the message: {command.Message}",
        _ => $"Sending through {server ?? "the mail folder"} failed: {e.Message}",
    };

    /// <summary>The Quartz jobs with their triggers' last and next fire times, or "off" when the scheduler is disabled.</summary>
    public async Task<JobsStatus> GetJobsAsync(string actorId, CancellationToken cancellationToken = default)
    {
        await RequireAsync(actorId, cancellationToken);
        if (!jobs.Enabled || services.GetService<ISchedulerFactory>() is not { } factory)
        {
            return new JobsStatus(false, "Off", []);
        }

        var scheduler = await factory.GetScheduler(cancellationToken);
        var executing = (await scheduler.QueryFireInstances(new FireInstanceQuery(), cancellationToken)).Items
            .Where(f => f.State == FireInstanceState.Executing).Select(f => f.JobKey).ToHashSet();
        var list = new List<JobStatus>();
        foreach (var key in (await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup(), cancellationToken)).OrderBy(k => k.ToString(), StringComparer.Ordinal))
        {
            var detail = await scheduler.GetJobDetail(key, cancellationToken);
            var triggers = await scheduler.GetTriggersOfJob(key, cancellationToken);
            list.Add(new JobStatus(key.ToString(), detail?.Description,
                triggers.Select(t => t.PreviousFireTimeUtc).Max(), triggers.Select(t => t.NextFireTimeUtc).Where(t => t is not null).Min(),
                executing.Contains(key)));
        }

        return new JobsStatus(true, (await scheduler.GetStatus(cancellationToken)).ToString(), list);
    }

    /// <summary>
    /// What the data folder holds, by part, and the free space of its volume. Walks the folders off the caller's thread.
    /// On PostgreSQL the database (scheduler tables included) is measured by the server instead of its files.
    /// </summary>
    public async Task<DiskUse> GetDiskUseAsync(string actorId, CancellationToken cancellationToken = default)
    {
        DiskUseItem? database = null;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await AdminAccess.RequireAsync(db, actorId, cancellationToken);
            if (db.Database.IsNpgsql())
            {
                var size = await db.Database.SqlQuery<PostgresDatabaseSize>(
                    $"""SELECT current_database() AS "Name", pg_database_size(current_database()) AS "Bytes" """).SingleAsync(cancellationToken);
                database = new DiskUseItem("Database", $"PostgreSQL database {size.Name}", size.Bytes, 0);
            }
        }

        return await Task.Run(() => MeasureDiskUse(storage, database), cancellationToken);
    }

    private sealed record PostgresDatabaseSize(string Name, long Bytes);

    /// <summary>The data folder's parts; <paramref name="database"/> (PostgreSQL's, measured by the server) replaces the SQLite files.</summary>
    public static DiskUse MeasureDiskUse(StorageOptions storage, DiskUseItem? database = null)
    {
        var quartz = Path.Combine(storage.DataDirectory, "quartz.db");
        DiskUseItem[] files = database is null
            ?
            [
                File("Database", storage.DatabasePath),
                File("Database write-ahead log", storage.DatabasePath + "-wal"),
                File("Database shared memory", storage.DatabasePath + "-shm"),
                Files("Scheduler database", quartz, quartz, quartz + "-wal", quartz + "-shm", quartz + "-journal"),
            ]
            : [database];
        DiskUseItem[] items =
        [
            .. files,
            Folder("Backups", storage.BackupDirectory),
            Folder("Attachments", storage.AttachmentsDirectory),
            Folder("Data protection keys", storage.KeysDirectory),
            Folder("Mail drop", storage.MailDirectory),
        ];
        long? free = null, size = null;
        try
        {
            var drive = new DriveInfo(storage.DataDirectory);
            (free, size) = (drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Some volumes (e.g. certain network shares) do not report their space: the page then says "unknown".
        }

        return new DiskUse(storage.DataDirectory, items, items.Sum(i => i.Bytes), free, size);
    }

    private static DiskUseItem File(string name, string path) => Files(name, path, path);

    private static DiskUseItem Files(string name, string shownPath, params string[] paths)
    {
        var existing = paths.Select(p => new FileInfo(p)).Where(f => f.Exists).ToList();
        return new DiskUseItem(name, shownPath, existing.Sum(f => f.Length), existing.Count);
    }

    private static DiskUseItem Folder(string name, string path)
    {
        var directory = new DirectoryInfo(path);
        if (!directory.Exists)
        {
            return new DiskUseItem(name, path, 0, 0);
        }

        var files = directory.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }).ToList();
        return new DiskUseItem(name, path, files.Sum(f => f.Length), files.Count);
    }

    private async Task RequireAsync(string actorId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await AdminAccess.RequireAsync(db, actorId, cancellationToken);
    }
}
