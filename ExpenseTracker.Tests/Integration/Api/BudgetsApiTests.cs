using System.Net;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>Budgets per month and monthly totals by category over the API (the app's clock is 15 Nov 2026).</summary>
public sealed class BudgetsApiTests(HouseholdApiFixtures households) : IClassFixture<HouseholdApiFixtures>
{
    private HouseholdApiFixture api = null!;

    private async Task OnAsync(DatabaseProvider provider) => api = await households.ForAsync(provider);

    private long Groceries => api.Family.GroceriesId;

    [ProviderTheory]
    public async Task A_category_budget_is_set_and_read_back_with_spent_remaining_and_percent(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var ana = await api.ClientAsync("Ana");
        var (set, row) = await ana.SendAsync(HttpMethod.Put, $"/api/v1/budgets/{Groceries}", new { amount = 300m, currency = "EUR" });
        Assert.Equal(HttpStatusCode.OK, set);
        Assert.Equal((300m, "EUR", Groceries), (row.GetProperty("amount").GetDecimal(), row.GetProperty("currency").GetString(), row.GetProperty("categoryId").GetInt64()));

        await api.Family.AddAsync("Ben", 45_50, date: new DateOnly(2026, 11, 3));
        var (status, month) = await (await api.ClientAsync("Vic")).FetchAsync("/api/v1/budgets?month=2026-11");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("2026-11", "EUR"), (month.GetProperty("month").GetString(), month.GetProperty("currency").GetString()));
        var groceries = month.GetProperty("budgets").EnumerateArray().Single(b => b.GetProperty("categoryId").GetInt64() == Groceries);
        Assert.Equal(300m, groceries.GetProperty("amount").GetDecimal());
        Assert.Equal(45.5m, groceries.GetProperty("spent").GetDecimal());
        Assert.Equal(254.5m, groceries.GetProperty("remaining").GetDecimal());
        Assert.Equal(15.2, groceries.GetProperty("percent").GetDouble());

        // Without ?month the current month (November) is answered.
        Assert.Equal("2026-11", (await ana.FetchAsync("/api/v1/budgets")).Body.GetProperty("month").GetString());
    }

    [ProviderTheory]
    public async Task Budget_input_and_months_are_checked_by_field(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var ana = await api.ClientAsync("Ana");
        var (badMonth, problem) = await ana.FetchAsync("/api/v1/budgets?month=2026-13");
        Assert.Equal(HttpStatusCode.BadRequest, badMonth);
        Assert.Equal(["Give the month as yyyy-MM, e.g. 2026-11."], problem.FieldErrors("month"));

        Assert.Equal(["EUR amounts have at most 2 decimals."],
            (await ana.SendAsync(HttpMethod.Put, $"/api/v1/budgets/{Groceries}", new { amount = 12.345m })).Body.FieldErrors("amount"));
        Assert.Single((await ana.SendAsync(HttpMethod.Put, $"/api/v1/budgets/{Groceries}", new { amount = -1m })).Body.FieldErrors("amount"));
        Assert.Single((await ana.SendAsync(HttpMethod.Put, $"/api/v1/budgets/{Groceries}", new { amount = 10m, currency = "USD" })).Body.FieldErrors("currency"));
        Assert.Single((await ana.SendAsync(HttpMethod.Put, $"/api/v1/budgets/{Groceries}", new { amount = 10m, from = "Nov" })).Body.FieldErrors("from"));
        Assert.Equal(HttpStatusCode.NotFound, (await ana.SendAsync(HttpMethod.Put, "/api/v1/budgets/999999", new { amount = 10m })).Status);
    }

    [ProviderTheory]
    public async Task A_removed_budget_ends_after_this_month(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var ben = await api.ClientAsync("Ben");
        var (_, created) = await ben.SendAsync(HttpMethod.Post, "/api/v1/categories", new { name = "Hobbies" });
        var hobbies = created.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await ben.SendAsync(HttpMethod.Put, $"/api/v1/budgets/{hobbies}", new { amount = 50, from = "2026-11" })).Status);
        Assert.Contains((await ben.FetchAsync("/api/v1/budgets?month=2026-12")).Body.GetProperty("budgets").EnumerateArray(),
            b => b.GetProperty("categoryId").GetInt64() == hobbies);

        Assert.Equal(HttpStatusCode.NoContent, (await ben.SendAsync(HttpMethod.Delete, $"/api/v1/budgets/{hobbies}")).Status);

        Assert.DoesNotContain((await ben.FetchAsync("/api/v1/budgets?month=2026-12")).Body.GetProperty("budgets").EnumerateArray(),
            b => b.GetProperty("categoryId").GetInt64() == hobbies);
        Assert.Equal(HttpStatusCode.NotFound, (await ben.SendAsync(HttpMethod.Delete, $"/api/v1/budgets/{hobbies}")).Status);
    }

    [ProviderTheory]
    [InlineData("Kim", ApiTokenScopes.ReadWrite)]
    [InlineData("Vic", ApiTokenScopes.Read)]
    [InlineData("Ana", ApiTokenScopes.Read)]
    public async Task Only_owners_and_members_with_a_write_token_change_budgets(DatabaseProvider provider, string name, ApiTokenScopes scopes)
    {
        await OnAsync(provider);
        var client = await api.ClientAsync(name, scopes);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Put, $"/api/v1/budgets/{Groceries}", new { amount = 1m })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Delete, $"/api/v1/budgets/{Groceries}")).Status);
    }

    [ProviderTheory]
    public async Task Monthly_totals_give_spending_per_category_per_month_and_fold_others_private_spending(DatabaseProvider provider)
    {
        await OnAsync(provider);
        await api.Family.AddAsync("Ana", 20_00, date: new DateOnly(2026, 9, 5));
        await api.Family.AddAsync("Ana", 7_25, date: new DateOnly(2026, 9, 20));
        await api.Family.AddAsync("Ben", 30_00, isPrivate: true, date: new DateOnly(2026, 9, 21));
        await api.Family.AddAsync("Kim", 4_00, date: new DateOnly(2026, 9, 22));

        var (status, totals) = await (await api.ClientAsync("Ana")).FetchAsync("/api/v1/totals/monthly?from=2026-08&to=2026-09");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("2026-08", "2026-09", "EUR"), (totals.GetProperty("from").GetString(), totals.GetProperty("to").GetString(), totals.GetProperty("currency").GetString()));
        var months = totals.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(["2026-08", "2026-09"], months.Select(m => m.GetProperty("month").GetString()));
        Assert.Empty(months[0].GetProperty("categories").EnumerateArray());
        var september = months[1];
        var groceries = september.GetProperty("categories").EnumerateArray().Single();
        Assert.Equal((Groceries, 31.25m), (groceries.GetProperty("categoryId").GetInt64(), groceries.GetProperty("amount").GetDecimal()));
        Assert.Equal(30m, september.GetProperty("private").GetDecimal());
        Assert.Equal(61.25m, september.GetProperty("total").GetDecimal());

        // A child sees only their own spending, as on the Analytics page.
        var kim = (await (await api.ClientAsync("Kim")).FetchAsync("/api/v1/totals/monthly?from=2026-09&to=2026-09")).Body;
        Assert.Equal(4m, kim.GetProperty("months")[0].GetProperty("categories").EnumerateArray().Single().GetProperty("amount").GetDecimal());
    }

    [ProviderTheory]
    [InlineData("from=2026-11&to=2026-10", "to")]
    [InlineData("from=2024-01&to=2026-11", "to")]
    [InlineData("from=last-year", "from")]
    [InlineData("to=2026-1", "to")]
    public async Task Monthly_totals_refuse_a_bad_period_naming_the_parameter(DatabaseProvider provider, string query, string field)
    {
        await OnAsync(provider);
        var (status, problem) = await (await api.ClientAsync("Ana")).FetchAsync("/api/v1/totals/monthly?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Single(problem.FieldErrors(field));
    }
}
