using ExpenseTracker.Web.Features.Notifications.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace ExpenseTracker.Tests.Integration.Cluster;

/// <summary>On PostgreSQL every instance is a node of one Quartz cluster kept in the app's database.</summary>
public sealed class ClusteredSchedulerTests
{
    [SkippableFact]
    public async Task TwoInstancesJoinOneClusterUnderOneNameWithTheirOwnIds()
    {
        await using var database = await SharedPostgres.CreateAsync();
        var a = database.Instance(jobs: true);
        var b = database.Instance(jobs: true);

        var schedulerA = await a.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var schedulerB = await b.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.Equal(NotificationJobsServiceCollectionExtensions.ClusterSchedulerName, schedulerA.SchedulerName);
        Assert.Equal(schedulerA.SchedulerName, schedulerB.SchedulerName);
        Assert.NotEqual(schedulerA.SchedulerInstanceId, schedulerB.SchedulerInstanceId);

        // Both nodes checked in to the same table; the jobs are declared once, in the shared store.
        var nodes = new List<string>();
        for (var attempt = 0; attempt < 60 && nodes.Count < 2; attempt++)
        {
            nodes = await ReadAsync(database, "SELECT instance_name FROM qrtz_scheduler_state WHERE sched_name = $1 ORDER BY 1",
                NotificationJobsServiceCollectionExtensions.ClusterSchedulerName);
            if (nodes.Count < 2)
            {
                await Task.Delay(500);
            }
        }

        Assert.Equal([.. new[] { schedulerA.SchedulerInstanceId, schedulerB.SchedulerInstanceId }.Order(StringComparer.Ordinal)], nodes);
        var jobs = await ReadAsync(database, "SELECT job_name FROM qrtz_job_details WHERE sched_name = $1 ORDER BY 1",
            NotificationJobsServiceCollectionExtensions.ClusterSchedulerName);
        Assert.Contains(JobSchedules.ReminderTick.Name, jobs);
        Assert.Contains(JobSchedules.OutboxDelivery.Name, jobs);
    }

    private static async Task<List<string>> ReadAsync(SharedPostgres database, string sql, string parameter)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
