using System.Globalization;
using System.Security.Cryptography;
using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace ExpenseTracker.Web.Features.Notifications.Unsubscribe;

/// <summary>What an unsubscribe link switches off: one notification type's emails for one member.</summary>
public sealed record UnsubscribeRequest(long MemberId, NotificationType Type);

/// <summary>
/// Signed unsubscribe tokens (Data Protection, a purpose of their own, no expiry: a link in an old email keeps working).
/// They name a member and a type, nothing else, and grant nothing but switching that type's emails off.
/// </summary>
public sealed class UnsubscribeTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("ExpenseTracker.Notifications.Unsubscribe.v1");

    public string Create(long memberId, NotificationType type) =>
        protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{memberId}:{(int)type}"));

    /// <summary>Null when the token is missing, altered, or was made by another instance's keys.</summary>
    public UnsubscribeRequest? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        string payload;
        try
        {
            payload = protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split(':');
        return parts.Length == 2
               && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var memberId)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var type)
               && Enum.IsDefined((NotificationType)type)
            ? new UnsubscribeRequest(memberId, (NotificationType)type)
            : null;
    }
}
