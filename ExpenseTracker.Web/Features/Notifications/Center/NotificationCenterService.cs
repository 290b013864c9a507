using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Center;

/// <summary>One in-app notification as the bell and the notifications page show it.</summary>
public sealed record NotificationItem(long Id, NotificationType Type, string Title, string Body, string? Link, DateTime CreatedAt, bool IsRead)
{
    /// <summary>The first non-empty line of the body (the bell shows only that).</summary>
    public string FirstLine => NotificationText.FirstLine(Body);

    /// <summary>Where clicking it goes, or null when it links nowhere (or somewhere outside the app).</summary>
    public string? Href => NotificationText.SafeHref(Link);
}

/// <summary>One page of notifications, newest first.</summary>
public sealed record NotificationPage(IReadOnlyList<NotificationItem> Items, int Page, int PageSize, int Total, int UnreadCount)
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;
}

/// <summary>
/// The current member's in-app notifications in the current household: list, unread count, mark read. Only ever the
/// scope's own member: every query adds MemberId to the household query filter, so another member's or another
/// household's notifications are invisible here and cannot be marked (marking them is "not found", never a write).
/// Marking publishes a <see cref="HouseholdChangeKind.Notifications"/> change so the member's other tabs follow.
/// </summary>
public sealed class NotificationCenterService(
    IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time, IHouseholdChangePublisher changes)
{
    public const int MaxPageSize = 100;

    public async Task<NotificationPage> GetPageAsync(int page = 1, int pageSize = 20, bool unreadOnly = false, CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = Mine(db, memberId);
        var unread = await mine.CountAsync(n => n.ReadAt == null, cancellationToken);
        var listed = unreadOnly ? mine.Where(n => n.ReadAt == null) : mine;
        var total = unreadOnly ? unread : await mine.CountAsync(cancellationToken);
        var items = await listed
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(n => new NotificationItem(n.Id, n.Type, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(cancellationToken);
        return new NotificationPage(items, page, pageSize, total, unread);
    }

    public async Task<int> UnreadCountAsync(CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Mine(db, memberId).CountAsync(n => n.ReadAt == null, cancellationToken);
    }

    /// <summary>Marks one of the member's notifications read; false when there is no such notification of theirs.</summary>
    public async Task<bool> MarkReadAsync(long notificationId, CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = Mine(db, memberId).Where(n => n.Id == notificationId);
        if (!await mine.AnyAsync(cancellationToken))
        {
            return false;
        }

        var now = Now();
        var changed = await mine.Where(n => n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        Announce(changed);
        return true;
    }

    /// <summary>Marks every unread notification of the member read; returns how many were unread.</summary>
    public async Task<int> MarkAllReadAsync(CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = Now();
        var changed = await Mine(db, memberId).Where(n => n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        Announce(changed);
        return changed;
    }

    /// <summary>The household query filter applies too (also to ExecuteUpdate): the member id alone is never trusted.</summary>
    private static IQueryable<Notification> Mine(AppDbContext db, long memberId) =>
        db.Notifications.AsNoTracking().Where(n => n.MemberId == memberId);

    private long RequireMember()
    {
        scope.RequireHousehold();
        return scope.MemberId ?? throw new HouseholdAccessException("Notifications belong to a member of the household.");
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private void Announce(int changed)
    {
        // Bulk updates bypass the SaveChanges interceptor: announce by hand so the member's other tabs update their bell.
        if (changed > 0 && scope.HouseholdId is { } householdId)
        {
            changes.Publish(new HouseholdChange(householdId, HouseholdChangeKind.Notifications, time.GetUtcNow()));
        }
    }
}
