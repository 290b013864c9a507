using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>A token as its member sees it in Settings (never the secret).</summary>
public sealed record ApiTokenSummary(
    long Id, string Name, string Prefix, ApiTokenScopes Scopes, DateTime CreatedAt, DateTime? ExpiresAt,
    DateTime? LastUsedAt, string? LastUsedIp, DateTime? RevokedAt)
{
    public bool IsActive(DateTime utcNow) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > utcNow);
}

/// <summary>A newly created token: <see cref="Secret"/> is shown once and never stored.</summary>
public sealed record CreatedApiToken(ApiTokenSummary Token, string Secret);

/// <summary>
/// Personal access tokens of the current member (<see cref="HouseholdScope"/>): create, list, revoke. A token is
/// <c>et_</c> + 43 characters of base64url (256 random bits); only its SHA-256 is stored.
/// </summary>
public sealed class ApiTokenService(
    IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, ApiTokenCache tokens, TimeProvider time, Admin.SecurityAudit audit)
{
    public const string TokenPrefix = "et_";
    public const int MaxNameLength = 80;
    public const int MaxActiveTokensPerMember = 50;

    /// <summary>The expiry choices the Settings page offers, in days (null = never).</summary>
    public static readonly IReadOnlyList<int?> ExpiryChoices = [7, 30, 90, 365, null];

    public async Task<IReadOnlyList<ApiTokenSummary>> ListMineAsync(CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.MemberId == memberId)
            .OrderByDescending(t => t.Id)
            .Select(t => new ApiTokenSummary(t.Id, t.Name, t.Prefix, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.LastUsedIp, t.RevokedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Creates a token for the current member; <paramref name="expiresInDays"/> null means it never expires.</summary>
    public async Task<CreatedApiToken> CreateAsync(string name, ApiTokenScopes scopes, int? expiresInDays, CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        var trimmed = (name ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            throw new FieldValidationException("name", "Give the token a name, e.g. \"Phone shortcut\".");
        }

        if (trimmed.Length > MaxNameLength)
        {
            throw new FieldValidationException("name", $"The name can be at most {MaxNameLength} characters.");
        }

        if (expiresInDays is < 1 or > 3650)
        {
            throw new FieldValidationException("expiresInDays", "The expiry must be between 1 and 3650 days, or never.");
        }

        scopes = scopes.HasFlag(ApiTokenScopes.Write) ? ApiTokenScopes.ReadWrite : ApiTokenScopes.Read;
        if (scopes.HasFlag(ApiTokenScopes.Write) && !scope.CanWrite)
        {
            throw new FieldValidationException("scopes", "Viewers read only: their tokens can be read-only.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var active = await db.PersonalAccessTokens.CountAsync(
            t => t.MemberId == memberId && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now), cancellationToken);
        if (active >= MaxActiveTokensPerMember)
        {
            throw new FieldValidationException("name", $"You have {active} active tokens; revoke one you no longer use first.");
        }

        var secret = NewSecret();
        var token = new PersonalAccessToken
        {
            HouseholdId = scope.RequireHousehold(),
            MemberId = memberId,
            Name = trimmed,
            TokenHash = Hash(secret),
            Prefix = secret[..(TokenPrefix.Length + 4)],
            Scopes = scopes,
            CreatedAt = now,
            ExpiresAt = expiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.PersonalAccessTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(Admin.SecurityEvents.TokenCreated, token.Id.ToString(CultureInfo.InvariantCulture), scope.UserId,
            new { name = token.Name, scopes = Describe(token.Scopes), expiresAt = token.ExpiresAt }, householdId: token.HouseholdId, cancellationToken: cancellationToken);
        return new CreatedApiToken(
            new ApiTokenSummary(token.Id, token.Name, token.Prefix, token.Scopes, token.CreatedAt, token.ExpiresAt, null, null, null), secret);
    }

    /// <summary>Revokes one of the current member's tokens; it stops working on the next request.</summary>
    public async Task RevokeAsync(long id, CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.PersonalAccessTokens.FirstOrDefaultAsync(t => t.Id == id && t.MemberId == memberId, cancellationToken)
            ?? throw new Expenses.NotFoundException("That token");
        token.RevokedAt ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        tokens.Evict(token.TokenHash);
        await audit.RecordAsync(Admin.SecurityEvents.TokenRevoked, token.Id.ToString(CultureInfo.InvariantCulture), scope.UserId,
            new { name = token.Name }, householdId: token.HouseholdId, cancellationToken: cancellationToken);
    }

    public static string NewSecret()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return TokenPrefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>"read" or "read,write", as the API, the command line and the docs spell scopes.</summary>
    public static string Describe(ApiTokenScopes scopes) => scopes.HasFlag(ApiTokenScopes.Write) ? "read,write" : "read";

    /// <summary>Parses "read", "write", "read,write" (write implies read); false for anything else.</summary>
    public static bool TryParseScopes(string? text, out ApiTokenScopes scopes)
    {
        scopes = ApiTokenScopes.None;
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "read":
                    scopes |= ApiTokenScopes.Read;
                    break;
                case "write":
                case "read-write":
                    scopes |= ApiTokenScopes.ReadWrite;
                    break;
                default:
                    return false;
            }
        }

        return scopes != ApiTokenScopes.None;
    }

    private long RequireMember() =>
        scope.MemberId is { } id && scope.IsSet ? id : throw new HouseholdAccessException("No current household.");
}
