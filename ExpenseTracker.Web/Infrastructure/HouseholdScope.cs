using ExpenseTracker.Web.Data;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>
/// The household (and member) every query and write of this request or circuit is scoped to.
/// Scoped per request/circuit; jobs and command-line tools set it explicitly. Empty means "fail closed":
/// household-owned queries return nothing and writes are refused.
/// </summary>
public sealed class HouseholdScope
{
    public long? HouseholdId { get; private set; }
    public long? MemberId { get; private set; }
    public string? UserId { get; private set; }
    public MemberRole? Role { get; private set; }

    public bool IsSet => HouseholdId is not null;

    public void Set(long householdId, long? memberId = null, string? userId = null, MemberRole? role = null)
    {
        HouseholdId = householdId;
        MemberId = memberId;
        UserId = userId;
        Role = role;
    }

    public void Clear()
    {
        HouseholdId = null;
        MemberId = null;
        UserId = null;
        Role = null;
    }

    /// <summary>Viewers only read; everyone else may log expenses.</summary>
    public bool CanWrite => Role is null ? IsSet : Role is MemberRole.Owner or MemberRole.Member or MemberRole.Child;

    public bool IsOwner => Role == MemberRole.Owner;

    public long RequireHousehold() =>
        HouseholdId ?? throw new HouseholdAccessException("No current household.");
}

public sealed class HouseholdAccessException(string message) : Exception(message);
