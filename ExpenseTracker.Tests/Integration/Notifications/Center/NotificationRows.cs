using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Center;

/// <summary>Writes in-app notification rows as the delivery helper's in-app channel would (without publishing).</summary>
internal static class NotificationRows
{
    public static async Task<long> AddAsync(
        TestApp app, long householdId, long memberId, string title, DateTime? createdAt = null, string body = "Details.",
        string? link = "bills", bool read = false, NotificationType type = NotificationType.BillReminder)
    {
        await using var scope = app.ScopeFor(householdId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var created = createdAt ?? app.Clock.GetUtcNow().UtcDateTime;
        var notification = new Notification
        {
            HouseholdId = householdId,
            MemberId = memberId,
            Key = $"test:{Guid.NewGuid():N}:m{memberId}",
            Type = type,
            Rule = "test",
            Title = title,
            Body = body,
            Link = link,
            CreatedAt = created,
            ReadAt = read ? created : null,
        };
        db.Notifications.Add(notification);
        await db.SaveChangesAsync();
        return notification.Id;
    }
}
