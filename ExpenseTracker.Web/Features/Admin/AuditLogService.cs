using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Admin;

/// <param name="SubjectEmail">The email of the account the event is about, when it still exists.</param>
/// <param name="ActorEmail">The email of who did it, when that was someone else (an administrator, an owner).</param>
public sealed record AuditEntry(long Id, DateTime At, string Action, string SubjectId, string? SubjectEmail, string? ActorEmail, string? Details);

/// <summary>The security audit log for administrators: newest first, paged, filtered by event and by user or email text.</summary>
public sealed class AuditLogService(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int MaxPageSize = 100;

    public async Task<AdminPage<AuditEntry>> ListAsync(
        string actorId, string? action = null, string? text = null, int page = 1, int pageSize = 25, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await AdminAccess.RequireAsync(db, actorId, cancellationToken);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(1, page);
        var query = db.ChangeLog.AsNoTracking().Where(c => c.Entity == SecurityEvents.Entity);
        if (!string.IsNullOrWhiteSpace(action))
        {
            query = query.Where(c => c.Action == action);
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            var trimmed = text.Trim();
            var upper = trimmed.ToUpperInvariant();
            var matching = db.Users.Where(u => u.NormalizedEmail != null && u.NormalizedEmail.Contains(upper)).Select(u => u.Id);
            // Details hold the email in its own casing: LIKE on SQLite, ILIKE on PostgreSQL (whose LIKE is case-sensitive).
            var pattern = AdminFormat.ContainsPattern(trimmed);
            var inDetails = db.ChangeLog.Where(c => c.Entity == SecurityEvents.Entity && c.AfterJson != null)
                .WhereLikeIgnoringCase(db.Database, c => c.AfterJson!, pattern).Select(c => c.Id);
            query = query.Where(c => matching.Contains(c.EntityId) || (c.UserId != null && matching.Contains(c.UserId)) || c.EntityId == trimmed
                                     || inDetails.Contains(c.Id));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new
            {
                c.Id, c.At, c.Action, c.EntityId, c.UserId, c.AfterJson,
                Subject = db.Users.Where(u => u.Id == c.EntityId).Select(u => u.Email).FirstOrDefault(),
                Actor = db.Users.Where(u => u.Id == c.UserId).Select(u => u.Email).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var items = rows.Select(r => new AuditEntry(r.Id, r.At, r.Action, r.EntityId, r.Subject,
            r.UserId == r.EntityId ? null : r.Actor, r.AfterJson)).ToList();
        return new AdminPage<AuditEntry>(items, page, pageSize, total);
    }
}
