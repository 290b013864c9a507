using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.InstanceBackup;

/// <summary>
/// <c>instance.lock</c> in the data folder, opened exclusively (an OS file lock, released when the process ends, even
/// after kill -9) by the running web app and by a restore. A restore that cannot take it knows the app is running. The
/// app only warns when it cannot take it (a second instance on the same folder): the lock is the restore's guard, and
/// command-line tools such as <c>user</c> and <c>token</c> never take it.
/// </summary>
public static class InstanceLock
{
    public const string FileName = "instance.lock";

    /// <summary>The held lock, or null when another process (or another part of this one) holds it.</summary>
    public static FileStream? TryAcquire(StorageOptions storage)
    {
        try
        {
            return new FileStream(Path.Combine(storage.DataDirectory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>Holds <see cref="InstanceLock"/> while the web app runs.</summary>
public sealed class InstanceLockHolder(StorageOptions storage, ILogger<InstanceLockHolder> logger) : IHostedService, IDisposable
{
    private FileStream? held;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        held = InstanceLock.TryAcquire(storage);
        if (held is null)
        {
            logger.LogWarning("Another process holds {Lock} in the data folder (a restore, or a second instance): a restore cannot tell this one is running",
                InstanceLock.FileName);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        held?.Dispose();
        held = null;
    }
}
