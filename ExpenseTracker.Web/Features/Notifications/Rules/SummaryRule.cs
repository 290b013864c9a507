using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Notifications.Scheduling;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Rules;

/// <summary>
/// The weekly (Monday 08:00 local, the previous Monday–Sunday) or monthly (the 1st, 08:00 local, the previous calendar
/// month) summary of members who asked for one. Its figures come from the same role-scoped services the pages use, in a
/// scope bound to that member, so a Child's summary holds what a Child sees and nobody reads another member's private
/// expenses (the "private" share the charts fold in is left out of the total too). Pure over the database and the window.
/// </summary>
public sealed class SummaryRule(IDbContextFactory<AppDbContext> dbFactory, IServiceScopeFactory scopes) : IPeriodicNotificationRule
{
    public const string Weekly = "summary-weekly";
    public const string Monthly = "summary-monthly";
    public const int TopCategories = 3;
    public const int BillDays = 7;

    public static readonly TimeOnly SendAt = new(8, 0);

    public string Name => "summaries";

    public async Task<IReadOnlyList<NotificationRequest>> EvaluateAsync(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, CancellationToken cancellationToken)
    {
        List<Recipient> recipients;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            recipients = (await NotificationRecipients.ActiveAsync(db, cancellationToken)).Where(r => r.Summary != SummaryFrequency.None).ToList();
        }

        var requests = new List<NotificationRequest>();
        foreach (var recipient in recipients)
        {
            foreach (var (sendDay, from, to) in Periods(recipient, fromExclusive, toInclusive))
            {
                var at = LocalSchedule.ToUtc(sendDay, SendAt, recipient.Zone);
                requests.Add(await ComposeAsync(recipient, sendDay, from, to, at, cancellationToken));
            }
        }

        return requests;
    }

    /// <summary>The summaries due in the window: the local day each is sent and the days it covers.</summary>
    public static IEnumerable<(DateOnly SendDay, DateOnly From, DateOnly To)> Periods(Recipient recipient, DateTimeOffset fromExclusive, DateTimeOffset toInclusive)
    {
        var (first, last) = LocalSchedule.Dates(fromExclusive, toInclusive, recipient.Zone);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var covers = recipient.Summary switch
            {
                SummaryFrequency.Weekly when day.DayOfWeek == DayOfWeek.Monday => (day.AddDays(-7), day.AddDays(-1)),
                SummaryFrequency.Monthly when day.Day == 1 => (day.AddMonths(-1), day.AddDays(-1)),
                _ => ((DateOnly, DateOnly)?)null,
            };
            if (covers is { } period && LocalSchedule.InWindow(LocalSchedule.ToUtc(day, SendAt, recipient.Zone), fromExclusive, toInclusive))
            {
                yield return (day, period.Item1, period.Item2);
            }
        }
    }

    public static string PeriodKey(SummaryFrequency frequency, DateOnly from) => frequency == SummaryFrequency.Weekly
        ? string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(from.ToDateTime(TimeOnly.MinValue)):0000}-W{ISOWeek.GetWeekOfYear(from.ToDateTime(TimeOnly.MinValue)):00}")
        : from.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private async Task<NotificationRequest> ComposeAsync(Recipient recipient, DateOnly sendDay, DateOnly from, DateOnly to, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HouseholdScope>().Set(recipient.HouseholdId, recipient.MemberId, recipient.UserId, recipient.Role);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var household = await db.Households.AsNoTracking().Select(h => new { h.BaseCurrency, h.Culture, h.MonthStartDay }).FirstAsync(cancellationToken);
        var culture = CultureInfo.GetCultureInfo(household.Culture);
        string Money(long minor) => Infrastructure.Money.Format(minor, household.BaseCurrency, culture);

        var spending = await scope.ServiceProvider.GetRequiredService<AnalyticsService>()
            .SpendingByCategoryAsync(new AnalyticsFilter { From = from, To = to }, cancellationToken);
        var total = spending.TotalMinor - (spending.Private?.AmountMinor ?? 0);

        var weekly = recipient.Summary == SummaryFrequency.Weekly;
        var span = weekly
            ? $"{from.ToString("d MMM", culture)} – {to.ToString("d MMM yyyy", culture)}"
            : new BudgetMonth(from.Year, from.Month).Format(culture);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"You spent {Money(total)} in {span}.");
        var top = spending.Slices.Where(s => s.AmountMinor > 0).Take(TopCategories).ToList();
        if (top.Count > 0)
        {
            body.Append("\n\nTop categories:");
            foreach (var slice in top)
            {
                body.Append(CultureInfo.InvariantCulture, $"\n- {slice.Name}: {Money(slice.AmountMinor)}");
            }
        }

        var over = await OverBudgetAsync(scope.ServiceProvider.GetRequiredService<BudgetService>(), household.MonthStartDay, from, to, cancellationToken);
        if (over.Count > 0)
        {
            body.Append("\n\nBudgets that ended over:");
            foreach (var (month, row) in over)
            {
                body.Append(CultureInfo.InvariantCulture,
                    $"\n- {row.Name} ({month.Format(culture)}): spent {Money(row.Figures.SpentMinor)} of {Money(row.Figures.AvailableMinor)}");
            }
        }

        var bills = await BillsDueAsync(scope.ServiceProvider.GetRequiredService<BillService>(), sendDay, cancellationToken);
        if (bills.Count > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"\n\nBills due in the next {BillDays} days:");
            foreach (var (bill, due) in bills)
            {
                var when = due < sendDay ? $"overdue since {due.ToString("d MMM", culture)}" : due.ToString("ddd d MMM", culture);
                body.Append(CultureInfo.InvariantCulture, $"\n- {bill.Name}: {Money(bill.AmountMinor)}, {when}");
            }
        }

        var title = weekly ? $"Your week: {Money(total)} spent" : $"Your {span}: {Money(total)} spent";
        return new NotificationRequest(
            recipient.HouseholdId, recipient.MemberId, NotificationType.Summary, weekly ? Weekly : Monthly,
            "summary", PeriodKey(recipient.Summary, from), title, body.ToString(), "analytics", at.UtcDateTime);
    }

    /// <summary>Budget months that ended inside the covered days and closed above what was available.</summary>
    private static async Task<List<(BudgetMonth Month, BudgetRow Row)>> OverBudgetAsync(BudgetService budgets, int monthStartDay, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var result = new List<(BudgetMonth, BudgetRow)>();
        for (var month = BudgetPeriods.MonthOf(from, monthStartDay); BudgetPeriods.RangeOf(month, monthStartDay).To <= to; month = month.Next)
        {
            if (BudgetPeriods.RangeOf(month, monthStartDay).To < from)
            {
                continue;
            }

            var view = await budgets.GetMonthAsync(month, cancellationToken);
            var rows = view.Categories.Concat(view.Overall is { } overall ? [overall] : []).Concat(view.Allowances);
            result.AddRange(rows.Where(r => r.Figures.SpentMinor > r.Figures.AvailableMinor).Select(r => (month, r)));
        }

        return result;
    }

    /// <summary>Unpaid occurrences of the bills this member sees, up to <see cref="BillDays"/> days from the send day (overdue ones included).</summary>
    private static async Task<List<(BillDetails Bill, DateOnly Due)>> BillsDueAsync(BillService bills, DateOnly sendDay, CancellationToken cancellationToken)
    {
        var last = sendDay.AddDays(BillDays - 1);
        return (await bills.ListAsync(cancellationToken: cancellationToken))
            .Where(b => b.NextDue is { } next && next <= last)
            .SelectMany(b => BillSchedule.Between(b.Schedule, b.NextDue!.Value, last).Select(d => (b, d)))
            .OrderBy(x => x.d).ThenBy(x => x.b.Name, StringComparer.Ordinal)
            .ToList();
    }
}
