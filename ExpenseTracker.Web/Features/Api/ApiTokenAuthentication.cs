using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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
/// <c>Authorization: Bearer et_…</c>: looks the token's SHA-256 up, refuses revoked or expired tokens, tokens of members
/// who left and of locked-out users, and records the last use (at most once a minute, so a busy script does not turn
/// every read into a write). The cookie is never consulted for the API: its endpoints name only this scheme.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider time)
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
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var found = await db.PersonalAccessTokens.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Join(db.Members.IgnoreQueryFilters(), t => t.MemberId, m => m.Id, (t, m) => new
            {
                t.Id, t.Scopes, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, m.UserId, m.LeftAt, MemberId = m.Id,
            })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("Unknown token.");
        }

        if (found.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The token was revoked.");
        }

        if (found.ExpiresAt is { } expires && expires <= now)
        {
            return AuthenticateResult.Fail("The token expired.");
        }

        if (found.UserId is null || found.LeftAt is not null)
        {
            return AuthenticateResult.Fail("The token's member is no longer in the household.");
        }

        var locked = await db.Users.AsNoTracking().Where(u => u.Id == found.UserId)
            .Select(u => u.LockoutEnd).FirstOrDefaultAsync(Context.RequestAborted);
        if (locked is { } end && end.UtcDateTime > now)
        {
            return AuthenticateResult.Fail("The account is locked.");
        }

        if (found.LastUsedAt is null || now - found.LastUsedAt.Value >= LastUseResolution)
        {
            var ip = Context.Connection.RemoteIpAddress?.ToString();
            await db.PersonalAccessTokens.IgnoreQueryFilters().Where(t => t.Id == found.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now).SetProperty(t => t.LastUsedIp, ip), Context.RequestAborted);
        }

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, found.UserId),
            new(ApiClaims.Member, found.MemberId.ToString(CultureInfo.InvariantCulture)),
            new(ApiClaims.Token, found.Id.ToString(CultureInfo.InvariantCulture)),
            new(ApiClaims.Scope, "read"),
        ];
        if (found.Scopes.HasFlag(ApiTokenScopes.Write))
        {
            claims.Add(new Claim(ApiClaims.Scope, "write"));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
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
