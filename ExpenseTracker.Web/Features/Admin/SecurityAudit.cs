using System.Text.Json;
using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Admin;

/// <summary>The security events the audit log records (<see cref="ChangeLogEntry.Action"/>, at most 20 characters).</summary>
public static class SecurityEvents
{
    public const string Entity = "Security";

    public const string SignIn = nameof(SignIn);
    public const string SignInFailed = nameof(SignInFailed);
    public const string LockedOut = nameof(LockedOut);
    public const string SignOut = nameof(SignOut);
    public const string TwoFactorFailed = nameof(TwoFactorFailed);
    public const string PasswordChanged = nameof(PasswordChanged);
    public const string TokenCreated = nameof(TokenCreated);
    public const string TokenRevoked = nameof(TokenRevoked);
    public const string TokenUsed = nameof(TokenUsed);
    public const string RoleChanged = nameof(RoleChanged);
    public const string MemberRemoved = nameof(MemberRemoved);
    public const string UserLocked = nameof(UserLocked);
    public const string UserUnlocked = nameof(UserUnlocked);
    public const string TwoFactorReset = nameof(TwoFactorReset);
    public const string UserDeleted = nameof(UserDeleted);
    public const string RegistrationSet = nameof(RegistrationSet);

    public static readonly IReadOnlyList<string> All =
    [
        SignIn, SignInFailed, LockedOut, SignOut, TwoFactorFailed, PasswordChanged, TokenCreated, TokenRevoked, TokenUsed,
        RoleChanged, MemberRemoved, UserLocked, UserUnlocked, TwoFactorReset, UserDeleted, RegistrationSet,
    ];
}

/// <summary>
/// Writes security events into the change log (<c>Entity = "Security"</c>, read newest first through the (Entity, At)
/// index). Details are small JSON: who, from where, what changed; never a password, token or other secret. Recording
/// never fails the audited action: a write that fails is logged and dropped.
/// </summary>
public sealed class SecurityAudit(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, ILogger<SecurityAudit> logger)
{
    public const int UserAgentMaxLength = 120;

    /// <param name="subjectId">The user the event is about (the token id for token events); "-" when unknown.</param>
    /// <param name="actorId">Who did it (the same user for sign-ins; the administrator for admin actions).</param>
    /// <param name="details">Anonymous object or dictionary serialised to JSON; its null values are left out.</param>
    public async Task RecordAsync(
        string action, string? subjectId, string? actorId, object? details = null, HttpContext? http = null,
        long? householdId = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var payload = Details(details, http);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.ChangeLog.Add(new ChangeLogEntry
            {
                Entity = SecurityEvents.Entity,
                EntityId = string.IsNullOrEmpty(subjectId) ? "-" : subjectId,
                Action = action,
                UserId = actorId,
                HouseholdId = householdId,
                AfterJson = payload,
                At = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
#pragma warning disable CA1031 // The audit log must never make the audited action fail.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Could not record the security event {Action} for {Subject}", action, subjectId);
        }
    }

    private static string? Details(object? details, HttpContext? http)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        if (details is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(details, JsonOptions).EnumerateObject())
            {
                values[property.Name] = property.Value;
            }
        }

        if (http is not null)
        {
            values["ip"] = http.Connection.RemoteIpAddress?.ToString();
            var agent = http.Request.Headers.UserAgent.ToString();
            values["userAgent"] = agent.Length > UserAgentMaxLength ? agent[..UserAgentMaxLength] : agent;
        }

        var kept = values.Where(v => v.Value is not null && !(v.Value is JsonElement { ValueKind: JsonValueKind.Null }) && !(v.Value is string { Length: 0 }))
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        return kept.Count == 0 ? null : JsonSerializer.Serialize(kept, JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
