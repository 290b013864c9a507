using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using ExpenseTracker.Web.Infrastructure.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NotFoundException = ExpenseTracker.Web.Features.Expenses.NotFoundException;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>
/// Invitations to join a household. The link carries 32 random bytes (base64url); only their SHA-256 is stored.
/// A link works once, for 7 days, until the owner withdraws it. Accepting it works for a newcomer (registration
/// accepts it even while public registration is off) and for someone who already has an account.
/// </summary>
public sealed class InvitationService(
    IDbContextFactory<AppDbContext> dbFactory,
    HouseholdScope scope,
    TimeProvider time,
    IEmailSender email,
    IOptions<SmtpOptions> smtp,
    ILookupNormalizer normalizer,
    ILogger<InvitationService> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>The path of the accept page for a token: <c>/invite/{token}</c>.</summary>
    public static string LinkPath(string token) => "invite/" + token;

    public static string HashToken(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <param name="baseUri">The app's address as the owner's browser sees it (NavigationManager.BaseUri).</param>
    public async Task<InvitationCreated> InviteAsync(string emailAddress, MemberRole role, Uri baseUri, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.InviteMembers, cancellationToken);
        var address = emailAddress?.Trim() ?? string.Empty;
        if (address.Length is 0 or > 256 || !new EmailAddressAttribute().IsValid(address))
        {
            throw new HouseholdValidationException("Enter a valid email address.");
        }

        if (role == MemberRole.Owner)
        {
            throw new HouseholdValidationException("Invite as member, viewer or child; make them an owner once they joined.");
        }

        var normalized = normalizer.NormalizeEmail(address);
        if (await db.Members.AnyAsync(m => m.LeftAt == null && m.User != null && m.User.NormalizedEmail == normalized, cancellationToken))
        {
            throw new HouseholdValidationException($"{address} is already a member of this household.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        // A new invitation to the same address replaces the old link (whose token we cannot show again).
        var older = await db.Invitations
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ToListAsync(cancellationToken);
        foreach (var invitation in older.Where(i => string.Equals(i.Email, address, StringComparison.OrdinalIgnoreCase)))
        {
            invitation.RevokedAt = now;
        }

        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var created = new Invitation
        {
            Email = address,
            Role = role,
            TokenHash = HashToken(token),
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
            CreatedByMemberId = me.MemberId,
        };
        db.Invitations.Add(created);
        await db.SaveChangesAsync(cancellationToken);

        var household = await db.Households.AsNoTracking().Select(h => new { h.Name, h.Culture }).FirstAsync(cancellationToken);
        var inviter = await db.Members.Where(m => m.Id == me.MemberId).Select(m => m.DisplayName).FirstAsync(cancellationToken);
        var link = new Uri(baseUri, LinkPath(token)).AbsoluteUri;
        var delivered = false;
        try
        {
            var culture = CultureInfo.GetCultureInfo(household.Culture);
            await email.SendEmailAsync(address, $"{inviter} invites you to “{household.Name}” on ExpenseTracker",
                $"<p>{HtmlEncoder.Default.Encode(inviter)} invites you to join the household " +
                $"“{HtmlEncoder.Default.Encode(household.Name)}” on ExpenseTracker as {RoleName(role)}.</p>" +
                $"<p><a href=\"{HtmlEncoder.Default.Encode(link)}\">Accept the invitation</a></p>" +
                $"<p>The link works once and expires on {created.ExpiresAt.ToString("D", culture)} (UTC).</p>");
            delivered = smtp.Value.IsConfigured;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The invitation stands: the owner still gets the link to pass on.
            logger.LogWarning(ex, "Could not email the invitation {InvitationId}", created.Id);
        }

        return new InvitationCreated(created.Id, created.Email, created.Role, created.ExpiresAt, link, delivered);
    }

    public async Task<IReadOnlyList<PendingInvitation>> ListPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.InviteMembers, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var pending = await db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt)
            .Select(i => new { i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.CreatedByMemberId })
            .ToListAsync(cancellationToken);
        var names = await db.Members.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.DisplayName, cancellationToken);
        return pending.Select(i => new PendingInvitation(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt,
            i.CreatedByMemberId is { } by ? names.GetValueOrDefault(by) : null)).ToList();
    }

    public async Task RevokeAsync(long invitationId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.InviteMembers, cancellationToken);
        var invitation = await db.Invitations
            .FirstOrDefaultAsync(i => i.Id == invitationId && i.AcceptedAt == null && i.RevokedAt == null, cancellationToken)
            ?? throw new NotFoundException("That invitation");
        invitation.RevokedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What an invitation link leads to, for anyone holding it (no sign-in needed).</summary>
    public async Task<InvitationPreview> PreviewAsync(string? token, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await FindAsync(db, token, cancellationToken);
        if (found is null)
        {
            return new InvitationPreview(InvitationStatus.NotFound, null, MemberRole.Member, null, null, null);
        }

        var (invitation, household, inviter) = found.Value;
        return new InvitationPreview(StatusOf(invitation), invitation.Email, invitation.Role, household, inviter, invitation.ExpiresAt);
    }

    /// <summary>
    /// Joins the invitation's household as the given user with the invited role, spends the link, and makes the
    /// household the user's current one. A person who left earlier gets their old membership back (history keeps
    /// one name). Throws <see cref="InvitationException"/> with a message to show when the link cannot be used.
    /// </summary>
    public async Task<JoinedHousehold> AcceptAsync(string? token, string userId, string? displayName = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await FindAsync(db, token, cancellationToken);
        if (found is null)
        {
            throw Refusal(InvitationStatus.NotFound);
        }

        var (invitation, householdName, _) = found.Value;
        var status = StatusOf(invitation);
        if (status != InvitationStatus.Valid)
        {
            throw Refusal(status);
        }

        var householdId = invitation.HouseholdId;
        var memberships = await db.Members.IgnoreQueryFilters().Where(m => m.UserId == userId).ToListAsync(cancellationToken);
        var existing = memberships.FirstOrDefault(m => m.HouseholdId == householdId);
        if (existing is { LeftAt: null })
        {
            throw new InvitationException(InvitationStatus.Valid, $"You are already a member of “{householdName}”.");
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new InvalidOperationException("That user does not exist.");
        var name = !string.IsNullOrWhiteSpace(displayName) ? displayName.Trim()
            : memberships.Where(m => m.LeftAt == null).OrderByDescending(m => m.JoinedAt).Select(m => m.DisplayName).FirstOrDefault()
              ?? user.Email?.Split('@')[0] ?? "New member";
        var now = time.GetUtcNow().UtcDateTime;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        using (ScopeSwitch.To(scope, householdId, existing?.Id, userId, invitation.Role))
        {
            // Spend the link in one conditional UPDATE: of two people racing with the same link, one wins.
            var spent = await db.Invitations.IgnoreQueryFilters()
                .Where(i => i.Id == invitation.Id && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedByUserId, userId), cancellationToken);
            if (spent == 0)
            {
                throw Refusal(InvitationStatus.Used);
            }

            Member member;
            if (existing is not null)
            {
                member = existing;
                member.LeftAt = null;
                member.Role = invitation.Role;
                member.DisplayName = name;
                member.JoinedAt = now;
            }
            else
            {
                var colors = await db.Members.IgnoreQueryFilters()
                    .Where(m => m.HouseholdId == householdId && m.LeftAt == null).Select(m => m.Color).ToListAsync(cancellationToken);
                member = new Member
                {
                    HouseholdId = householdId,
                    UserId = userId,
                    Role = invitation.Role,
                    DisplayName = name.Length > 60 ? name[..60] : name,
                    Color = HouseholdProvisioning.MemberColors.FirstOrDefault(c => !colors.Contains(c))
                            ?? HouseholdProvisioning.MemberColors[colors.Count % HouseholdProvisioning.MemberColors.Count],
                    JoinedAt = now,
                };
                db.Members.Add(member);
            }

            db.ChangeLog.Add(new ChangeLogEntry
            {
                Entity = nameof(Invitation),
                EntityId = invitation.Id.ToString(CultureInfo.InvariantCulture),
                Action = "Accepted",
                HouseholdId = householdId,
                UserId = userId,
                At = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await db.Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentHouseholdId, householdId), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("User {UserId} joined household {HouseholdId} as {Role}", userId, householdId, invitation.Role);
            return new JoinedHousehold(householdId, householdName, member.Id, member.Role);
        }
    }

    public static string RoleName(MemberRole role) => role switch
    {
        MemberRole.Owner => "an owner",
        MemberRole.Member => "a member",
        MemberRole.Viewer => "a viewer",
        MemberRole.Child => "a child",
        _ => role.ToString(),
    };

    private InvitationStatus StatusOf(Invitation invitation) =>
        invitation.RevokedAt is not null ? InvitationStatus.Revoked
        : invitation.AcceptedAt is not null ? InvitationStatus.Used
        : invitation.ExpiresAt <= time.GetUtcNow().UtcDateTime ? InvitationStatus.Expired
        : InvitationStatus.Valid;

    private static InvitationException Refusal(InvitationStatus status) =>
        new(status, new InvitationPreview(status, null, MemberRole.Member, null, null, null).Message);

    private static async Task<(Invitation Invitation, string Household, string? InvitedBy)?> FindAsync(
        AppDbContext db, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }

        var hash = HashToken(token.Trim());
        // Anonymous and across households by nature: the token is the only key.
        var row = await db.Invitations.AsNoTracking().IgnoreQueryFilters()
            .Where(i => i.TokenHash == hash)
            .Select(i => new
            {
                Invitation = i,
                Household = db.Households.IgnoreQueryFilters().Where(h => h.Id == i.HouseholdId).Select(h => h.Name).First(),
                InvitedBy = db.Members.IgnoreQueryFilters().Where(m => m.Id == i.CreatedByMemberId).Select(m => m.DisplayName).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.Invitation, row.Household, row.InvitedBy);
    }
}
