using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Notifications.Scheduling;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Rules;

/// <summary>
/// Bill reminders, in each recipient's own time zone: "due in N days" at 09:00 on due − N (N = the bill's lead days; none
/// when N is 0), "due today" at 08:00 on the due date, "overdue" at 09:00 the day after. Only occurrences not yet paid
/// count (on or after <see cref="Bill.NextDue"/>), read when the tick runs, so a bill paid before a reminder's time gets
/// no reminder. Archived bills and ended schedules (no next due) get none. A household bill goes to Owners, Members and
/// Viewers; a personal bill only to its member. A bill added after its "due soon" time is reminded as it is added.
/// Pure over the database and the window: no clock.
/// </summary>
public sealed class BillReminderRule(IDbContextFactory<AppDbContext> dbFactory) : IPeriodicNotificationRule
{
    public const string DueSoon = "bill-due-soon";
    public const string DueToday = "bill-due-today";
    public const string Overdue = "bill-overdue";

    public static readonly TimeOnly SoonAt = new(9, 0);
    public static readonly TimeOnly TodayAt = new(8, 0);
    public static readonly TimeOnly OverdueAt = new(9, 0);

    public string Name => "bill-reminders";

    /// <summary>
    /// A bill's CreatedAt is stamped before its insert commits: a tick that read the bills in between moves its window past
    /// it and would never see it. "Added late" looks this far behind the window; the outbox key keeps it to one message.
    /// </summary>
    public static readonly TimeSpan AddedLateGrace = TimeSpan.FromMinutes(10);

    public async Task<IReadOnlyList<NotificationRequest>> EvaluateAsync(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bills = await db.Bills.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.ArchivedAt == null && b.NextDue != null)
            .OrderBy(b => b.Id)
            .ToListAsync(cancellationToken);
        if (bills.Count == 0)
        {
            return [];
        }

        var householdIds = bills.Select(b => b.HouseholdId).Distinct().ToList();
        var cultures = await db.Households.IgnoreQueryFilters().AsNoTracking()
            .Where(h => householdIds.Contains(h.Id))
            .ToDictionaryAsync(h => h.Id, h => CultureInfo.GetCultureInfo(h.Culture), cancellationToken);
        var recipients = (await NotificationRecipients.ActiveAsync(db, cancellationToken)).ToLookup(r => r.HouseholdId);

        var requests = new List<NotificationRequest>();
        foreach (var bill in bills)
        {
            var culture = cultures[bill.HouseholdId];
            foreach (var recipient in recipients[bill.HouseholdId].Where(r => IsRecipient(bill, r)))
            {
                requests.AddRange(Due(bill, recipient, culture, fromExclusive, toInclusive));
                requests.AddRange(AddedLate(bill, recipient, culture, fromExclusive - AddedLateGrace, toInclusive));
            }
        }

        return requests;
    }

    public static bool IsRecipient(Bill bill, Recipient recipient) =>
        bill.OwnerMemberId is { } owner
            ? recipient.MemberId == owner
            : recipient.Role is MemberRole.Owner or MemberRole.Member or MemberRole.Viewer;

    private static IEnumerable<NotificationRequest> Due(Bill bill, Recipient recipient, CultureInfo culture, DateTimeOffset from, DateTimeOffset to)
    {
        var nextDue = bill.NextDue!.Value;
        var lead = Math.Max(0, bill.ReminderLeadDays);
        var (firstDay, lastDay) = LocalSchedule.Dates(from, to, recipient.Zone);

        // Occurrences whose soon (due − lead), today (due) or overdue (due + 1) day falls in the window's local days.
        var candidates = BillSchedule.Between(BillScheduleSpec.Of(bill), Max(firstDay.AddDays(-1), nextDue), lastDay.AddDays(lead));
        foreach (var due in candidates)
        {
            if (lead > 0)
            {
                var soon = LocalSchedule.ToUtc(due.AddDays(-lead), SoonAt, recipient.Zone);
                if (LocalSchedule.InWindow(soon, from, to))
                {
                    yield return Request(bill, recipient, culture, DueSoon, due, soon, lead);
                }
            }

            var today = LocalSchedule.ToUtc(due, TodayAt, recipient.Zone);
            if (LocalSchedule.InWindow(today, from, to))
            {
                yield return Request(bill, recipient, culture, DueToday, due, today, lead);
            }

            var overdue = LocalSchedule.ToUtc(due.AddDays(1), OverdueAt, recipient.Zone);
            if (LocalSchedule.InWindow(overdue, from, to))
            {
                yield return Request(bill, recipient, culture, Overdue, due, overdue, lead);
            }
        }
    }

    /// <summary>
    /// A bill added after its next occurrence's "due soon" time (a bill due tomorrow, entered today) is reminded when it is
    /// added, with the days actually left — the same outbox key as the regular reminder, so never twice.
    /// </summary>
    private static IEnumerable<NotificationRequest> AddedLate(Bill bill, Recipient recipient, CultureInfo culture, DateTimeOffset from, DateTimeOffset to)
    {
        var created = new DateTimeOffset(DateTime.SpecifyKind(bill.CreatedAt, DateTimeKind.Utc));
        var lead = Math.Max(0, bill.ReminderLeadDays);
        if (lead == 0 || !LocalSchedule.InWindow(created, from, to))
        {
            yield break;
        }

        var due = bill.NextDue!.Value;
        var soon = LocalSchedule.ToUtc(due.AddDays(-lead), SoonAt, recipient.Zone);
        var today = LocalSchedule.ToUtc(due, TodayAt, recipient.Zone);
        if (soon < created && created < today)
        {
            var left = due.DayNumber - DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(created, recipient.Zone).DateTime).DayNumber;
            if (left > 0)
            {
                yield return Request(bill, recipient, culture, DueSoon, due, created, left);
            }
        }
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static NotificationRequest Request(Bill bill, Recipient recipient, CultureInfo culture, string rule, DateOnly due, DateTimeOffset at, int lead)
    {
        var amount = (bill.IsEstimate ? "about " : "") + Money.Format(bill.AmountMinor, bill.Currency, culture);
        var date = due.ToString("D", culture);
        var payee = bill.PayeeName is { Length: > 0 } p && !string.Equals(p, bill.Name, StringComparison.Ordinal) ? $" to {p}" : "";
        var (title, body) = rule switch
        {
            DueSoon => ($"{bill.Name} is due in {Days(lead)}",
                $"{bill.Name} ({amount}{payee}) is due in {Days(lead)}, on {date}."),
            DueToday => ($"{bill.Name} is due today",
                $"{bill.Name} ({amount}{payee}) is due today, {date}."),
            _ => ($"{bill.Name} is overdue",
                $"{bill.Name} ({amount}{payee}) was due on {date} and is not marked as paid yet."),
        };
        return new NotificationRequest(
            bill.HouseholdId, recipient.MemberId, NotificationType.BillReminder, rule,
            "bill:" + bill.Id.ToString(CultureInfo.InvariantCulture),
            due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            title, body, "bills", at.UtcDateTime);
    }

    private static string Days(int days) => days == 1 ? "1 day" : days.ToString(CultureInfo.InvariantCulture) + " days";
}
