using System.Globalization;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>How filter values are written in URLs (ids as comma lists, dates as yyyy-MM-dd), shared by every page that keeps its filters there.</summary>
public static class QueryStringValues
{
    public static string? JoinIds(IReadOnlyList<long> ids) =>
        ids.Count == 0 ? null : string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    public static long[] ParseIds(string? csv) =>
        (csv ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().ToArray();

    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
