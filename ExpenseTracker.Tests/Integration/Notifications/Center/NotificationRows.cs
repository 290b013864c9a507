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

    /// <summary>Adds <paramref name="count"/> unread notifications "Notice 0".."Notice n-1", two minutes apart (the last, 2 min ago, newest), in one save.</summary>
    public static async Task AddManyAsync(TestApp app, long householdId, long memberId, int count)
    {
        await using var scope = app.ScopeFor(householdId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < count; i++)
        {
            db.Notifications.Add(new Notification
            {
                HouseholdId = householdId, MemberId = memberId, Key = $"many:{i}:m{memberId}", Rule = "test",
                Title = $"Notice {i}", Body = "Details.", Link = "bills", CreatedAt = now.AddMinutes(2 * (i - count)),
            });
        }

        await db.SaveChangesAsync();
    }
}
