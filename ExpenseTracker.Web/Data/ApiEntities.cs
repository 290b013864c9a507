namespace ExpenseTracker.Web.Data;

/// <summary>What a personal access token may do: every token reads; read-write tokens also write.</summary>
[Flags]
public enum ApiTokenScopes
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}

/// <summary>
/// A member's personal access token for the REST API (<c>Authorization: Bearer et_…</c>). Only the SHA-256 of the
/// secret is stored; the secret is shown once when the token is created. The token acts for its member in its
/// household with that member's role, narrowed by <see cref="Scopes"/>.
/// </summary>
public sealed class PersonalAccessToken : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long MemberId { get; set; }
    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole token string; unique.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The token's first characters (e.g. <c>et_4fQz</c>), so a member can tell their tokens apart.</summary>
    public required string Prefix { get; set; }

    public ApiTokenScopes Scopes { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC; null never expires.</summary>
    public DateTime? ExpiresAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
    public string? LastUsedIp { get; set; }
    public DateTime? RevokedAt { get; set; }
}
