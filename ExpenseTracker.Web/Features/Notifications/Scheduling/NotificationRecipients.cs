using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Scheduling;

/// <summary>A member who can be told things: signed in, not gone, with the zone their reminders follow.</summary>
public sealed record Recipient(long MemberId, long HouseholdId, string UserId, MemberRole Role, TimeZoneInfo Zone, SummaryFrequency Summary);

/// <summary>Everyone in every household who may be notified, read once per evaluation (outside any household scope).</summary>
public static class NotificationRecipients
{
    public static async Task<List<Recipient>> ActiveAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId != null && m.LeftAt == null)
            .Select(m => new
            {
                m.Id,
                m.HouseholdId,
                UserId = m.UserId!,
                m.Role,
                HouseholdZone = m.Household!.TimeZoneId,
                Settings = db.MemberNotificationSettings.IgnoreQueryFilters().FirstOrDefault(s => s.MemberId == m.Id),
            })
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new Recipient(r.Id, r.HouseholdId, r.UserId, r.Role,
                LocalSchedule.Zone(r.Settings?.TimeZoneId, r.HouseholdZone), r.Settings?.Summary ?? SummaryFrequency.None))
            .ToList();
    }
}
