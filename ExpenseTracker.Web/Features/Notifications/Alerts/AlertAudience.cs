using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Alerts;

/// <summary>A household as the alert rules need it: its money and calendar settings and who may be told what.</summary>
public sealed record AlertAudience(
    long HouseholdId,
    string Currency,
    CultureInfo Culture,
    string TimeZoneId,
    int MonthStartDay,
    IReadOnlyList<AlertAudience.Person> People)
{
    /// <summary>A member with a sign-in who has not left (nobody else is ever notified).</summary>
    public sealed record Person(long MemberId, MemberRole Role);

    /// <summary>One major unit in minor units (100 for EUR, 1 for JPY): the detectors' smallest meaningful spread.</summary>
    public long UnitMinor => Enumerable.Repeat(10L, Currencies.Exponent(Currency)).Aggregate(1L, (unit, ten) => unit * ten);

    /// <summary>Household-wide news (category and overall budgets, unusual spending): Owners and Members.</summary>
    public IEnumerable<long> Adults => People.Where(p => p.Role is MemberRole.Owner or MemberRole.Member).Select(p => p.MemberId);

    /// <summary>A member's allowance: that member (a child too: it is their own) and the Owners.</summary>
    public IEnumerable<long> ForAllowance(long memberId) =>
        People.Where(p => p.MemberId == memberId || p.Role == MemberRole.Owner).Select(p => p.MemberId);

    /// <summary>A private transaction is only ever mentioned to the member who created it (an adult; children get only their own allowance and bills).</summary>
    public IEnumerable<long> ForPrivate(long? creatorId) =>
        People.Where(p => p.MemberId == creatorId && p.Role is MemberRole.Owner or MemberRole.Member).Select(p => p.MemberId);

    public string Money(long minor) => Infrastructure.Money.Format(minor, Currency, Culture);

    /// <summary>Loads the current household of <paramref name="db"/>'s scope; null when it no longer exists.</summary>
    public static async Task<AlertAudience?> LoadAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var household = await db.Households.AsNoTracking()
            .Select(h => new { h.Id, h.BaseCurrency, h.Culture, h.TimeZoneId, h.MonthStartDay })
            .FirstOrDefaultAsync(cancellationToken);
        if (household is null)
        {
            return null;
        }

        var people = await db.Members.AsNoTracking()
            .Where(m => m.UserId != null && m.LeftAt == null)
            .OrderBy(m => m.Id)
            .Select(m => new Person(m.Id, m.Role))
            .ToListAsync(cancellationToken);
        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo(household.Culture);
        }
        catch (CultureNotFoundException)
        {
            culture = CultureInfo.InvariantCulture;
        }

        return new AlertAudience(household.Id, household.BaseCurrency, culture, household.TimeZoneId, household.MonthStartDay, people);
    }
}
