using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>The caller's membership as the database has it now.</summary>
public sealed record ActingMember(long HouseholdId, long MemberId, MemberRole Role, string? UserId);

/// <summary>
/// Checks the role matrix against the membership row, not the role cached in the circuit's scope: a member who
/// was removed or demoted a minute ago is refused at once, even in a circuit opened before.
/// </summary>
public static class HouseholdAccess
{
    public static async Task<ActingMember> RequireAsync(
        AppDbContext db, HouseholdScope scope, HouseholdAction action, CancellationToken cancellationToken = default)
    {
        var householdId = scope.RequireHousehold();
        if (scope.MemberId is not { } memberId)
        {
            throw new HouseholdAccessException("Only a member of this household can do that.");
        }

        var userId = scope.UserId;
        var member = await db.Members.AsNoTracking().IgnoreQueryFilters()
            .Where(m => m.Id == memberId && m.HouseholdId == householdId && m.LeftAt == null)
            .Where(m => userId == null || m.UserId == userId)
            .Select(m => new ActingMember(m.HouseholdId, m.Id, m.Role, m.UserId))
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new HouseholdAccessException("You are no longer a member of this household.");
        HouseholdPermissions.Require(member.Role, action);
        return member;
    }
}

/// <summary>Binds the scope to another household for a few writes, and puts the previous one back.</summary>
internal sealed class ScopeSwitch : IDisposable
{
    private readonly HouseholdScope scope;
    private readonly (long? HouseholdId, long? MemberId, string? UserId, MemberRole? Role) previous;

    private ScopeSwitch(HouseholdScope scope, long householdId, long? memberId, string? userId, MemberRole? role)
    {
        this.scope = scope;
        previous = (scope.HouseholdId, scope.MemberId, scope.UserId, scope.Role);
        scope.Set(householdId, memberId, userId, role);
    }

    public static ScopeSwitch To(HouseholdScope scope, long householdId, long? memberId, string? userId, MemberRole? role) =>
        new(scope, householdId, memberId, userId, role);

    public void Dispose()
    {
        if (previous.HouseholdId is { } id)
        {
            scope.Set(id, previous.MemberId, previous.UserId, previous.Role);
        }
        else
        {
            scope.Clear();
        }
    }
}
