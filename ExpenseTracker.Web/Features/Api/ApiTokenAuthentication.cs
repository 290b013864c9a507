using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>Claim types a token principal carries besides the user id.</summary>
public static class ApiClaims
{
    /// <summary>The member the token acts as; <see cref="Infrastructure.CurrentHousehold"/> resolves exactly this membership.</summary>
    public const string Member = "et:member";
    public const string Token = "et:token";
    /// <summary>One claim per scope: "read", "write".</summary>
    public const string Scope = "scope";
}

/// <summary>
/// What a valid token resolves to: the token, its member and that member's household. Cached for a few seconds by
/// <see cref="ApiTokenCache"/>, so a busy script's requests cost no lookup; <see cref="LastUsedAt"/> is this instance's
/// latest knowledge of the stored last use.
/// </summary>
public sealed class ApiTokenGrant(long tokenId, ApiTokenScopes scopes, DateTime? expiresAt, DateTime? lastUsedAt, string userId, HouseholdInfo household)
{
    public long TokenId { get; } = tokenId;
    public ApiTokenScopes Scopes { get; } = scopes;
    public DateTime? ExpiresAt { get; } = expiresAt;
    public string UserId { get; } = userId;
    public HouseholdInfo Household { get; } = household;
    public DateTime? LastUsedAt { get; set; } = lastUsedAt;
}

/// <summary>
/// The token principal's identity: it carries the member's household as the handler read it, so
/// <see cref="CurrentHousehold"/> binds it without another query.
/// </summary>
public sealed class ApiTokenIdentity(IEnumerable<Claim> claims, HouseholdInfo household)
    : ClaimsIdentity(claims, ApiTokenAuthenticationHandler.SchemeName)
{
    public HouseholdInfo Household { get; } = household;
}

/// <summary>
/// Valid tokens by hash, for <see cref="Lifetime"/>. Expiry is checked on every request against the cached expiry;
/// a revocation in this process evicts at once (<see cref="Evict"/>), and so does any change to a household's members
/// (a member who leaves, a role change, a removed user: <see cref="HouseholdChangeKind.Members"/>). A lock-out or a
/// change of household settings, and revocations made by another instance, take effect within <see cref="Lifetime"/>.
/// Failures are never cached: an unknown token is looked up every time (the per-IP rate limit bounds guessing).
/// </summary>
public sealed class ApiTokenCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private readonly IMemoryCache cache;
    private readonly ConcurrentDictionary<long, CancellationTokenSource> households = new();

    public ApiTokenCache(IMemoryCache cache, HouseholdChangeNotifier notifier)
    {
        this.cache = cache;
        notifier.AddInvalidator(change =>
        {
            if (!change.Kind.HasFlag(HouseholdChangeKind.Members))
            {
                return;
            }

            foreach (var household in change.HouseholdId == HouseholdChangeNotifier.EveryHousehold ? [.. households.Keys] : (long[])[change.HouseholdId])
            {
                if (households.TryRemove(household, out var members))
                {
                    members.Cancel();
                    members.Dispose();
                }
            }
        });
    }

    public ApiTokenGrant? Find(string hash) => cache.Get<ApiTokenGrant>(Key(hash));

    public void Add(string hash, ApiTokenGrant grant)
    {
        var members = households.GetOrAdd(grant.Household.Id, _ => new CancellationTokenSource());
        try
        {
            using var entry = cache.CreateEntry(Key(hash));
            entry.Value = grant;
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
            entry.AddExpirationToken(new CancellationChangeToken(members.Token));
        }
        catch (ObjectDisposedException)
        {
            // The household's members changed while this was read: do not keep what may be stale.
        }
    }

    public void Evict(string hash) => cache.Remove(Key(hash));

    private static string Key(string hash) => "api-token:" + hash;
}

/// <summary>
/// <c>Authorization: Bearer et_…</c>: looks the token's SHA-256 up (through <see cref="ApiTokenCache"/>), refuses revoked
/// or expired tokens, tokens of members who left and of locked-out users, and records the last use (at most once a
/// minute, so a busy script does not turn every read into a write). The cookie is never consulted for the API: its
/// endpoints name only this scheme.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<AppDbContext> dbFactory,
    ApiTokenCache tokens,
    TimeProvider time,
    Admin.SecurityAudit audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(ApiTokenService.TokenPrefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return AuthenticateResult.Fail("The token is not an ExpenseTracker token.");
        }

        var hash = ApiTokenService.Hash(secret);
        var now = time.GetUtcNow().UtcDateTime;
        var grant = tokens.Find(hash);
        if (grant is null)
        {
            var (found, failure) = await LookUpAsync(hash, now);
            if (found is null)
            {
                return AuthenticateResult.Fail(failure!);
            }

            tokens.Add(hash, grant = found);
        }

        if (grant.ExpiresAt is { } expires && expires <= now)
        {
            tokens.Evict(hash);
            return AuthenticateResult.Fail("The token expired.");
        }

        if (grant.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUseResolution)
        {
            grant.LastUsedAt = now;
            var ip = Context.Connection.RemoteIpAddress?.ToString();
            await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
            await db.PersonalAccessTokens.IgnoreQueryFilters().Where(t => t.Id == grant.TokenId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now).SetProperty(t => t.LastUsedIp, ip), Context.RequestAborted);
            // As often as the last use is written (once a minute per token), never once per request.
            await audit.RecordAsync(Admin.SecurityEvents.TokenUsed, grant.TokenId.ToString(CultureInfo.InvariantCulture), grant.UserId,
                null, Context, grant.Household.Id, Context.RequestAborted);
        }

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, grant.UserId),
            new(ApiClaims.Member, grant.Household.MemberId.ToString(CultureInfo.InvariantCulture)),
            new(ApiClaims.Token, grant.TokenId.ToString(CultureInfo.InvariantCulture)),
            new(ApiClaims.Scope, "read"),
        ];
        if (grant.Scopes.HasFlag(ApiTokenScopes.Write))
        {
            claims.Add(new Claim(ApiClaims.Scope, "write"));
        }

        var principal = new ClaimsPrincipal(new ApiTokenIdentity(claims, grant.Household));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>One query: the token, its member (still in the household, user not locked out) and the household.</summary>
    private async Task<(ApiTokenGrant? Grant, string? Failure)> LookUpAsync(string hash, DateTime now)
    {
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var found = await db.PersonalAccessTokens.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Join(db.Members.IgnoreQueryFilters(), t => t.MemberId, m => m.Id, (t, m) => new { Token = t, Member = m })
            .Select(x => new
            {
                x.Token.Id, x.Token.Scopes, x.Token.ExpiresAt, x.Token.RevokedAt, x.Token.LastUsedAt,
                x.Member.UserId, x.Member.LeftAt, MemberId = x.Member.Id, x.Member.DisplayName, x.Member.Role, x.Member.Household,
                LockoutEnd = db.Users.Where(u => u.Id == x.Member.UserId).Select(u => u.LockoutEnd).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null)
        {
            return (null, "Unknown token.");
        }

        if (found.RevokedAt is not null)
        {
            return (null, "The token was revoked.");
        }

        if (found.ExpiresAt is { } expires && expires <= now)
        {
            return (null, "The token expired.");
        }

        if (found.UserId is null || found.LeftAt is not null || found.Household is null)
        {
            return (null, "The token's member is no longer in the household.");
        }

        if (found.LockoutEnd is { } end && end.UtcDateTime > now)
        {
            return (null, "The account is locked.");
        }

        var household = found.Household;
        var info = new HouseholdInfo(household.Id, household.Name, household.BaseCurrency, household.TimeZoneId, household.Culture,
            household.FirstDayOfWeek, household.MonthStartDay, found.MemberId, found.DisplayName, found.Role);
        return (new ApiTokenGrant(found.Id, found.Scopes, found.ExpiresAt, found.LastUsedAt, found.UserId, info), null);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{failure}\"";
        await ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            failure ?? "Send a personal access token: Authorization: Bearer et_… (create one in Settings → API tokens).");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden",
            "This token is read-only; create a read-write token to change data.");
    }
}
