namespace ExpenseTracker.Web.Features.InstanceBackup;

public static class InstanceBackupServiceCollectionExtensions
{
    /// <summary>
    /// The instance backup and the lock the running app holds so that a restore can tell. The nightly job itself is
    /// declared with the other jobs (JobSchedules) and exists only when the scheduler does (<c>Jobs:Enabled</c>).
    /// </summary>
    public static WebApplicationBuilder AddInstanceBackup(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(InstanceBackupOptions.From(builder.Configuration));
        builder.Services.AddSingleton<InstanceBackupService>();
        builder.Services.AddHostedService<InstanceLockHolder>();
        return builder;
    }
}
