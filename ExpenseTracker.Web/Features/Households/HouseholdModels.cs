using ExpenseTracker.Web.Data;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>A mistake the person can fix (a split that does not add up, the last owner leaving); the message says how.</summary>
public sealed class HouseholdValidationException(string message) : Exception(message);

// Members and households

public sealed record MemberSummary(
    long Id,
    string DisplayName,
    string Color,
    MemberRole Role,
    // Shown to owners only; null for everyone else and for former members without an account.
    string? Email,
    DateTime JoinedAt,
    DateTime? LeftAt,
    bool IsMe)
{
    public bool IsFormer => LeftAt is not null;
}

public sealed record HouseholdChoice(long Id, string Name, MemberRole Role, bool IsCurrent);

// Invitations

public enum InvitationStatus
{
    Valid,
    NotFound,
    Expired,
    Used,
    Revoked,
}

public sealed record InvitationCreated(
    long Id,
    string Email,
    MemberRole Role,
    DateTime ExpiresAt,
    // The absolute link to show and copy; its token is never stored.
    string Link,
    // False when no SMTP is configured: the mail went to the data folder, so give the person the link yourself.
    bool EmailDelivered);

public sealed record PendingInvitation(long Id, string Email, MemberRole Role, DateTime CreatedAt, DateTime ExpiresAt, string? InvitedBy);

public sealed record InvitationPreview(
    InvitationStatus Status,
    string? Email,
    MemberRole Role,
    string? HouseholdName,
    string? InvitedBy,
    DateTime? ExpiresAt)
{
    public bool IsValid => Status == InvitationStatus.Valid;

    public string Message => Status switch
    {
        InvitationStatus.Valid => $"You are invited to join “{HouseholdName}”.",
        InvitationStatus.Expired => "This invitation has expired. Ask the household owner for a new one.",
        InvitationStatus.Used => "This invitation has already been used. Sign in, or ask the household owner for a new one.",
        InvitationStatus.Revoked => "This invitation was withdrawn. Ask the household owner for a new one.",
        _ => "This invitation link is not valid. Check that you copied all of it, or ask the household owner for a new one.",
    };
}

public sealed record JoinedHousehold(long HouseholdId, string HouseholdName, long MemberId, MemberRole Role);

public sealed class InvitationException(InvitationStatus status, string message) : Exception(message)
{
    public InvitationStatus Status { get; } = status;
}

// Balances

public sealed record MemberBalance(long MemberId, string DisplayName, string Color, bool IsFormer, long PaidMinor, long ShareMinor)
{
    /// <summary>Positive: the household owes this member; negative: they owe.</summary>
    public long NetMinor => PaidMinor - ShareMinor;
}

public sealed record SuggestedTransfer(long FromMemberId, string FromName, long ToMemberId, string ToName, long AmountMinor);

public sealed record BalanceSheet(string Currency, IReadOnlyList<MemberBalance> Members, IReadOnlyList<SuggestedTransfer> Transfers)
{
    public bool IsSettled => Transfers.Count == 0;
}

public sealed record SettlementRow(long Id, DateOnly Date, long FromMemberId, string FromName, long ToMemberId, string ToName, long AmountMinor, string? Notes);

public sealed record TransactionShares(long TransactionId, long Version, long AmountMinor, long? PaidByMemberId, IReadOnlyList<ShareAmount> Shares)
{
    public bool IsShared => Shares.Count > 0;
}

// Activity

public sealed record FieldChange(string Field, string? Before, string? After);

public sealed record ActivityEntry(
    long Id,
    DateTime At,
    string Who,
    string Entity,
    string EntityId,
    string Action,
    // One readable sentence, e.g. "Ana added an expense of €12.50 (Bakery)".
    string Summary,
    IReadOnlyList<FieldChange> Changes,
    bool IsPrivate);

public sealed record ActivityPage(IReadOnlyList<ActivityEntry> Items, bool HasMore);
