using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace ExpenseTracker.Web.Features.BankSync;

/// <summary>
/// Syncs every due connection (Ok or Failing, next attempt reached), each in a scope bound to its household (no member, no
/// role: the job acts for the household). One connection's failure is recorded on it and does not stop the others.
/// </summary>
public sealed class BankSyncScheduler(IServiceScopeFactory scopes, TimeProvider time, ILogger<BankSyncScheduler> logger)
{
    /// <summary>Returns how many connections were attempted.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<(long Id, long HouseholdId)> due;
        await using (var listing = scopes.CreateAsyncScope())
        {
            var db = listing.ServiceProvider.GetRequiredService<AppDbContext>();
            due = [.. (await db.BankConnections.IgnoreQueryFilters()
                .Where(c => (c.Status == BankConnectionStatus.Ok || c.Status == BankConnectionStatus.Failing) && (c.NextAttemptAt == null || c.NextAttemptAt <= now))
                .OrderBy(c => c.NextAttemptAt).Select(c => new { c.Id, c.HouseholdId }).ToListAsync(cancellationToken))
                .Select(c => (c.Id, c.HouseholdId))];
        }

        foreach (var (id, householdId) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<HouseholdScope>().Set(householdId);
            try
            {
                var outcome = await scope.ServiceProvider.GetRequiredService<BankSyncRunner>().SyncAsync(id, cancellationToken);
                if (outcome.Added > 0)
                {
                    logger.LogInformation("Bank sync added {Count} transaction(s) in household {Household}", outcome.Added, householdId);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Bank sync of connection {Connection} failed in household {Household}", id, householdId);
            }
        }

        return due.Count;
    }
}

/// <summary>The Quartz job (declared in <c>JobSchedules</c>) that runs <see cref="BankSyncScheduler.RunDueAsync"/>.</summary>
public sealed class BankSyncJob(BankSyncScheduler scheduler) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await scheduler.RunDueAsync(cancellationToken);
}
