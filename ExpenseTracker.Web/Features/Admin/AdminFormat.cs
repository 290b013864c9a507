using System.Globalization;

namespace ExpenseTracker.Web.Features.Admin;

/// <summary>How the admin page writes times (UTC, the instance has no single household time zone) and sizes.</summary>
public static class AdminFormat
{
    public static string Time(DateTime? utc) =>
        utc is { } at ? at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Time(DateTimeOffset? utc) => Time(utc?.UtcDateTime);

    public static string Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return "unknown";
        }

        string[] units = ["bytes", "KB", "MB", "GB", "TB"];
        double size = value;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0
            ? value.ToString("N0", CultureInfo.InvariantCulture) + " bytes"
            : size.ToString("0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>A LIKE pattern (escape character <c>\</c>) matching text that contains <paramref name="text"/> literally.</summary>
    public static string ContainsPattern(string text) =>
        "%" + ExpenseTracker.Web.Infrastructure.DbLike.Literal(text) + "%";
}
