using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

/// <summary>
/// Records the due expenses of auto-create bills, one household at a time, each in a scope bound to that household
/// (no member, no role: the job acts for the household). One household's failure does not stop the others.
/// </summary>
public sealed class BillsAutoCreateJob(IServiceScopeFactory scopes, ILogger<BillsAutoCreateJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        List<long> households;
        await using (var listing = scopes.CreateAsyncScope())
        {
            var db = listing.ServiceProvider.GetRequiredService<AppDbContext>();
            households = await db.Bills.IgnoreQueryFilters()
                .Where(b => b.AutoCreate && b.ArchivedAt == null && b.NextDue != null)
                .Select(b => b.HouseholdId).Distinct().ToListAsync(cancellationToken);
        }

        foreach (var householdId in households)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<HouseholdScope>().Set(householdId);
            try
            {
                var created = await scope.ServiceProvider.GetRequiredService<BillService>().CreateDueAsync(cancellationToken: cancellationToken);
                if (created > 0)
                {
                    logger.LogInformation("Recorded {Count} auto-create bill payment(s) in household {Household}", created, householdId);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Auto-creating bills failed in household {Household}", householdId);
            }
        }
    }
}
