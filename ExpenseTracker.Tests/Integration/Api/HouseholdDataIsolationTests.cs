using System.Net;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>
/// Another household's token (Eve's) gets 404 for every id of this household on every id-bearing endpoint, and its
/// lists never show this household's rows; nothing of this household changes.
/// </summary>
public sealed class HouseholdDataIsolationTests(HouseholdApiFixtures households) : IClassFixture<HouseholdApiFixtures>
{
    private HouseholdApiFixture api = null!;
    private long tagId;
    private long billId;
    private long batchId;
    private long categoryId;

    // xUnit makes a class instance per test over the provider's shared app: each instance makes its own rows.
    private readonly string name = "Family only " + Guid.NewGuid().ToString("N")[..8];

    private async Task OnAsync(DatabaseProvider provider)
    {
        api = await households.ForAsync(provider);
        var ana = await api.ClientAsync("Ana");
        tagId = (await ana.SendAsync(HttpMethod.Post, "/api/v1/tags", new { name })).Body.GetProperty("id").GetInt64();
        categoryId = (await ana.SendAsync(HttpMethod.Post, "/api/v1/categories", new { name })).Body.GetProperty("id").GetInt64();
        await ana.SendAsync(HttpMethod.Put, $"/api/v1/budgets/{categoryId}", new { amount = 100m });
        billId = (await ana.SendAsync(HttpMethod.Post, "/api/v1/bills", new
        {
            name = "Family rent",
            categoryId,
            amount = 900m,
            kind = "monthlyOnDay",
            dayOfMonth = 1,
            start = "2026-11-01",
        })).Body.GetProperty("id").GetInt64();
        // The first instance imports; later ones find the statement already imported and take its batch from the history.
        await ImportsApiTests.UploadAsync(ana, await File.ReadAllBytesAsync(ImportsApiTests.OfxPath), "family.ofx", accountId: api.Family.CashAccountId);
        batchId = (await ana.FetchAsync("/api/v1/imports")).Body.Items()
            .First(b => b.GetProperty("fileName").GetString() == "family.ofx").GetProperty("id").GetInt64();
    }

    [ProviderTheory]
    public async Task Every_id_of_another_household_is_not_found(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var account = api.Family.CashAccountId;
        var member = api.Family.Id("Ben");
        var calls = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Get, $"/api/v1/members/{member}", null),
            (HttpMethod.Get, $"/api/v1/accounts/{account}", null),
            (HttpMethod.Put, $"/api/v1/accounts/{account}", new { name = "Eve's now" }),
            (HttpMethod.Delete, $"/api/v1/accounts/{account}", null),
            (HttpMethod.Get, $"/api/v1/categories/{categoryId}", null),
            (HttpMethod.Put, $"/api/v1/categories/{categoryId}", new { name = "Eve's now" }),
            (HttpMethod.Delete, $"/api/v1/categories/{categoryId}", null),
            (HttpMethod.Get, $"/api/v1/tags/{tagId}", null),
            (HttpMethod.Put, $"/api/v1/tags/{tagId}", new { name = "Eve's now" }),
            (HttpMethod.Delete, $"/api/v1/tags/{tagId}", null),
            (HttpMethod.Put, $"/api/v1/budgets/{categoryId}", new { amount = 1m }),
            (HttpMethod.Delete, $"/api/v1/budgets/{categoryId}", null),
            (HttpMethod.Get, $"/api/v1/bills/{billId}", null),
            (HttpMethod.Put, $"/api/v1/bills/{billId}", new { name = "Eve's now", categoryId, amount = 1m, kind = "monthlyOnDay", dayOfMonth = 1, start = "2026-11-01" }),
            (HttpMethod.Post, $"/api/v1/bills/{billId}/paid", null),
            (HttpMethod.Delete, $"/api/v1/bills/{billId}", null),
            (HttpMethod.Get, $"/api/v1/imports/{batchId}", null),
            (HttpMethod.Delete, $"/api/v1/imports/{batchId}", null),
        };

        foreach (var (method, url, body) in calls)
        {
            var (status, problem) = await api.Eve.SendAsync(method, url, body);
            Assert.True(status == HttpStatusCode.NotFound, $"{method} {url} answered {status}");
            Assert.Equal(404, problem.GetProperty("status").GetInt32());
        }

        var ana = await api.ClientAsync("Ana");
        Assert.Equal(name, (await ana.FetchAsync($"/api/v1/tags/{tagId}")).Body.GetProperty("name").GetString());
        Assert.Equal(name, (await ana.FetchAsync($"/api/v1/categories/{categoryId}")).Body.GetProperty("name").GetString());
        var bill = (await ana.FetchAsync($"/api/v1/bills/{billId}")).Body;
        Assert.Equal(("Family rent", false), (bill.GetProperty("name").GetString(), bill.GetProperty("archived").GetBoolean()));
        Assert.False((await ana.FetchAsync($"/api/v1/imports/{batchId}")).Body.GetProperty("undone").GetBoolean());
        Assert.False((await ana.FetchAsync($"/api/v1/accounts/{account}")).Body.GetProperty("archived").GetBoolean());
    }

    [ProviderTheory]
    public async Task Another_households_lists_never_show_this_households_rows(DatabaseProvider provider)
    {
        await OnAsync(provider);
        static IEnumerable<long> Ids(JsonElement page, string property = "id") => page.Items().Select(i => i.GetProperty(property).GetInt64());

        Assert.DoesNotContain(api.Family.Id("Ben"), Ids((await api.Eve.FetchAsync("/api/v1/members")).Body));
        Assert.DoesNotContain(api.Family.CashAccountId, Ids((await api.Eve.FetchAsync("/api/v1/accounts")).Body));
        Assert.DoesNotContain(categoryId, Ids((await api.Eve.FetchAsync("/api/v1/categories")).Body));
        Assert.DoesNotContain(tagId, Ids((await api.Eve.FetchAsync("/api/v1/tags")).Body));
        Assert.DoesNotContain(billId, Ids((await api.Eve.FetchAsync("/api/v1/bills?includeArchived=true")).Body));
        Assert.DoesNotContain(batchId, Ids((await api.Eve.FetchAsync("/api/v1/imports")).Body));
        var budgets = (await api.Eve.FetchAsync("/api/v1/budgets")).Body.GetProperty("budgets");
        Assert.Empty(budgets.EnumerateArray());
        var totals = (await api.Eve.FetchAsync("/api/v1/totals/monthly?from=2026-01&to=2026-11")).Body;
        Assert.All(totals.GetProperty("months").EnumerateArray(), m => Assert.Equal(0m, m.GetProperty("total").GetDecimal()));
    }
}
