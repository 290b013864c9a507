using System.ComponentModel;
using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>
/// The body of <c>POST</c> and <c>PUT /api/v1/expenses</c>. Amounts are decimal major units of <see cref="Currency"/>
/// (default: the household's); another currency needs <see cref="ExchangeRate"/> (household currency per one unit).
/// Either <see cref="CategoryId"/> (the whole amount) or <see cref="Lines"/> (a split); tags by name.
/// </summary>
public sealed record ApiExpenseInput
{
    [Description("expense (default), income, refund or transfer.")]
    public TransactionKind? Kind { get; init; }

    [Description("yyyy-MM-dd; default today in the household's time zone.")]
    public DateOnly? Date { get; init; }

    [Description("Major units, e.g. 4.5; no more decimals than the currency has.")]
    public decimal? Amount { get; init; }

    [Description("ISO 4217; default the household's currency.")]
    public string? Currency { get; init; }

    [Description("Household currency per one unit of currency; required when currency is not the household's.")]
    public decimal? ExchangeRate { get; init; }

    public string? Payee { get; init; }
    public string? Notes { get; init; }

    [Description("Default: the account this member used last, else the household's first open account.")]
    public long? AccountId { get; init; }

    [Description("Transfers only: the account the money goes to.")]
    public long? ToAccountId { get; init; }

    [Description("One category for the whole amount (or send lines).")]
    public long? CategoryId { get; init; }

    [Description("A split over categories; the amounts add up to amount.")]
    public IReadOnlyList<ApiExpenseLineInput?>? Lines { get; init; }

    [Description("Tag names; new ones are created.")]
    public IReadOnlyList<string>? Tags { get; init; }

    public bool IsPrivate { get; init; }

    [Description("Default: the token's member.")]
    public long? PaidByMemberId { get; init; }
}

public sealed record ApiExpenseLineInput(long? CategoryId, decimal? Amount, string? Note);

/// <summary>An expense (any kind) as the API answers it. Amounts are in <see cref="Currency"/>, the household's currency.</summary>
public sealed record ApiExpense(
    long Id,
    long Version,
    TransactionKind Kind,
    DateOnly Date,
    decimal Amount,
    string Currency,
    ApiOriginalAmount? Original,
    string? Payee,
    string? Notes,
    long AccountId,
    long? ToAccountId,
    long? PaidByMemberId,
    IReadOnlyList<ApiExpenseLine> Lines,
    IReadOnlyList<string> Tags,
    bool IsPrivate,
    [property: Description("How a shared expense is split among members (edited in the app; kept by PUT).")]
    IReadOnlyList<ApiExpenseShare> Shares)
{
    public static ApiExpense From(ExpenseDetails details) => new(
        details.Id, details.Version, details.Kind, details.Date, Money.ToMajor(details.AmountMinor, details.Currency), details.Currency,
        details.OriginalCurrency is { } currency && details.OriginalAmountMinor is { } original
            ? new ApiOriginalAmount(Money.ToMajor(original, currency), currency, details.ExchangeRate)
            : null,
        details.Payee, details.Notes, details.AccountId, details.ToAccountId, details.PaidByMemberId,
        [.. details.Lines.Select(l => new ApiExpenseLine(l.CategoryId, Money.ToMajor(l.AmountMinor, details.Currency), l.Note))],
        [.. details.Tags.Order(StringComparer.OrdinalIgnoreCase)],
        details.IsPrivate,
        [.. (details.Shares ?? []).Select(s => new ApiExpenseShare(s.MemberId, Money.ToMajor(s.AmountMinor, details.Currency)))]);
}

/// <summary>The amount as paid in another currency, and the rate it was converted at.</summary>
public sealed record ApiOriginalAmount(decimal Amount, string Currency, decimal? ExchangeRate);

public sealed record ApiExpenseLine(long CategoryId, decimal Amount, string? Note);

public sealed record ApiExpenseShare(long MemberId, decimal Amount);

/// <summary>A row of the list, as the expense list shows it (names resolved).</summary>
public sealed record ApiExpenseListItem(
    long Id,
    long Version,
    DateOnly Date,
    TransactionKind Kind,
    decimal Amount,
    string Currency,
    string? Payee,
    string? Notes,
    string Account,
    string? ToAccount,
    string? PaidBy,
    IReadOnlyList<ApiCategoryRef> Categories,
    IReadOnlyList<string> Tags,
    bool IsPrivate,
    bool IsShared)
{
    public static ApiExpenseListItem From(ExpenseRow row, string currency) => new(
        row.Id, row.Version, row.Date, row.Kind, Money.ToMajor(row.AmountMinor, currency), currency, row.Payee, row.Notes, row.Account,
        row.ToAccount, row.PaidBy, [.. row.Categories.Select(c => new ApiCategoryRef(c.Id, c.Name))], row.Tags, row.IsPrivate, row.IsShared);
}

public sealed record ApiCategoryRef(long Id, string Name);

/// <summary>
/// Totals over the whole filter (every page): <see cref="Spending"/> of the visible rows (expenses − refunds), other
/// members' private transactions as one line, and their sum — the same total a chart over this filter shows.
/// </summary>
public sealed record ApiExpenseTotals(string Currency, decimal Spending, ApiHiddenPrivate HiddenPrivate, decimal TotalSpending)
{
    public static ApiExpenseTotals From(ExpensePage page, string currency) => new(
        currency, Money.ToMajor(page.SpendingMinor, currency),
        new ApiHiddenPrivate(page.Private.Count, Money.ToMajor(page.Private.SpendingMinor, currency), Money.ToMajor(page.Private.IncomeMinor, currency)),
        Money.ToMajor(page.TotalSpendingMinor, currency));
}

public sealed record ApiHiddenPrivate(int Count, decimal Spending, decimal Income);

public sealed record ApiExpensePage(IReadOnlyList<ApiExpenseListItem> Items, int Page, int PageSize, int TotalCount, ApiExpenseTotals Totals);

/// <summary>
/// The expense list's filter as query parameters (the same names as the list's URL, see <see cref="ExpenseQuery"/>), for
/// the list and the exports. Unlike the page, the API refuses malformed values with a 400 naming the parameter, and
/// <c>from</c>/<c>to</c> without <c>range</c> mean a custom range.
/// </summary>
public sealed class ApiExpenseFilterQuery
{
    [FromQuery(Name = "range"), Description("all, this-month, last-month, this-year or custom (with from/to).")]
    public string? Range { get; init; }

    [FromQuery(Name = "from"), Description("yyyy-MM-dd, inclusive.")]
    public string? From { get; init; }

    [FromQuery(Name = "to"), Description("yyyy-MM-dd, inclusive.")]
    public string? To { get; init; }

    [FromQuery(Name = "cat"), Description("Category ids, comma-separated.")]
    public string? Cat { get; init; }

    [FromQuery(Name = "tag"), Description("Tag ids, comma-separated.")]
    public string? Tag { get; init; }

    [FromQuery(Name = "member"), Description("Ids of the members who paid, comma-separated.")]
    public string? Member { get; init; }

    [FromQuery(Name = "account"), Description("Account ids, comma-separated (either side of a transfer).")]
    public string? Account { get; init; }

    [FromQuery(Name = "kind"), Description("expense, refund, income, transfer, settlement; comma-separated.")]
    public string? Kind { get; init; }

    [FromQuery(Name = "q"), Description("The query line, e.g. cafe tag:coffee amount>5 date:this-month -category:Rent.")]
    public string? Q { get; init; }

    [FromQuery(Name = "min"), Description("Smallest amount, major units.")]
    public string? Min { get; init; }

    [FromQuery(Name = "max"), Description("Largest amount, major units.")]
    public string? Max { get; init; }

    [FromQuery(Name = "payee"), Description("Payee ids, comma-separated.")]
    public string? Payee { get; init; }

    [FromQuery(Name = "spender"), Description("A member id: what that member spent (their share of shared transactions).")]
    public string? Spender { get; init; }

    /// <summary>The service filter, or the parameters that are malformed. A bad query line throws <see cref="Search.QueryLineException"/>.</summary>
    public ExpenseFilter? ToFilter(HouseholdInfo household, DateOnly today, Dictionary<string, string[]> errors)
    {
        if (Range is not null && !ExpenseQuery.Ranges.Any(r => r.Key == Range))
        {
            errors["range"] = [$"Use one of: {string.Join(", ", ExpenseQuery.Ranges.Select(r => r.Key))}."];
        }

        var from = Date("from", From, errors);
        var to = Date("to", To, errors);
        if (from is { } f && to is { } t && t < f)
        {
            errors["to"] = ["The end date is before the start date."];
        }

        Ids("cat", Cat, errors);
        Ids("tag", Tag, errors);
        Ids("member", Member, errors);
        Ids("account", Account, errors);
        Ids("payee", Payee, errors);
        if (Spender is not null && !long.TryParse(Spender, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            errors["spender"] = ["Use one member id, e.g. spender=4."];
        }

        foreach (var kind in Split(Kind))
        {
            if (!Enum.TryParse<TransactionKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsDigit(kind[0]))
            {
                errors["kind"] = ["Use expense, refund, income, transfer or settlement, comma-separated."];
            }
        }

        Amount("min", Min, errors);
        Amount("max", Max, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        var range = Range ?? (From is not null || To is not null ? ExpenseQuery.Custom : null);
        return ExpenseQuery.Parse(range, From, To, Cat, Tag, Member, Account, Kind, Q, Min, Max, Payee, Spender)
            .ToFilter(today, household.BaseCurrency, household.FirstDayOfWeek);
    }

    private static string[] Split(string? csv) =>
        (csv ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static DateOnly? Date(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (QueryStringValues.ParseDate(text) is { } date)
        {
            return date;
        }

        errors[name] = ["Use a date as yyyy-MM-dd, e.g. 2026-11-01."];
        return null;
    }

    private static void Ids(string name, string? csv, Dictionary<string, string[]> errors)
    {
        if (Split(csv).Any(id => !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0))
        {
            errors[name] = ["Use ids separated by commas, e.g. 3,5."];
        }
    }

    private static void Amount(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (text is not null && !(decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            && value >= 0 && value <= Money.MaxMajorAmount))
        {
            errors[name] = ["Use an amount in major units with a dot, e.g. 12.50."];
        }
    }
}

/// <summary>
/// Turns the API body into the service's <see cref="ExpenseInput"/> (amounts to minor units, another currency converted
/// at the given rate, defaults filled in) and the service's field names back into the names the client sent.
/// </summary>
public static class ApiExpenseMapping
{
    /// <summary>The JSON errors of a field whose value could not be read (wrong type or format).</summary>
    public static Dictionary<string, string[]> ReadError(string? path)
    {
        var field = string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        var message = field switch
        {
            "date" => "Use a date as yyyy-MM-dd, e.g. 2026-11-20.",
            "kind" => "Use expense, income, refund or transfer.",
            "body" => "Send a JSON object, e.g. {\"amount\": 4.5, \"categoryId\": 3}.",
            _ when field.EndsWith("amount", StringComparison.OrdinalIgnoreCase) || field.EndsWith("exchangeRate", StringComparison.Ordinal)
                => "Use a number, e.g. 4.5.",
            _ => "This value has the wrong type or format.",
        };
        return new Dictionary<string, string[]> { [field] = [message] };
    }

    /// <summary>
    /// The service input for <paramref name="body"/>, or null with <paramref name="errors"/> filled. <paramref name="existing"/>
    /// is the expense a PUT replaces: its currency stays, and its split among members is kept (re-scaled to a new amount).
    /// </summary>
    public static ExpenseInput? ToInput(
        ApiExpenseInput body, string baseCurrency, DateOnly today, long defaultAccountId, ExpenseDetails? existing, Dictionary<string, string[]> errors)
    {
        var kind = body.Kind ?? TransactionKind.Expense;
        if (!Enum.IsDefined(kind))
        {
            errors["kind"] = ["Use expense, income, refund or transfer."];
        }
        else if (kind == TransactionKind.Settlement)
        {
            errors["kind"] = ["Settlements are recorded with Settle up in the app; use expense, income, refund or transfer."];
        }

        var currency = string.IsNullOrWhiteSpace(body.Currency) ? baseCurrency : body.Currency.Trim().ToUpperInvariant();
        if (!Currencies.IsKnown(currency))
        {
            errors["currency"] = ["Unknown currency: use an ISO 4217 code, e.g. EUR."];
            return null;
        }

        var foreign = currency != baseCurrency;
        var rate = foreign ? body.ExchangeRate : null;
        if (foreign && rate is not > 0)
        {
            errors["exchangeRate"] = [$"{currency} is not the household's currency: send exchangeRate, the {baseCurrency} for one {currency} (e.g. 1.08)."];
        }
        else if (rate > Money.MaxMajorAmount)
        {
            errors["exchangeRate"] = ["The exchange rate is too large."];
        }

        var amount = Amount("amount", body.Amount, currency, errors, required: true);
        var lines = new List<LineInput>();
        if (body.CategoryId is not null && body.Lines is { Count: > 0 })
        {
            errors["categoryId"] = ["Send either categoryId (one category for the whole amount) or lines, not both."];
        }
        else if (body.CategoryId is { } categoryId)
        {
            if (categoryId <= 0)
            {
                errors["categoryId"] = ["Choose a category."];
            }

            lines.Add(new LineInput(categoryId, amount));
        }
        else
        {
            for (var i = 0; i < (body.Lines?.Count ?? 0); i++)
            {
                var field = string.Create(CultureInfo.InvariantCulture, $"lines[{i}]");
                if (body.Lines![i] is not { } line)
                {
                    errors[field] = ["Send a line as {\"categoryId\": 3, \"amount\": 4.5}."];
                    continue;
                }

                if (line.CategoryId is not > 0)
                {
                    errors[field + ".categoryId"] = ["Choose a category."];
                }

                lines.Add(new LineInput(line.CategoryId ?? 0, Amount(field + ".amount", line.Amount, currency, errors, required: true), line.Note));
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var amountMinor = amount;
        if (foreign)
        {
            amountMinor = Convert(amount, currency, rate!.Value, baseCurrency);
            if (amountMinor > Money.ToMinor(Money.MaxMajorAmount, baseCurrency))
            {
                errors["amount"] = [$"The amount must be at most {Money.MaxMajorAmount.ToString("N0", CultureInfo.InvariantCulture)} {baseCurrency}."];
                return null;
            }

            lines = ConvertLines(lines, amount, amountMinor, currency, rate.Value, baseCurrency);
        }

        return new ExpenseInput
        {
            Kind = kind,
            AmountMinor = amountMinor,
            Date = body.Date ?? today,
            Payee = string.IsNullOrWhiteSpace(body.Payee) ? null : body.Payee.Trim(),
            Notes = string.IsNullOrWhiteSpace(body.Notes) ? null : body.Notes,
            AccountId = body.AccountId ?? defaultAccountId,
            ToAccountId = kind == TransactionKind.Transfer ? body.ToAccountId : null,
            PaidByMemberId = body.PaidByMemberId,
            Tags = body.Tags ?? [],
            Lines = lines,
            OriginalAmountMinor = foreign ? amount : null,
            OriginalCurrency = foreign ? currency : null,
            ExchangeRate = rate,
            IsPrivate = body.IsPrivate,
            Source = TransactionSource.Api,
            Split = KeptSplit(existing, amountMinor),
        };
    }

    /// <summary>
    /// The service's errors keyed as the client's JSON: <c>AmountMinor</c> → <c>amount</c>, <c>Lines</c> → <c>categoryId</c>
    /// unless the client sent lines, <c>OriginalCurrency</c> → <c>currency</c>; lines whose category is not in the
    /// household (<paramref name="knownCategoryIds"/>) get their own <c>lines[i].categoryId</c> entry.
    /// </summary>
    public static Dictionary<string, string[]> ClientErrors(
        IReadOnlyDictionary<string, string[]> serviceErrors, ApiExpenseInput body, ExpenseInput input, IReadOnlySet<long>? knownCategoryIds)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string key, IEnumerable<string> messages) =>
            result[key] = [.. (result.TryGetValue(key, out var had) ? had : []).Concat(messages).Distinct()];

        foreach (var (key, messages) in serviceErrors)
        {
            switch (key)
            {
                case nameof(ExpenseInput.AmountMinor) or nameof(ExpenseInput.OriginalAmountMinor):
                    Add("amount", messages);
                    break;
                case nameof(ExpenseInput.OriginalCurrency):
                    Add("currency", messages);
                    break;
                case nameof(ExpenseInput.Lines) when body.CategoryId is not null || body.Lines is not { Count: > 0 }:
                    Add("categoryId", messages);
                    break;
                case nameof(ExpenseInput.Lines):
                    var unknown = knownCategoryIds is null
                        ? []
                        : input.Lines.Select((line, index) => (line, index)).Where(x => !knownCategoryIds.Contains(x.line.CategoryId)).ToList();
                    foreach (var (_, index) in unknown)
                    {
                        Add(string.Create(CultureInfo.InvariantCulture, $"lines[{index}].categoryId"), ["That category does not exist in this household."]);
                    }

                    var rest = unknown.Count > 0 ? messages.Where(m => !m.Contains("does not exist", StringComparison.Ordinal)).ToArray() : messages;
                    if (rest.Length > 0)
                    {
                        Add("lines", rest);
                    }

                    break;
                case nameof(ExpenseInput.Split):
                    Add(input.IsPrivate ? "isPrivate" : input.Kind is TransactionKind.Expense or TransactionKind.Refund ? "amount" : "kind", messages);
                    break;
                default:
                    Add(ApiProblems.Camel(key), messages);
                    break;
            }
        }

        return result;
    }

    /// <summary>"5", "\"5\"", "W/\"5\"": the version an entity tag names, or null.</summary>
    public static long? VersionOf(string entityTag)
    {
        var tag = entityTag.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }

        return long.TryParse(tag.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
    }

    public static string ETag(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>Minor units of <paramref name="currency"/>, with an error for a missing value or more decimals than it has.</summary>
    private static long Amount(string field, decimal? value, string currency, Dictionary<string, string[]> errors, bool required)
    {
        if (value is not { } amount)
        {
            if (required)
            {
                errors[field] = ["Enter the amount, e.g. 4.5."];
            }

            return 0;
        }

        var exponent = Currencies.Exponent(currency);
        if (decimal.Round(amount, exponent) != amount)
        {
            errors[field] = [exponent == 0
                ? $"{currency} has no decimals: send a whole number."
                : $"{currency} has {exponent.ToString(CultureInfo.InvariantCulture)} decimals: {amount.ToString(CultureInfo.InvariantCulture)} has more."];
            return 0;
        }

        if (amount <= 0)
        {
            errors[field] = ["Enter an amount greater than zero."];
            return 0;
        }

        if (amount > Money.MaxMajorAmount)
        {
            errors[field] = [$"The amount must be at most {Money.MaxMajorAmount.ToString("N0", CultureInfo.InvariantCulture)}."];
            return 0;
        }

        return Money.ToMinor(amount, currency);
    }

    private static long Convert(long originalMinor, string currency, decimal rate, string baseCurrency) =>
        Money.ToMinor(Money.ToMajor(originalMinor, currency) * rate, baseCurrency);

    /// <summary>Converts each line; when the lines added up before, the rounding difference goes to the biggest line so they still do.</summary>
    private static List<LineInput> ConvertLines(
        List<LineInput> lines, long originalMinor, long convertedMinor, string currency, decimal rate, string baseCurrency)
    {
        var converted = lines.Select(l => l with { AmountMinor = Convert(l.AmountMinor, currency, rate, baseCurrency) }).ToList();
        if (converted.Count > 0 && lines.Sum(l => l.AmountMinor) == originalMinor)
        {
            var biggest = converted.IndexOf(converted.MaxBy(l => l.AmountMinor)!);
            converted[biggest] = converted[biggest] with
            {
                AmountMinor = converted[biggest].AmountMinor + convertedMinor - converted.Sum(l => l.AmountMinor),
            };
        }

        return converted;
    }

    /// <summary>A PUT keeps the split among members (the API does not edit it): the same amounts, or the same proportions of a new amount.</summary>
    private static ShareSplit? KeptSplit(ExpenseDetails? existing, long amountMinor)
    {
        if (existing?.Shares is not { Count: > 0 } shares)
        {
            return null;
        }

        return amountMinor == existing.AmountMinor
            ? new ShareSplit(SplitMethod.ExactAmounts, [.. shares.Select(s => new SplitPart(s.MemberId, s.AmountMinor))])
            : new ShareSplit(SplitMethod.Shares, [.. shares.Select(s => new SplitPart(s.MemberId, s.AmountMinor))]);
    }
}
