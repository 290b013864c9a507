using System.Globalization;
using System.Security.Claims;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>What the UI needs to know about the household it works in.</summary>
public sealed record HouseholdInfo(
    long Id,
    string Name,
    string BaseCurrency,
    string TimeZoneId,
    string Culture,
    DayOfWeek FirstDayOfWeek,
    int MonthStartDay,
    long MemberId,
    string MemberName,
    MemberRole Role)
{
    public CultureInfo CultureInfo => CultureInfo.GetCultureInfo(Culture);

    public TimeZoneInfo TimeZone =>
        TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    public bool CanWrite => Role is MemberRole.Owner or MemberRole.Member or MemberRole.Child;

    public string FormatMoney(long minor) => Money.Format(minor, BaseCurrency, CultureInfo);
}

/// <summary>
/// Resolves the signed-in user's current household once per request or circuit and binds the
/// <see cref="HouseholdScope"/> that the query filters read.
/// </summary>
public sealed class CurrentHousehold(AppDbContext db, HouseholdScope scope)
{
    public HouseholdInfo? Info { get; private set; }

    public async Task<HouseholdInfo?> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            scope.Clear();
            Info = null;
            return null;
        }

        if (Info is not null && scope.UserId == userId)
        {
            return Info;
        }

        // The token handler read the member and household already (cached for a few seconds, evicted on member changes).
        if (principal.Identity is ApiTokenIdentity { Household: var tokenHousehold })
        {
            scope.Set(tokenHousehold.Id, tokenHousehold.MemberId, userId, tokenHousehold.Role);
            Info = tokenHousehold;
            return Info;
        }

        var preferred = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.CurrentHouseholdId).FirstOrDefaultAsync(cancellationToken);
        var memberships = await db.Members.AsNoTracking().IgnoreQueryFilters()
            .Where(m => m.UserId == userId && m.LeftAt == null)
            .OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.DisplayName, m.Role, m.Household })
            .ToListAsync(cancellationToken);
        // An API token acts for exactly one membership; never another household of the same person.
        var tokenMember = principal.FindFirstValue(ApiClaims.Member);
        var chosen = tokenMember is not null
            ? memberships.FirstOrDefault(m => m.Id.ToString(CultureInfo.InvariantCulture) == tokenMember)
            : memberships.FirstOrDefault(m => m.Household!.Id == preferred) ?? memberships.FirstOrDefault();
        if (chosen is null)
        {
            scope.Clear();
            Info = null;
            return null;
        }

        var household = chosen.Household!;
        scope.Set(household.Id, chosen.Id, userId, chosen.Role);
        Info = new HouseholdInfo(household.Id, household.Name, household.BaseCurrency, household.TimeZoneId, household.Culture,
            household.FirstDayOfWeek, household.MonthStartDay, chosen.Id, chosen.DisplayName, chosen.Role);
        return Info;
    }

    /// <summary>Forgets the cached household so the next resolve reads fresh settings.</summary>
    public void Invalidate() => Info = null;
}
