using System.Globalization;

namespace ExpenseTracker.Web.Features.Notifications.Center;

/// <summary>How notifications read on screen: the body's first line, a relative time, a safe link, the bell's count.</summary>
public static class NotificationText
{
    /// <summary>The badge never grows wider than three characters.</summary>
    public const int BadgeCap = 99;

    public static string FirstLine(string body)
    {
        foreach (var line in body.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                return trimmed;
            }
        }

        return string.Empty;
    }

    /// <summary>"99+" above <see cref="BadgeCap"/>; empty at 0 (the badge is hidden then).</summary>
    public static string BadgeText(int unread) =>
        unread <= 0 ? string.Empty : unread > BadgeCap ? $"{BadgeCap.ToString(CultureInfo.InvariantCulture)}+" : unread.ToString(CultureInfo.InvariantCulture);

    /// <summary>The bell button's accessible name: "Notifications, 3 unread".</summary>
    public static string BellLabel(int unread) => unread <= 0
        ? "Notifications, none unread"
        : $"Notifications, {(unread > BadgeCap ? "more than " + BadgeCap.ToString(CultureInfo.InvariantCulture) : unread.ToString(CultureInfo.InvariantCulture))} unread";

    /// <summary>
    /// Links are app-relative ("bills?bill=12"); anything with a scheme, a host or a backslash is dropped, so a stored link
    /// can never send a member off-site or run script.
    /// </summary>
    public static string? SafeHref(string? link)
    {
        if (string.IsNullOrWhiteSpace(link))
        {
            return null;
        }

        var trimmed = link.Trim().TrimStart('/');
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var query = trimmed.IndexOfAny(['?', '#']);
        var pathEnd = query < 0 ? trimmed.Length : query;
        if ((colon >= 0 && colon < pathEnd) || link.TrimStart().StartsWith("//", StringComparison.Ordinal) || trimmed.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        return trimmed;
    }

    /// <summary>"just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", else the date in the household's zone and culture.</summary>
    public static string Relative(DateTime createdUtc, DateTimeOffset now, TimeZoneInfo zone, CultureInfo culture)
    {
        var age = now.UtcDateTime - DateTime.SpecifyKind(createdUtc, DateTimeKind.Utc);
        if (age < TimeSpan.FromMinutes(1))
        {
            return "just now";
        }

        if (age < TimeSpan.FromHours(1))
        {
            return $"{((int)age.TotalMinutes).ToString(culture)} min ago";
        }

        if (age < TimeSpan.FromDays(1))
        {
            return $"{((int)age.TotalHours).ToString(culture)} h ago";
        }

        if (age < TimeSpan.FromDays(2))
        {
            return "yesterday";
        }

        if (age < TimeSpan.FromDays(7))
        {
            return $"{((int)age.TotalDays).ToString(culture)} days ago";
        }

        return Local(createdUtc, zone).ToString("d", culture);
    }

    /// <summary>The full local time, for a tooltip.</summary>
    public static string Exact(DateTime createdUtc, TimeZoneInfo zone, CultureInfo culture) => Local(createdUtc, zone).ToString("g", culture);

    private static DateTime Local(DateTime createdUtc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(createdUtc, DateTimeKind.Utc), zone);
}
