using System.Globalization;
using ExpenseTracker.Web.Infrastructure;
using ExpenseTracker.Web.Features.Budgets;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>
/// The analytics filters as they appear in the URL, shared by the page and the CSV endpoint:
/// <c>p</c> = period preset (<see cref="Presets"/>), <c>from</c>/<c>to</c> = yyyy-MM-dd for <c>p=custom</c>,
/// <c>member</c> and <c>account</c> = comma-separated ids. Periods are budget months (the household's month start day).
/// The month charts (budget vs actual, cumulative, comparison) show the budget month in which the period ends, or the
/// current one when the period runs past today.
/// </summary>
public sealed record AnalyticsQuery
{
    public const string ThisMonth = "month";
    public const string LastMonth = "last-month";
    public const string Last3 = "3m";
    public const string Last12 = "12m";
    public const string Last24 = "24m";
    public const string Custom = "custom";

    public static readonly IReadOnlyList<(string Key, string Label)> Presets =
        [(ThisMonth, "This month"), (LastMonth, "Last month"), (Last3, "3 months"), (Last12, "12 months"), (Last24, "24 months"), (Custom, "Custom")];

    public string Preset { get; init; } = Last12;
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public IReadOnlyList<long> Members { get; init; } = [];
    public IReadOnlyList<long> Accounts { get; init; } = [];

    public static AnalyticsQuery Parse(string? preset, string? from, string? to, string? member, string? account) => new()
    {
        Preset = Presets.Any(p => p.Key == preset) ? preset! : Last12,
        From = ParseDate(from),
        To = ParseDate(to),
        Members = ParseIds(member),
        Accounts = ParseIds(account),
    };

    public AnalyticsFilter ToFilter(DateOnly today, int monthStartDay)
    {
        var current = BudgetPeriods.MonthOf(today, monthStartDay);
        var filter = Preset switch
        {
            ThisMonth => AnalyticsFilter.ForMonth(current, monthStartDay),
            LastMonth => AnalyticsFilter.ForMonth(current.Previous, monthStartDay),
            Last3 => AnalyticsFilter.LastMonths(3, today, monthStartDay),
            Last24 => AnalyticsFilter.LastMonths(24, today, monthStartDay),
            Custom when From is { } f && To is { } t && f <= t && t.DayNumber - f.DayNumber <= 3660 => new AnalyticsFilter { From = f, To = t },
            _ => AnalyticsFilter.LastMonths(12, today, monthStartDay),
        };
        return filter with { MemberIds = Members, AccountIds = Accounts };
    }

    /// <summary>The budget month the month charts show: the one the period ends in, but never after the current one.</summary>
    public static BudgetMonth MonthFor(AnalyticsFilter filter, DateOnly today, int monthStartDay)
    {
        var end = BudgetPeriods.MonthOf(filter.To, monthStartDay);
        var current = BudgetPeriods.MonthOf(today, monthStartDay);
        return end > current ? current : end;
    }

    /// <summary>The query-string values; null removes a parameter.</summary>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["p"] = Preset == Last12 ? null : Preset,
        ["from"] = Preset == Custom ? From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        ["to"] = Preset == Custom ? To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        ["member"] = Join(Members),
        ["account"] = Join(Accounts),
    };

    /// <summary>"?p=3m&amp;member=2", or empty.</summary>
    public string ToQueryString()
    {
        var parts = ToQueryParameters().Where(p => p.Value is not null)
            .Select(p => p.Key + "=" + Uri.EscapeDataString(Convert.ToString(p.Value, CultureInfo.InvariantCulture)!)).ToList();
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private static string? Join(IReadOnlyList<long> ids) => QueryStringValues.JoinIds(ids);

    private static long[] ParseIds(string? csv) => QueryStringValues.ParseIds(csv);

    private static DateOnly? ParseDate(string? text) => QueryStringValues.ParseDate(text);
}
