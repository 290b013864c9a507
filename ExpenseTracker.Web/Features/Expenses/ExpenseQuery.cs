using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Expenses;

/// <summary>
/// The list's filter as it appears in the URL (?range=this-month&amp;cat=3,5&amp;q=cafe&amp;min=10), so a view can be
/// bookmarked and shared. Amounts in the URL are invariant-culture major units; dates are yyyy-MM-dd.
/// </summary>
public sealed record ExpenseQuery
{
    public const string ThisMonth = "this-month";
    public const string LastMonth = "last-month";
    public const string ThisYear = "this-year";
    public const string Custom = "custom";
    public const string All = "all";

    public static readonly IReadOnlyList<(string Key, string Label)> Ranges =
        [(All, "All time"), (ThisMonth, "This month"), (LastMonth, "Last month"), (ThisYear, "This year"), (Custom, "Custom")];

    public string Range { get; init; } = All;
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public IReadOnlyList<long> Categories { get; init; } = [];
    public IReadOnlyList<long> Tags { get; init; } = [];
    public IReadOnlyList<long> Members { get; init; } = [];
    public IReadOnlyList<long> Accounts { get; init; } = [];
    public IReadOnlyList<TransactionKind> Kinds { get; init; } = [];
    public string? Text { get; init; }
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }

    public static ExpenseQuery Parse(string? range, string? from, string? to, string? cat, string? tag, string? member, string? account,
        string? kind, string? q, string? min, string? max) => new()
        {
            Range = Ranges.Any(r => r.Key == range) ? range! : All,
            From = ParseDate(from),
            To = ParseDate(to),
            Categories = ParseIds(cat),
            Tags = ParseIds(tag),
            Members = ParseIds(member),
            Accounts = ParseIds(account),
            Kinds = (kind ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Enum.TryParse<TransactionKind>(k, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : (TransactionKind?)null)
            .OfType<TransactionKind>().Distinct().ToArray(),
            Text = string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
            Min = ParseAmount(min),
            Max = ParseAmount(max),
        };

    /// <summary>The query-string values; null removes a parameter.</summary>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["range"] = Range == All ? null : Range,
        ["from"] = Range == Custom && From is { } f ? f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        ["to"] = Range == Custom && To is { } t ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        ["cat"] = Join(Categories),
        ["tag"] = Join(Tags),
        ["member"] = Join(Members),
        ["account"] = Join(Accounts),
        ["kind"] = Kinds.Count == 0 ? null : string.Join(',', Kinds.Select(k => k.ToString().ToLowerInvariant())),
        ["q"] = Text,
        ["min"] = Min?.ToString(CultureInfo.InvariantCulture),
        ["max"] = Max?.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The service filter, with presets turned into dates in the household's calendar.</summary>
    public ExpenseFilter ToFilter(DateOnly today, string currency)
    {
        var (from, to) = Range switch
        {
            ThisMonth => HouseholdDates.MonthOf(today),
            LastMonth => HouseholdDates.MonthOf(today.AddMonths(-1)),
            ThisYear => HouseholdDates.YearOf(today),
            Custom => (From ?? DateOnly.MinValue, To ?? DateOnly.MaxValue),
            _ => (DateOnly.MinValue, DateOnly.MaxValue),
        };
        return new ExpenseFilter
        {
            From = from == DateOnly.MinValue ? null : from,
            To = to == DateOnly.MaxValue ? null : to,
            CategoryIds = Categories,
            TagIds = Tags,
            MemberIds = Members,
            AccountIds = Accounts,
            Kinds = Kinds,
            Text = Text,
            MinAmountMinor = Min is { } min ? Money.ToMinor(min, currency) : null,
            MaxAmountMinor = Max is { } max ? Money.ToMinor(max, currency) : null,
        };
    }

    public bool HasFilters => Range != All || Categories.Count + Tags.Count + Members.Count + Accounts.Count + Kinds.Count > 0
        || Text is not null || Min is not null || Max is not null;

    private static string? Join(IReadOnlyList<long> ids) =>
        ids.Count == 0 ? null : string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private static long[] ParseIds(string? csv) =>
        (csv ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().ToArray();

    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static decimal? ParseAmount(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= Money.MaxMajorAmount ? value : null;
}
