using ExpenseTracker.Web.Features.Notifications.Rules;
using ExpenseTracker.Web.Infrastructure;
using Quartz;

namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

public static class NotificationJobsServiceCollectionExtensions
{
    /// <summary>
    /// The calendar rules and the tick that runs them (always, so tests and tools can run a tick by hand), and — unless
    /// <c>Jobs:Enabled</c> is false — one Quartz scheduler with its persistent store in <c>quartz.db</c> in the data folder.
    /// </summary>
    public static WebApplicationBuilder AddNotificationJobs(this WebApplicationBuilder builder)
    {
        var options = JobsOptions.From(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddScoped<IPeriodicNotificationRule, BillReminderRule>();
        builder.Services.AddScoped<IPeriodicNotificationRule, SummaryRule>();
        builder.Services.AddScoped<ReminderTick>();
        if (!options.Enabled)
        {
            return builder;
        }

        var storage = StorageOptions.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        var connectionString = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(storage.DataDirectory, "quartz.db"),
            DefaultTimeout = 30,
        }.ToString();

        builder.Services.AddQuartz(quartz =>
        {
            // No UseTimeProvider: Quartz takes the container's TimeProvider, the app's clock (the system's in production),
            // so a test's fake clock drives the scheduler's waits as well as what the rules find due.
            quartz.UseDefaultThreadPool(2);
            quartz.UsePersistentStore(store =>
            {
                store.UseSqlite(connectionString);
                store.ProvisionSchema();
            });
            JobSchedules.Declare(quartz, options);
        });
        builder.Services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        builder.Services.AddSingleton<OutboxWakeListener>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxWakeListener>());
        return builder;
    }
}
