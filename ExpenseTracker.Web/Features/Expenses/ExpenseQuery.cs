using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Expenses;

/// <summary>
/// The list's filter as it appears in the URL (?range=this-month&amp;cat=3,5&amp;q=cafe&amp;min=10), so a view can be
/// bookmarked and shared. Amounts in the URL are invariant-culture major units; dates are yyyy-MM-dd.
/// Drill-downs from charts add <c>payee=4,9</c> (only these payees) and <c>spender=7</c> (what member 7 spent: their share of
/// shared transactions, else what they paid).
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
    public IReadOnlyList<long> Payees { get; init; } = [];
    public long? Spender { get; init; }

    public static ExpenseQuery Parse(string? range, string? from, string? to, string? cat, string? tag, string? member, string? account,
        string? kind, string? q, string? min, string? max, string? payee = null, string? spender = null) => new()
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
            Payees = ParseIds(payee),
            Spender = ParseIds(spender) is [var spenderId] ? spenderId : null,
        };

    /// <summary>The list query that shows exactly what a service filter (a chart's or budget's drill-down) selects.</summary>
    public static ExpenseQuery FromFilter(ExpenseFilter filter, string currency) => new()
    {
        Range = filter.From is null && filter.To is null ? All : Custom,
        From = filter.From,
        To = filter.To,
        Categories = filter.CategoryIds,
        Tags = filter.TagIds,
        Members = filter.MemberIds,
        Accounts = filter.AccountIds,
        Kinds = filter.Kinds,
        Text = filter.Text,
        Min = filter.MinAmountMinor is { } min ? Money.ToMajor(min, currency) : null,
        Max = filter.MaxAmountMinor is { } max ? Money.ToMajor(max, currency) : null,
        Payees = filter.PayeeIds,
        Spender = filter.SpendingOfMemberId,
    };

    /// <summary>The expense list's relative URL for a drill-down filter, e.g. <c>expenses?range=custom&amp;from=...</c>.</summary>
    public static string UrlFor(ExpenseFilter filter, string currency) => FromFilter(filter, currency).ToUrl();

    public string ToUrl()
    {
        var parts = ToQueryParameters().Where(p => p.Value is not null)
            .Select(p => p.Key + "=" + Uri.EscapeDataString(Convert.ToString(p.Value, CultureInfo.InvariantCulture)!));
        var query = string.Join('&', parts);
        return query.Length == 0 ? "expenses" : "expenses?" + query;
    }

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
        ["payee"] = Join(Payees),
        ["spender"] = Spender?.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The service filter, with presets turned into dates in the household's calendar and the query line parsed; an
    /// invalid line throws <see cref="Search.QueryLineException"/> (pages check it first with <see cref="Search.QueryLine.Parse"/>).
    /// </summary>
    public ExpenseFilter ToFilter(DateOnly today, string currency, DayOfWeek firstDayOfWeek = DayOfWeek.Monday)
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
            Terms = Search.QueryLine.ParseOrThrow(Text, today, currency, firstDayOfWeek),
            MinAmountMinor = Min is { } min ? Money.ToMinor(min, currency) : null,
            MaxAmountMinor = Max is { } max ? Money.ToMinor(max, currency) : null,
            PayeeIds = Payees,
            SpendingOfMemberId = Spender,
        };
    }

    public bool HasFilters => Range != All || Categories.Count + Tags.Count + Members.Count + Accounts.Count + Kinds.Count > 0
        || Text is not null || Min is not null || Max is not null
        || Payees.Count > 0 || Spender is not null;

    private static string? Join(IReadOnlyList<long> ids) => QueryStringValues.JoinIds(ids);

    private static long[] ParseIds(string? csv) => QueryStringValues.ParseIds(csv);

    private static DateOnly? ParseDate(string? text) => QueryStringValues.ParseDate(text);

    private static decimal? ParseAmount(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= Money.MaxMajorAmount ? value : null;
}
