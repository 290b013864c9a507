using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Features.Identity;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Admin;

/// <summary>Thrown when someone who does not administer the instance asks for an administrator's action or data.</summary>
public sealed class AdminAccessException() : Exception("Only an administrator of this ExpenseTracker instance can do that.");

/// <summary>A refused administrator action, in words for the page (e.g. locking yourself).</summary>
public sealed class AdminActionException(string message) : Exception(message);

public sealed record AdminUser(
    string Id, string Email, string? DisplayName, DateTime CreatedAt, DateTime? LastSignInAt, bool IsLocked, DateTimeOffset? LockedUntil,
    bool TwoFactorEnabled, int Households, bool IsAdministrator);

public sealed record AdminPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
{
    public int PageCount => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);
}

/// <summary>
/// Who may administer the instance: the users flagged <see cref="AppUser.IsAdministrator"/> and not locked out, checked
/// on every call (a page left open outlives a revoked flag or a lock by up to the revalidation interval).
/// </summary>
public static class AdminAccess
{
    public static async Task<bool> IsAdministratorAsync(AppDbContext db, string? userId, CancellationToken cancellationToken = default)
    {
        if (userId is null)
        {
            return false;
        }

        var admin = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.IsAdministrator)
            .Select(u => new { u.LockoutEnd }).FirstOrDefaultAsync(cancellationToken);
        // Identity stamps lockouts with the system clock, so they are compared with it (as its sign-in does).
        return admin is not null && !(admin.LockoutEnd > DateTimeOffset.UtcNow);
    }

    public static async Task RequireAsync(AppDbContext db, string? userId, CancellationToken cancellationToken = default)
    {
        if (!await IsAdministratorAsync(db, userId, cancellationToken))
        {
            throw new AdminAccessException();
        }
    }
}

/// <summary>
/// The accounts of the whole instance for its administrators: list, lock, unlock, reset the second factor, delete.
/// Every method takes the acting user's id and refuses anyone who is not an administrator.
/// </summary>
public sealed class AdminUsersService(
    IDbContextFactory<AppDbContext> dbFactory, UserManager<AppUser> users, AccountDeletion deletion, ApiTokenCache tokens,
    SecurityAudit audit, TimeProvider time)
{
    public const int MaxPageSize = 100;

    public async Task<AdminPage<AdminUser>> ListAsync(string actorId, string? search, int page = 1, int pageSize = 25, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await AdminAccess.RequireAsync(db, actorId, cancellationToken);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(1, page);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim().ToUpperInvariant();
            // Names in any case: LIKE on SQLite, ILIKE on PostgreSQL (whose LIKE is case-sensitive).
            var pattern = AdminFormat.ContainsPattern(text);
            var byName = db.Members.IgnoreQueryFilters().Where(m => m.UserId != null)
                .WhereLikeIgnoringCase(db.Database, m => m.DisplayName, pattern).Select(m => m.UserId);
            query = query.Where(u => (u.NormalizedEmail != null && u.NormalizedEmail.Contains(text)) || byName.Contains(u.Id));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(u => u.NormalizedEmail).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(u => new { u.Id, u.Email, u.CreatedAt, u.LockoutEnd, u.TwoFactorEnabled, u.IsAdministrator })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var members = await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId != null && ids.Contains(m.UserId) && m.LeftAt == null)
            .Select(m => new { m.UserId, m.DisplayName, m.Id })
            .ToListAsync(cancellationToken);
        var signIns = await db.ChangeLog.AsNoTracking()
            .Where(c => c.Entity == SecurityEvents.Entity && c.Action == SecurityEvents.SignIn && ids.Contains(c.EntityId))
            .GroupBy(c => c.EntityId)
            .Select(g => new { UserId = g.Key, At = g.Max(c => c.At) })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var items = rows.Select(r =>
        {
            var own = members.Where(m => m.UserId == r.Id).OrderBy(m => m.Id).ToList();
            var locked = r.LockoutEnd is { } end && end > now;
            return new AdminUser(r.Id, r.Email ?? string.Empty, own.FirstOrDefault()?.DisplayName, r.CreatedAt,
                signIns.FirstOrDefault(s => s.UserId == r.Id)?.At, locked, locked ? r.LockoutEnd : null, r.TwoFactorEnabled, own.Count, r.IsAdministrator);
        }).ToList();
        return new AdminPage<AdminUser>(items, page, pageSize, total);
    }

    /// <summary>Locks the account until further notice and ends its sessions (new security stamp) and API access.</summary>
    public async Task LockAsync(string actorId, string userId, CancellationToken cancellationToken = default)
    {
        var user = await TargetAsync(actorId, userId, "lock", cancellationToken);
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(user);
        await EvictTokensAsync(userId, cancellationToken);
        await audit.RecordAsync(SecurityEvents.UserLocked, user.Id, actorId, new { email = user.Email }, cancellationToken: cancellationToken);
    }

    public async Task UnlockAsync(string actorId, string userId, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(actorId, userId, cancellationToken);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await audit.RecordAsync(SecurityEvents.UserUnlocked, user.Id, actorId, new { email = user.Email }, cancellationToken: cancellationToken);
    }

    /// <summary>Turns two-factor sign-in off: new authenticator key, no recovery codes left; the person sets it up again.</summary>
    public async Task ResetTwoFactorAsync(string actorId, string userId, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(actorId, userId, cancellationToken);
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        // Identity keeps the recovery codes as an authentication token of its own store.
        await users.RemoveAuthenticationTokenAsync(user, "[AspNetUserStore]", "RecoveryCodes");
        await users.UpdateSecurityStampAsync(user);
        await audit.RecordAsync(SecurityEvents.TwoFactorReset, user.Id, actorId, new { email = user.Email }, cancellationToken: cancellationToken);
    }

    /// <summary>The households that go with the account (it is their only owner), for the confirmation dialog.</summary>
    public async Task<IReadOnlyList<SoleOwnedHousehold>> HouseholdsDeletedWithAsync(string actorId, string userId, CancellationToken cancellationToken = default)
    {
        await FindAsync(actorId, userId, cancellationToken);
        return await deletion.FindSoleOwnedHouseholdsAsync(userId, cancellationToken);
    }

    /// <summary>
    /// Deletes the account as <see cref="AccountDeletion"/> does for its owner; households it alone owns go with it
    /// (the administrator confirmed that by typing the account's email).
    /// </summary>
    public async Task<AccountDeletionResult> DeleteAsync(string actorId, string userId, string typedEmail, CancellationToken cancellationToken = default)
    {
        var user = await TargetAsync(actorId, userId, "delete", cancellationToken);
        if (!string.Equals(typedEmail?.Trim(), user.Email, StringComparison.OrdinalIgnoreCase))
        {
            return AccountDeletionResult.Refused("Type the account's email address exactly to confirm the deletion.");
        }

        var soleOwned = await deletion.FindSoleOwnedHouseholdsAsync(userId, cancellationToken);
        var result = await deletion.DeleteAsync(user, soleOwned.ToDictionary(h => h.Id, h => (string?)h.Name), cancellationToken);
        if (result.Succeeded)
        {
            await audit.RecordAsync(SecurityEvents.UserDeleted, userId, actorId,
                new { email = user.Email, households = result.DeletedHouseholds.Count > 0 ? result.DeletedHouseholds : null }, cancellationToken: cancellationToken);
        }

        return result;
    }

    private async Task<AppUser> FindAsync(string actorId, string userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await AdminAccess.RequireAsync(db, actorId, cancellationToken);
        return await users.FindByIdAsync(userId) ?? throw new AdminActionException("That account no longer exists.");
    }

    /// <summary>An account to lock or delete: never your own, never the last administrator who can still sign in.</summary>
    private async Task<AppUser> TargetAsync(string actorId, string userId, string verb, CancellationToken cancellationToken)
    {
        var user = await FindAsync(actorId, userId, cancellationToken);
        if (user.Id == actorId)
        {
            throw new AdminActionException($"You cannot {verb} your own account here.");
        }

        if (user.IsAdministrator)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow();
            var others = await db.Users.AsNoTracking().Where(u => u.IsAdministrator && u.Id != user.Id).Select(u => u.LockoutEnd).ToListAsync(cancellationToken);
            if (!others.Any(end => end is null || end <= now))
            {
                throw new AdminActionException($"You cannot {verb} the last administrator of this instance.");
            }
        }

        return user;
    }

    private async Task EvictTokensAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hashes = await db.PersonalAccessTokens.IgnoreQueryFilters().AsNoTracking()
            .Where(t => db.Members.IgnoreQueryFilters().Any(m => m.Id == t.MemberId && m.UserId == userId))
            .Select(t => t.TokenHash).ToListAsync(cancellationToken);
        foreach (var hash in hashes)
        {
            tokens.Evict(hash);
        }
    }
}
