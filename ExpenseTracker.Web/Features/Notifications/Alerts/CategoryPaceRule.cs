using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Alerts;

/// <summary>
/// Once a day per household, at <see cref="LocalHour"/>:00 household time, judges every category's month-to-date pace
/// (<see cref="CategoryPaceDetector"/>) over spending as budgets count it (Expense − Refund lines, every member's private
/// ones included: budgets are household money; only category totals are told). At most one alert per category and budget
/// month (Period yyyy-MM), to Owners and Members.
/// </summary>
public sealed class CategoryPaceRule(IServiceScopeFactory scopes) : IPeriodicNotificationRule
{
    public const string RuleName = "category-pace";
    public const int LocalHour = 18;

    /// <summary>After a long downtime only the last days are judged: an old pace is no longer news.</summary>
    public const int MaxCatchUpDays = 7;

    public string Name => RuleName;

    public async Task<IReadOnlyList<NotificationRequest>> EvaluateAsync(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, CancellationToken cancellationToken)
    {
        if (toInclusive <= fromExclusive)
        {
            return [];
        }

        List<long> households;
        await using (var root = scopes.CreateAsyncScope())
        {
            var factory = root.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            households = await db.Households.IgnoreQueryFilters().OrderBy(h => h.Id).Select(h => h.Id).ToListAsync(cancellationToken);
        }

        var requests = new List<NotificationRequest>();
        foreach (var householdId in households)
        {
            requests.AddRange(await EvaluateHouseholdAsync(householdId, fromExclusive, toInclusive, cancellationToken));
        }

        return requests;
    }

    /// <summary>The local days whose <see cref="LocalHour"/>:00 falls in (from, to], as (day, that instant in UTC).</summary>
    public static IReadOnlyList<(DateOnly Day, DateTime AtUtc)> DueDays(TimeZoneInfo zone, DateTimeOffset fromExclusive, DateTimeOffset toInclusive)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(fromExclusive, zone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(toInclusive, zone).DateTime);
        var days = new List<(DateOnly, DateTime)>();
        for (var day = last; day >= first && days.Count < MaxCatchUpDays; day = day.AddDays(-1))
        {
            var local = day.ToDateTime(new TimeOnly(LocalHour, 0));
            var utc = zone.IsInvalidTime(local) ? TimeZoneInfo.ConvertTimeToUtc(local.AddHours(1), zone) : TimeZoneInfo.ConvertTimeToUtc(local, zone);
            if (utc > fromExclusive.UtcDateTime && utc <= toInclusive.UtcDateTime)
            {
                days.Add((day, utc));
            }
        }

        days.Reverse();
        return days;
    }

    private async Task<IReadOnlyList<NotificationRequest>> EvaluateHouseholdAsync(long householdId, DateTimeOffset fromExclusive, DateTimeOffset toInclusive, CancellationToken cancellationToken)
    {
        await using var serviceScope = scopes.CreateAsyncScope();
        var scope = serviceScope.ServiceProvider.GetRequiredService<HouseholdScope>();
        scope.Set(householdId);
        var factory = serviceScope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await AlertAudience.LoadAsync(db, cancellationToken) is not { } audience || !audience.Adults.Any())
        {
            return [];
        }

        var days = DueDays(BudgetPeriods.FindZone(audience.TimeZoneId), fromExclusive, toInclusive);
        if (days.Count == 0)
        {
            return [];
        }

        var spending = SpendingQueries.HouseholdWide(db, new ExpenseFilter(), scope).AsNoTracking();
        if (await spending.SpendingKinds().MinAsync(t => (DateOnly?)t.Date, cancellationToken) is not { } firstDate)
        {
            return [];
        }

        var firstMonth = BudgetPeriods.MonthOf(firstDate, audience.MonthStartDay);
        var lastDay = days[^1].Day;
        var windowStart = BudgetPeriods.RangeOf(BudgetPeriods.MonthOf(days[0].Day, audience.MonthStartDay).AddMonths(-CategoryPaceDetector.MonthsBack), audience.MonthStartDay).From;
        var daily = (await spending.Between(windowStart, lastDay).Lines()
                .GroupBy(l => new { l.CategoryId, l.Date })
                .Select(g => new { g.Key.CategoryId, g.Key.Date, AmountMinor = g.Sum(l => l.AmountMinor) })
                .ToListAsync(cancellationToken))
            .Select(r => new DailySpending<long>(r.CategoryId, r.Date, r.AmountMinor))
            .ToList();
        var names = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);

        var requests = new List<NotificationRequest>();
        var told = new HashSet<(long, BudgetMonth)>();
        foreach (var (day, atUtc) in days)
        {
            var month = BudgetPeriods.MonthOf(day, audience.MonthStartDay);
            foreach (var (categoryId, verdict) in CategoryPaceDetector.JudgeDay(daily, day, audience.MonthStartDay, firstMonth, audience.UnitMinor))
            {
                if (!verdict.IsFast || !told.Add((categoryId, month)))
                {
                    continue;
                }

                var name = names.GetValueOrDefault(categoryId, "A category");
                var title = string.Create(audience.Culture, $"{name}: spending much faster than usual");
                var body = string.Create(audience.Culture,
                    $"{audience.Money(verdict.MonthToDateMinor)} so far this month ({day.ToString("d", audience.Culture)}); usually about {audience.Money(verdict.NormalMinor)} by this day, {audience.Money(verdict.NormalMonthMinor)} in a whole month.");
                var range = BudgetPeriods.RangeOf(month, audience.MonthStartDay);
                var link = new ExpenseQuery { Range = ExpenseQuery.Custom, From = range.From, To = range.To, Categories = [categoryId] }.ToUrl();
                requests.AddRange(audience.Adults.Select(member => new NotificationRequest(householdId, member, NotificationType.UnusualSpending, RuleName,
                    string.Create(CultureInfo.InvariantCulture, $"category:{categoryId}"), month.ToString(), title, body, link, atUtc)));
            }
        }

        return requests;
    }
}
