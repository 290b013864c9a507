using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;
using static ExpenseTracker.Tests.Integration.Api.ExpensesApiHttp;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>The built-in rate limiter in front of the expense API: per token and per client IP, 429 with Retry-After and a problem.</summary>
public sealed class ExpensesApiRateLimitTests
{
    private const string Expenses = "/api/v1/expenses";

    [ProviderTheory]
    public async Task The_fourth_request_of_a_token_limited_to_three_answers_429_with_retry_after(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider).With("Api:RateLimit:TokenPermitLimit", "3");
        var (householdId, memberId, _, client) = await app.CreateApiHouseholdAsync("ana@example.com");
        using var _ = client;
        var groceries = await app.CategoryAsync(householdId, "Groceries");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url(Expenses))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync(Expenses, new { amount = 1m, categoryId = groceries })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url("/api/v1/exports/expenses.csv"))).StatusCode);

        var limited = await client.PostJsonAsync(Expenses, new { amount = 2m, categoryId = groceries });

        Assert.Contains("try again", await limited.ProblemAsync(HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
        Assert.True(limited.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero, limited.Headers.RetryAfter?.ToString());

        // The refused write was not made; another token of the same member has its own budget.
        using var other = app.CreateApiClient(await app.CreateTokenAsync(householdId, memberId));
        Assert.Equal(1, (await other.GetJsonAsync(Expenses)).GetProperty("totalCount").GetInt32());
    }

    [ProviderTheory]
    public async Task The_fourth_request_from_one_address_limited_to_three_answers_429_whatever_the_token(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider).With("Api:RateLimit:IpPermitLimit", "3");
        var (householdId, memberId, token, first) = await app.CreateApiHouseholdAsync("ana@example.com");
        using var _ = first;
        List<HttpClient> others = [];
        for (var i = 0; i < 3; i++)
        {
            others.Add(app.CreateApiClient(await app.CreateTokenAsync(householdId, memberId, name: $"Script {i}")));
        }

        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync(Url(Expenses))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await others[0].GetAsync(Url(Expenses))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await others[1].GetAsync(Url(Expenses))).StatusCode);

        var limited = await others[2].GetAsync(Url(Expenses));

        await limited.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
        others.ForEach(c => c.Dispose());
    }
}
