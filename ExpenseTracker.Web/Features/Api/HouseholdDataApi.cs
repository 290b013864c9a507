using System.Globalization;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>
/// Accounts, categories, tags, members, budgets, bills, monthly totals and imports. Each resource maps in its own file;
/// the feature services do the work (household scope, roles, privacy), the handlers translate JSON and problems.
/// </summary>
public static class HouseholdDataApi
{
    public static RouteGroupBuilder MapHouseholdDataApi(this RouteGroupBuilder api)
    {
        api.MapMembersApi();
        api.MapAccountsApi();
        api.MapCategoriesApi();
        api.MapTagsApi();
        api.MapBudgetsApi();
        api.MapTotalsApi();
        api.MapBillsApi();
        api.MapImportsApi();
        return api;
    }
}

/// <summary>One page of a list: <c>?page=1&amp;pageSize=50</c> (at most 200 a page).</summary>
public sealed record ResourcePage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

/// <summary>Parsing and checking what a request sends; mistakes become field errors (400) named as the request spells them.</summary>
public static class ApiInput
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The household lists are short (tens of rows): the services return them whole and the page is cut here.</summary>
    public static ResourcePage<T> Page<T>(IReadOnlyList<T> all, string? page, string? pageSize)
    {
        var number = Int(page, "page", 1, int.MaxValue, 1, "Use a page number of 1 or more.");
        var size = Int(pageSize, "pageSize", 1, MaxPageSize, DefaultPageSize, $"Use a page size from 1 to {MaxPageSize}.");
        var skip = (long)(number - 1) * size;
        var items = skip >= all.Count ? [] : all.Skip((int)skip).Take(size).ToList();
        return new ResourcePage<T>(items, number, size, all.Count);
    }

    public static int Int(string? text, string field, int min, int max, int fallback, string message)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new FieldValidationException(field, message);
        }

        return value;
    }

    /// <summary>A <c>yyyy-MM</c> month, or <paramref name="fallback"/> when absent.</summary>
    public static BudgetMonth Month(string? text, string field, BudgetMonth fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (text.Length != 7 || !BudgetMonth.TryParse(text, out var month) || month.Year is < 1900 or > 2100)
        {
            throw new FieldValidationException(field, "Give the month as yyyy-MM, e.g. 2026-11.");
        }

        return month;
    }

    /// <summary>
    /// A decimal amount in major units to minor units of <paramref name="currency"/>. More decimals than the currency
    /// has are refused rather than rounded: a script should learn that 12.345 EUR is not an amount.
    /// </summary>
    public static long Minor(decimal amount, string currency, string field, bool allowZero = false, bool allowNegative = false)
    {
        var exponent = Currencies.Exponent(currency);
        if (decimal.Round(amount, exponent) != amount)
        {
            throw new FieldValidationException(field, exponent == 0
                ? $"{currency} amounts have no decimals."
                : string.Create(CultureInfo.InvariantCulture, $"{currency} amounts have at most {exponent} decimals."));
        }

        if (Math.Abs(amount) > Money.MaxMajorAmount || (!allowNegative && amount < 0) || (!allowZero && amount == 0))
        {
            throw new FieldValidationException(field, allowZero
                ? "Enter an amount of zero or more, below a billion."
                : "Enter an amount greater than zero, below a billion.");
        }

        return Money.ToMinor(amount, currency);
    }

    public static decimal Major(long minor, string currency) => Money.ToMajor(minor, currency);

    /// <summary>A currency sent beside an amount must be the one the amount is kept in.</summary>
    public static void SameCurrency(string? sent, string expected, string field = "currency")
    {
        if (sent is not null && !string.Equals(sent, expected, StringComparison.Ordinal))
        {
            throw new FieldValidationException(field, $"Amounts here are in the household currency, {expected}.");
        }
    }

    public static T Required<T>(T? value, string field, string message)
        where T : struct =>
        value ?? throw new FieldValidationException(field, message);

    /// <summary>The services name fields after their records ("AmountMinor"); the API's JSON says "amount".</summary>
    public static ExpenseValidationException Renamed(ExpenseValidationException e, IReadOnlyDictionary<string, string> names) =>
        new(e.Errors.ToDictionary(kv => names.TryGetValue(kv.Key, out var name) ? name : kv.Key, kv => kv.Value, StringComparer.Ordinal));

    /// <summary>Checks the role before anything is looked up, so a viewer learns "forbidden", not whether an id exists.</summary>
    public static void Require(HouseholdScope scope, HouseholdAction action) => HouseholdPermissions.Require(scope, action);
}

/// <summary>The OpenAPI metadata every household-data endpoint declares, in one place.</summary>
public static class HouseholdEndpointMetadata
{
    /// <summary>A read: its name, summary and answer; a list also names its paging errors (400), a single item its 404.</summary>
    public static RouteHandlerBuilder Reads<T>(this RouteHandlerBuilder endpoint, string name, string summary, bool byId = false)
    {
        endpoint.WithName(name).WithSummary(summary).Produces<T>();
        return byId ? endpoint.ProducesProblem(StatusCodes.Status404NotFound) : endpoint.ProducesValidationProblem();
    }

    /// <summary>A write: a read-write token, its answer, the role refusal (403), field errors (400) and, for an id, 404.</summary>
    public static RouteHandlerBuilder Writes(
        this RouteHandlerBuilder endpoint, string name, string summary, int status, Type? answer = null, bool byId = true, bool validation = true)
    {
        endpoint.RequireAuthorization(ApiPolicies.Write).WithName(name).WithSummary(summary)
            .Produces(status, answer)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        if (validation)
        {
            endpoint.ProducesValidationProblem();
        }

        return byId ? endpoint.ProducesProblem(StatusCodes.Status404NotFound) : endpoint;
    }
}
