using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Delivery;

public sealed record OutboxFailure(string Key, NotificationChannel Channel, OutboxStatus Status, int Attempts, string? LastError, DateTime NextAttemptAt, DateTime CreatedAt);

public sealed record OutboxStatusSummary(IReadOnlyDictionary<OutboxStatus, int> Counts, IReadOnlyList<OutboxFailure> LatestFailures);

/// <summary>The whole instance's outbox at a glance, for its administrator only (every household's rows).</summary>
public sealed class OutboxStatusService(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int FailuresShown = 10;

    /// <summary>Null unless <paramref name="userId"/> administers the instance.</summary>
    public async Task<OutboxStatusSummary?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.IsAdministrator, cancellationToken))
        {
            return null;
        }

        var outbox = db.OutboxMessages.IgnoreQueryFilters().AsNoTracking();
        var counts = await outbox.GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var failures = await outbox
            .Where(o => o.LastError != null && (o.Status == OutboxStatus.Failed || (o.Status == OutboxStatus.Pending && o.Attempts > 0)))
            .OrderByDescending(o => o.Id)
            .Take(FailuresShown)
            .Select(o => new OutboxFailure(o.Key, o.Channel, o.Status, o.Attempts, o.LastError, o.NextAttemptAt, o.CreatedAt))
            .ToListAsync(cancellationToken);
        var byStatus = Enum.GetValues<OutboxStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
        return new OutboxStatusSummary(byStatus, failures);
    }
}
