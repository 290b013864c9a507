using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Identity;

/// <summary>A household that would be left without an owner if this person's account went.</summary>
public sealed record SoleOwnedHousehold(long Id, string Name, int OtherMembers);

public sealed record AccountDeletionResult(bool Succeeded, string? Error, IReadOnlyList<string> DeletedHouseholds)
{
    public static AccountDeletionResult Refused(string error) => new(false, error, []);
}

/// <summary>
/// Deletes a person's account without cascading into household data: their memberships are kept as former
/// members (no user, LeftAt set, display name kept on history). A household whose only owner this person is gets
/// deleted with all its data only when they typed its name exactly; otherwise nothing changes.
/// </summary>
public sealed class AccountDeletion(
    AppDbContext db, HouseholdScope scope, UserManager<AppUser> users, HouseholdDeletion households, TimeProvider time)
{
    public async Task<IReadOnlyList<SoleOwnedHousehold>> FindSoleOwnedHouseholdsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var owned = await db.Members.IgnoreQueryFilters()
            .Where(m => m.UserId == userId && m.LeftAt == null && m.Role == MemberRole.Owner)
            .Select(m => m.HouseholdId)
            .ToListAsync(cancellationToken);
        // A person belongs to a handful of households: the other active members of those few are read in one go.
        var others = await db.Members.IgnoreQueryFilters()
            .Where(m => owned.Contains(m.HouseholdId) && m.UserId != null && m.UserId != userId && m.LeftAt == null)
            .Select(m => new { m.HouseholdId, m.Role })
            .ToListAsync(cancellationToken);
        var households = await db.Households.IgnoreQueryFilters()
            .Where(h => owned.Contains(h.Id))
            .Select(h => new { h.Id, h.Name })
            .ToListAsync(cancellationToken);
        return households
            .Where(h => !others.Any(o => o.HouseholdId == h.Id && o.Role == MemberRole.Owner))
            .Select(h => new SoleOwnedHousehold(h.Id, h.Name, others.Count(o => o.HouseholdId == h.Id)))
            .OrderBy(h => h.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }

    /// <param name="typedHouseholdNames">What the person typed to confirm deleting each sole-owned household, by its id.</param>
    public async Task<AccountDeletionResult> DeleteAsync(
        AppUser user, IReadOnlyDictionary<long, string?> typedHouseholdNames, CancellationToken cancellationToken = default)
    {
        var soleOwned = await FindSoleOwnedHouseholdsAsync(user.Id, cancellationToken);
        var unconfirmed = soleOwned
            .Where(h => !typedHouseholdNames.TryGetValue(h.Id, out var typed) || !string.Equals(typed?.Trim(), h.Name, StringComparison.Ordinal))
            .ToList();
        if (unconfirmed.Count > 0)
        {
            var names = string.Join(", ", unconfirmed.Select(h => "“" + h.Name + "”"));
            return AccountDeletionResult.Refused(
                $"Your account was not deleted. You are the only owner of {names}: deleting your account deletes " +
                "that household with all its expenses. Type the household's name exactly to confirm, or ask another " +
                "member to become an owner first.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var previous = (scope.HouseholdId, scope.MemberId, scope.UserId, scope.Role);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var household in soleOwned)
            {
                scope.Set(household.Id, null, user.Id, MemberRole.Owner);
                await households.DeleteAsync(household.Id, cancellationToken);
            }

            // One save per household: every write is checked against (and logged under) the household it touches.
            var memberships = await db.Members.IgnoreQueryFilters().Where(m => m.UserId == user.Id).ToListAsync(cancellationToken);
            foreach (var member in memberships)
            {
                scope.Set(member.HouseholdId, member.Id, user.Id, member.Role);
                member.UserId = null;
                member.LeftAt ??= now;
                await db.SaveChangesAsync(cancellationToken);
            }

            scope.Clear();
            // Its API tokens are secrets of a person who is gone.
            var memberIds = memberships.Select(m => m.Id).ToList();
            await db.PersonalAccessTokens.IgnoreQueryFilters().Where(t => memberIds.Contains(t.MemberId)).ExecuteDeleteAsync(cancellationToken);
            // Accepted invitations keep the fact, not the account (the foreign key would block the deletion).
            await db.Invitations.IgnoreQueryFilters().Where(i => i.AcceptedByUserId == user.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedByUserId, (string?)null), cancellationToken);
            var result = await users.DeleteAsync(user);
            if (!result.Succeeded)
            {
                await transaction.RollbackAsync(cancellationToken);
                return AccountDeletionResult.Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
            }

            await transaction.CommitAsync(cancellationToken);
            return new AccountDeletionResult(true, null, soleOwned.Select(h => h.Name).ToList());
        }
        finally
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
}
