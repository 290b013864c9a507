using System.Net;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>Bills over the API: add, edit, archive, mark paid; validation per field; roles (the app's clock is 15 Nov 2026).</summary>
public sealed class BillsApiTests(HouseholdApiFixtures households) : IClassFixture<HouseholdApiFixtures>
{
    private HouseholdApiFixture api = null!;

    private async Task OnAsync(DatabaseProvider provider) => api = await households.ForAsync(provider);

    private object Rent(string name = "Rent", decimal amount = 950m) => new
    {
        name,
        payee = "Landlord",
        categoryId = api.Family.GroceriesId,
        amount,
        currency = "EUR",
        kind = "monthlyOnDay",
        dayOfMonth = 20,
        start = "2026-11-01",
    };

    [ProviderTheory]
    public async Task A_bill_is_added_edited_paid_and_archived(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var ben = await api.ClientAsync("Ben");
        var (created, bill) = await ben.SendAsync(HttpMethod.Post, "/api/v1/bills", Rent());
        Assert.Equal(HttpStatusCode.Created, created);
        var id = bill.GetProperty("id").GetInt64();
        Assert.Equal((950m, "EUR", "2026-11-20", "monthlyOnDay"), (bill.GetProperty("amount").GetDecimal(), bill.GetProperty("currency").GetString(),
            bill.GetProperty("nextDue").GetString(), bill.GetProperty("kind").GetString()));

        var (edited, changed) = await ben.SendAsync(HttpMethod.Put, $"/api/v1/bills/{id}", Rent("Rent flat", 975.5m));
        Assert.Equal(HttpStatusCode.OK, edited);
        Assert.Equal(("Rent flat", 975.5m), (changed.GetProperty("name").GetString(), changed.GetProperty("amount").GetDecimal()));

        var (paid, payment) = await ben.SendAsync(HttpMethod.Post, $"/api/v1/bills/{id}/paid", new { amount = 980m });
        Assert.Equal(HttpStatusCode.OK, paid);
        Assert.True(payment.GetProperty("transactionId").GetInt64() > 0);
        Assert.Equal("2026-12-20", payment.GetProperty("bill").GetProperty("nextDue").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await ben.SendAsync(HttpMethod.Delete, $"/api/v1/bills/{id}")).Status);
        Assert.DoesNotContain((await ben.FetchAsync("/api/v1/bills")).Body.Items(), b => b.GetProperty("id").GetInt64() == id);
        Assert.True((await ben.FetchAsync($"/api/v1/bills/{id}")).Body.GetProperty("archived").GetBoolean());
        Assert.Contains((await ben.FetchAsync("/api/v1/bills?includeArchived=true")).Body.Items(), b => b.GetProperty("id").GetInt64() == id);
    }

    [ProviderTheory]
    public async Task Bill_input_is_checked_field_by_field_with_the_apis_names(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var ana = await api.ClientAsync("Ana");
        var (status, problem) = await ana.SendAsync(HttpMethod.Post, "/api/v1/bills", new
        {
            name = "",
            categoryId = 999_999,
            amount = 10m,
            kind = "monthlyOnDay",
            dayOfMonth = 5,
            start = "2026-11-01",
            reminderLeadDays = 90,
            isEstimate = true,
            minAmount = 20m,
            maxAmount = 30m,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["Give the bill a name."], problem.FieldErrors("name"));
        Assert.Equal(["Choose a category of this household."], problem.FieldErrors("categoryId"));
        Assert.Equal(["Remind between 0 and 60 days ahead."], problem.FieldErrors("reminderLeadDays"));
        Assert.Single(problem.FieldErrors("minAmount"));

        Assert.Equal(["EUR amounts have at most 2 decimals."], (await ana.SendAsync(HttpMethod.Post, "/api/v1/bills", Rent(amount: 1.001m))).Body.FieldErrors("amount"));
        Assert.Single((await ana.SendAsync(HttpMethod.Post, "/api/v1/bills", new { name = "No start", categoryId = api.Family.GroceriesId, amount = 5m })).Body.FieldErrors("start"));
        Assert.DoesNotContain((await ana.FetchAsync("/api/v1/bills")).Body.Items(), b => b.GetProperty("name").GetString() is "" or "No start");
    }

    [ProviderTheory]
    [InlineData("Kim", ApiTokenScopes.ReadWrite)]
    [InlineData("Vic", ApiTokenScopes.Read)]
    [InlineData("Ben", ApiTokenScopes.Read)]
    public async Task Viewers_children_and_read_only_tokens_cannot_change_bills(DatabaseProvider provider, string name, ApiTokenScopes scopes)
    {
        await OnAsync(provider);
        var (_, bill) = await (await api.ClientAsync("Ana")).SendAsync(HttpMethod.Post, "/api/v1/bills", Rent("Insurance " + name + scopes));
        var id = bill.GetProperty("id").GetInt64();
        var client = await api.ClientAsync(name, scopes);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, "/api/v1/bills", Rent("Mine"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Put, $"/api/v1/bills/{id}", Rent("Mine"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, $"/api/v1/bills/{id}/paid")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Delete, $"/api/v1/bills/{id}")).Status);
        var after = (await (await api.ClientAsync("Ana")).FetchAsync($"/api/v1/bills/{id}")).Body;
        Assert.Equal(("Insurance " + name + scopes, "2026-11-20", false),
            (after.GetProperty("name").GetString(), after.GetProperty("nextDue").GetString(), after.GetProperty("archived").GetBoolean()));
    }
}
