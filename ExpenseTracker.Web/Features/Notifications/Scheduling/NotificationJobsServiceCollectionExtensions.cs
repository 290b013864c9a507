using ExpenseTracker.Web.Features.Notifications.Rules;
using ExpenseTracker.Web.Infrastructure;
using Quartz;

namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

public static class NotificationJobsServiceCollectionExtensions
{
    /// <summary>The scheduler name every instance of a PostgreSQL cluster shares (its rows in the qrtz_* tables).</summary>
    public const string ClusterSchedulerName = "ExpenseTracker";

    /// <summary>
    /// The calendar rules and the tick that runs them (always, so tests and tools can run a tick by hand), and — unless
    /// <c>Jobs:Enabled</c> is false — one Quartz scheduler: on SQLite a single scheduler with its persistent store in
    /// <c>quartz.db</c> in the data folder; on PostgreSQL a node of a cluster stored in the app's database.
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

        var database = DatabaseOptions.FromConfiguration(builder.Configuration);
        builder.Services.AddQuartz(quartz =>
        {
            // No UseTimeProvider: Quartz takes the container's TimeProvider, the app's clock (the system's in production),
            // so a test's fake clock drives the scheduler's waits as well as what the rules find due.
            quartz.UseDefaultThreadPool(2);
            if (database.IsPostgres)
            {
                // Every instance runs one node of the same cluster: the same scheduler name, its own generated id (AUTO),
                // the schedule in qrtz_* tables of the app's database (created by the first node to start). A trigger fires
                // on one node only; a node that stops checking in has its triggers taken over by the others.
                quartz.ConfigureScheduler(scheduler =>
                {
                    scheduler.InstanceName = ClusterSchedulerName;
                    scheduler.GenerateInstanceId = true;
                });
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(database.PostgresConnectionString!);
                    store.ProvisionSchema();
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = options.ClusterCheckinInterval;
                        cluster.CheckinMisfireThreshold = options.ClusterCheckinInterval;
                    });
                });
            }
            else
            {
                var storage = StorageOptions.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
                var connectionString = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
                {
                    DataSource = Path.Combine(storage.DataDirectory, "quartz.db"),
                    DefaultTimeout = 30,
                }.ToString();
                quartz.UsePersistentStore(store =>
                {
                    store.UseSqlite(connectionString);
                    store.ProvisionSchema();
                });
            }

            JobSchedules.Declare(quartz, options);
        });
        builder.Services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        builder.Services.AddSingleton<OutboxWakeListener>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxWakeListener>());
        return builder;
    }
}
