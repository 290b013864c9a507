using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NotFoundException = ExpenseTracker.Web.Features.Expenses.NotFoundException;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>
/// Members of the current household and the households of the signed-in person. Removing a member or leaving
/// sets LeftAt and keeps the user id on the row (so history still names them and a re-invitation restores the same
/// member); access ends at once because every check reads LeftAt. The last owner cannot leave or step down.
/// </summary>
public sealed class MembershipService(
    IDbContextFactory<AppDbContext> dbFactory,
    HouseholdScope scope,
    CurrentHousehold currentHousehold,
    HouseholdDeletion deletion,
    StorageOptions storage,
    TimeProvider time,
    Admin.SecurityAudit audit,
    IServiceProvider services)
{
    public async Task<IReadOnlyList<MemberSummary>> ListMembersAsync(bool includeFormer = true, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.ViewMembers, cancellationToken);
        var showEmail = me.Role == MemberRole.Owner;
        return await db.Members.AsNoTracking()
            .Where(m => includeFormer || m.LeftAt == null)
            .OrderBy(m => m.LeftAt != null).ThenBy(m => m.Id)
            .Select(m => new MemberSummary(m.Id, m.DisplayName, m.Color, m.Role,
                showEmail && m.User != null ? m.User.Email : null, m.JoinedAt, m.LeftAt, m.Id == me.MemberId))
            .ToListAsync(cancellationToken);
    }

    public async Task ChangeRoleAsync(long memberId, MemberRole role, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.ManageMembers, cancellationToken);
        var member = await ActiveMemberAsync(db, memberId, cancellationToken);
        if (member.Role == role)
        {
            return;
        }

        if (member.Role == MemberRole.Owner && !await HasOtherOwnerAsync(db, member.Id, cancellationToken))
        {
            throw new HouseholdValidationException("The household needs an owner: make someone else an owner first.");
        }

        if (role == MemberRole.Owner && member.UserId is null)
        {
            throw new HouseholdValidationException("Only someone with an account can be an owner.");
        }

        var from = member.Role;
        member.Role = role;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(Admin.SecurityEvents.RoleChanged, member.UserId ?? "-", scope.UserId,
            new { memberId = member.Id, member = member.DisplayName, from = from.ToString(), to = role.ToString() }, householdId: member.HouseholdId, cancellationToken: cancellationToken);
        Refresh(me.MemberId == member.Id);
    }

    public async Task RemoveMemberAsync(long memberId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.ManageMembers, cancellationToken);
        if (memberId == me.MemberId)
        {
            throw new HouseholdValidationException("To remove yourself, leave the household.");
        }

        var member = await ActiveMemberAsync(db, memberId, cancellationToken);
        await EndMembershipAsync(db, member, cancellationToken);
        await audit.RecordAsync(Admin.SecurityEvents.MemberRemoved, member.UserId ?? "-", scope.UserId,
            new { memberId = member.Id, member = member.DisplayName, role = member.Role.ToString() }, householdId: member.HouseholdId, cancellationToken: cancellationToken);
        if (member.UserId is { } userId)
        {
            // A new security stamp signs the removed person out of every session; open pages close within the
            // revalidation interval (IdentityRevalidatingAuthenticationStateProvider) instead of showing cached data.
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N").ToUpperInvariant())
                .SetProperty(u => u.ConcurrencyStamp, Guid.NewGuid().ToString()), cancellationToken);
        }
    }

    /// <summary>Leaves the current household. The last owner is refused: transfer ownership or delete the household.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.Leave, cancellationToken);
        var member = await ActiveMemberAsync(db, me.MemberId, cancellationToken);
        if (member.Role == MemberRole.Owner && !await HasOtherOwnerAsync(db, member.Id, cancellationToken))
        {
            throw new HouseholdValidationException(
                "You are the last owner of this household. Transfer ownership to someone else, or delete the household.");
        }

        await EndMembershipAsync(db, member, cancellationToken);
        Refresh(true);
    }

    /// <summary>Makes another member the owner; the current owner becomes a member.</summary>
    public async Task TransferOwnershipAsync(long toMemberId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.TransferOwnership, cancellationToken);
        if (toMemberId == me.MemberId)
        {
            throw new HouseholdValidationException("Choose someone else to become the owner.");
        }

        var target = await ActiveMemberAsync(db, toMemberId, cancellationToken);
        if (target.UserId is null)
        {
            throw new HouseholdValidationException("Only someone with an account can be an owner.");
        }

        var self = await ActiveMemberAsync(db, me.MemberId, cancellationToken);
        target.Role = MemberRole.Owner;
        self.Role = MemberRole.Member;
        await db.SaveChangesAsync(cancellationToken);
        Refresh(true);
    }

    /// <summary>The households the signed-in person belongs to, for the app bar's switcher.</summary>
    public async Task<IReadOnlyList<HouseholdChoice>> ListMyHouseholdsAsync(CancellationToken cancellationToken = default)
    {
        var userId = scope.UserId ?? throw new HouseholdAccessException("Sign in first.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var current = scope.HouseholdId;
        // Across households on purpose: the explicit UserId condition is the filter.
        return await db.Members.AsNoTracking().IgnoreQueryFilters()
            .Where(m => m.UserId == userId && m.LeftAt == null)
            .OrderBy(m => m.Household!.Name)
            .Select(m => new HouseholdChoice(m.HouseholdId, m.Household!.Name, m.Role, m.HouseholdId == current))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Makes another of the person's households the current one. Reload the page afterwards
    /// (NavigationManager.NavigateTo(uri, forceLoad: true)) so every component and query follows it.
    /// </summary>
    public async Task SwitchAsync(long householdId, CancellationToken cancellationToken = default)
    {
        var userId = scope.UserId ?? throw new HouseholdAccessException("Sign in first.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var member = await db.Members.AsNoTracking().IgnoreQueryFilters()
            .Where(m => m.UserId == userId && m.HouseholdId == householdId && m.LeftAt == null)
            .Select(m => new { m.Id, m.Role })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("That household");
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentHouseholdId, householdId), cancellationToken);
        scope.Set(householdId, member.Id, userId, member.Role);
        currentHousehold.Invalidate();
    }

    /// <summary>
    /// A consistent copy before deleting; returns its path on the server. On SQLite the whole database (online backup);
    /// on PostgreSQL, where the database is the operator's to dump, this household's own backup file (the format the
    /// household Backup page restores).
    /// </summary>
    public async Task<string> BackupBeforeDeletingAsync(CancellationToken cancellationToken = default)
    {
        bool postgres;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.DeleteHousehold, cancellationToken);
            postgres = db.Database.IsNpgsql();
        }

        if (!postgres)
        {
            return await Task.Run(() => DatabaseSetup.Backup(storage, time), cancellationToken);
        }

        Directory.CreateDirectory(storage.BackupDirectory);
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", System.Globalization.CultureInfo.InvariantCulture);
        var path = Path.Combine(storage.BackupDirectory, $"household-{scope.HouseholdId}-{stamp}.zip");
        var partial = path + ".partial";
        await using (var file = File.Create(partial))
        {
            await services.GetRequiredService<Backup.HouseholdBackup>().WriteAsync(file, cancellationToken);
        }

        File.Move(partial, path);
        return path;
    }

    /// <summary>Deletes the current household with all its data, once the owner typed its name exactly.</summary>
    public async Task DeleteHouseholdAsync(string typedName, CancellationToken cancellationToken = default)
    {
        long householdId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.DeleteHousehold, cancellationToken);
            householdId = me.HouseholdId;
            var name = await db.Households.Select(h => h.Name).FirstAsync(cancellationToken);
            if (!string.Equals(typedName?.Trim(), name, StringComparison.Ordinal))
            {
                throw new HouseholdValidationException($"Type the household's name, “{name}”, exactly to confirm.");
            }
        }

        await deletion.DeleteAsync(householdId, cancellationToken);
        Refresh(true);
    }

    private async Task EndMembershipAsync(AppDbContext db, Member member, CancellationToken cancellationToken)
    {
        member.LeftAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        if (member.UserId is { } userId)
        {
            var householdId = member.HouseholdId;
            await db.Users.Where(u => u.Id == userId && u.CurrentHouseholdId == householdId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentHouseholdId, (long?)null), cancellationToken);
        }
    }

    private static async Task<Member> ActiveMemberAsync(AppDbContext db, long memberId, CancellationToken cancellationToken) =>
        await db.Members.FirstOrDefaultAsync(m => m.Id == memberId && m.LeftAt == null, cancellationToken)
        ?? throw new NotFoundException("That member");

    private static Task<bool> HasOtherOwnerAsync(AppDbContext db, long memberId, CancellationToken cancellationToken) =>
        db.Members.AnyAsync(m => m.Id != memberId && m.Role == MemberRole.Owner && m.LeftAt == null && m.UserId != null, cancellationToken);

    /// <summary>The signed-in person's own role or membership changed: the next resolve reads it fresh.</summary>
    private void Refresh(bool mine)
    {
        if (mine)
        {
            currentHousehold.Invalidate();
        }
    }
}
