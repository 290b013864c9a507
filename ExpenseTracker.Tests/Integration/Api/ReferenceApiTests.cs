using System.Net;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>Members, accounts, categories and tags over the API: shapes, validation per field, roles and scopes.</summary>
public sealed class ReferenceApiTests(HouseholdApiFixtures households) : IClassFixture<HouseholdApiFixtures>
{
    private HouseholdApiFixture api = null!;

    private async Task OnAsync(DatabaseProvider provider) => api = await households.ForAsync(provider);

    [ProviderTheory]
    public async Task Members_are_listed_with_name_role_and_join_date_and_no_email(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (status, page) = await (await api.ClientAsync("Vic")).FetchAsync("/api/v1/members");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(6, page.GetProperty("totalCount").GetInt32());
        var kim = page.Items().Single(m => m.GetProperty("name").GetString() == "Kim");
        Assert.Equal("child", kim.GetProperty("role").GetString());
        Assert.True(kim.TryGetProperty("joined", out _));
        Assert.False(kim.TryGetProperty("email", out _));
        Assert.True(page.Items().Single(m => m.GetProperty("name").GetString() == "Vic").GetProperty("isMe").GetBoolean());

        var (one, ana) = await (await api.ClientAsync("Vic")).FetchAsync($"/api/v1/members/{api.Family.Id("Ana")}");
        Assert.Equal(HttpStatusCode.OK, one);
        Assert.Equal("owner", ana.GetProperty("role").GetString());
    }

    [ProviderTheory]
    public async Task Lists_are_paged_and_bad_paging_names_the_parameter(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var client = await api.ClientAsync("Ana");
        var (_, page) = await client.FetchAsync("/api/v1/members?page=2&pageSize=4");
        Assert.Equal((2, 4, 6, 2), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(),
            page.GetProperty("totalCount").GetInt32(), page.Items().Count()));

        var (status, problem) = await client.FetchAsync("/api/v1/categories?pageSize=500");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("200", Assert.Single(problem.FieldErrors("pageSize")), StringComparison.Ordinal);
        Assert.Single((await client.FetchAsync("/api/v1/tags?page=zero")).Body.FieldErrors("page"));
    }

    [ProviderTheory]
    public async Task An_account_is_created_edited_archived_and_reopened(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var client = await api.ClientAsync("Ben");
        var (created, account) = await client.SendAsync(HttpMethod.Post, "/api/v1/accounts",
            new { name = "Ben's card", kind = "creditCard", currency = "EUR", number = "4000 1234 5678 9012" });
        Assert.Equal(HttpStatusCode.Created, created);
        var id = account.GetProperty("id").GetInt64();
        Assert.Equal(("creditCard", "****9012", false), (account.GetProperty("kind").GetString(), account.GetProperty("maskedNumber").GetString(),
            account.GetProperty("archived").GetBoolean()));

        var (renamed, edited) = await client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{id}", new { name = "Ben's Visa" });
        Assert.Equal(HttpStatusCode.OK, renamed);
        Assert.Equal(("Ben's Visa", "****9012", "creditCard"), (edited.GetProperty("name").GetString(),
            edited.GetProperty("maskedNumber").GetString(), edited.GetProperty("kind").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/v1/accounts/{id}")).Status);
        Assert.True((await client.FetchAsync($"/api/v1/accounts/{id}")).Body.GetProperty("archived").GetBoolean());
        var (reopened, back) = await client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{id}", new { archived = false });
        Assert.Equal(HttpStatusCode.OK, reopened);
        Assert.False(back.GetProperty("archived").GetBoolean());
    }

    [ProviderTheory]
    public async Task Account_input_is_checked_field_by_field_as_in_the_dialog(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var client = await api.ClientAsync("Ana");
        async Task<IReadOnlyList<string>> ErrorsAsync(object body, string field)
        {
            var (status, problem) = await client.SendAsync(HttpMethod.Post, "/api/v1/accounts", body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            return problem.FieldErrors(field);
        }

        Assert.Equal(["Enter a name."], await ErrorsAsync(new { name = " ", kind = "cash", currency = "EUR" }, "name"));
        Assert.Equal(["There is already an account with that name."], await ErrorsAsync(new { name = "CASH", kind = "cash", currency = "EUR" }, "name"));
        Assert.Equal(["Choose an ISO 4217 currency, e.g. EUR."], await ErrorsAsync(new { name = "Wallet", kind = "cash", currency = "XXY" }, "currency"));
        Assert.Contains("creditCard", Assert.Single(await ErrorsAsync(new { name = "Wallet", kind = "piggy", currency = "EUR" }, "kind")), StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task The_last_open_account_cannot_be_archived_and_nothing_changes(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (_, _, token, client) = await CreateOtherHouseholdAsync("solo@example.com");
        _ = token;
        var cash = (await client.FetchAsync("/api/v1/accounts")).Body.Items().Single();
        var id = cash.GetProperty("id").GetInt64();

        var (status, problem) = await client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{id}", new { name = "Renamed", archived = true });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Single(problem.FieldErrors("archived"));
        var after = (await client.FetchAsync($"/api/v1/accounts/{id}")).Body;
        Assert.Equal((cash.GetProperty("name").GetString(), false), (after.GetProperty("name").GetString(), after.GetProperty("archived").GetBoolean()));
        Assert.Single((await client.SendAsync(HttpMethod.Delete, $"/api/v1/accounts/{id}")).Body.FieldErrors("archived"));
    }

    [ProviderTheory]
    public async Task A_category_is_created_recoloured_archived_and_deleted_moving_its_expenses(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var client = await api.ClientAsync("Ana");
        var (created, category) = await client.SendAsync(HttpMethod.Post, "/api/v1/categories", new { name = "Garden" });
        Assert.Equal(HttpStatusCode.Created, created);
        var id = category.GetProperty("id").GetInt64();
        Assert.Equal(("Category", 0), (category.GetProperty("icon").GetString(), category.GetProperty("lineCount").GetInt32()));

        var (_, options) = await client.FetchAsync("/api/v1/categories/options");
        var colour = options.GetProperty("colors")[3].GetString();
        var (updated, edited) = await client.SendAsync(HttpMethod.Put, $"/api/v1/categories/{id}", new { color = colour, archived = true });
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal((colour, "Garden", true), (edited.GetProperty("color").GetString(), edited.GetProperty("name").GetString(), edited.GetProperty("archived").GetBoolean()));

        await api.Family.AddAsync("Ana", 12_00);
        var groceries = api.Family.GroceriesId;
        var (inUse, problem) = await client.SendAsync(HttpMethod.Delete, $"/api/v1/categories/{groceries}");
        Assert.Equal(HttpStatusCode.BadRequest, inUse);
        Assert.Equal(["This category is in use: choose another category for its expenses."], problem.FieldErrors("moveTo"));

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/v1/categories/{groceries}?moveTo={id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.FetchAsync($"/api/v1/categories/{groceries}")).Status);
        Assert.True((await client.FetchAsync($"/api/v1/categories/{id}")).Body.GetProperty("lineCount").GetInt32() >= 1);
    }

    [ProviderTheory]
    public async Task Category_input_is_checked_field_by_field(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var client = await api.ClientAsync("Ben");
        Assert.Equal(["Pick a colour from the palette."],
            (await client.SendAsync(HttpMethod.Post, "/api/v1/categories", new { name = "Pets", color = "#123456" })).Body.FieldErrors("color"));
        Assert.Equal(["Pick an icon from the list."],
            (await client.SendAsync(HttpMethod.Post, "/api/v1/categories", new { name = "Pets", icon = "unicorn" })).Body.FieldErrors("icon"));
        Assert.Equal(["A name can be at most 50 characters."],
            (await client.SendAsync(HttpMethod.Post, "/api/v1/categories", new { name = new string('x', 51) })).Body.FieldErrors("name"));
    }

    [ProviderTheory]
    public async Task Tags_are_created_renamed_and_deleted_with_unique_folded_names(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var client = await api.ClientAsync("Ana");
        var (created, tag) = await client.SendAsync(HttpMethod.Post, "/api/v1/tags", new { name = "Café" });
        Assert.Equal(HttpStatusCode.Created, created);
        var id = tag.GetProperty("id").GetInt64();

        Assert.Equal(["There is already a tag with that name."],
            (await client.SendAsync(HttpMethod.Post, "/api/v1/tags", new { name = "cafe" })).Body.FieldErrors("name"));
        Assert.Equal(["Tags must be 1 to 40 characters."],
            (await client.SendAsync(HttpMethod.Post, "/api/v1/tags", new { name = "" })).Body.FieldErrors("name"));

        var (renamed, edited) = await client.SendAsync(HttpMethod.Put, $"/api/v1/tags/{id}", new { name = "Coffee" });
        Assert.Equal((HttpStatusCode.OK, "Coffee"), (renamed, edited.GetProperty("name").GetString()));
        Assert.Contains((await client.FetchAsync("/api/v1/tags")).Body.Items(), t => t.GetProperty("name").GetString() == "Coffee");

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/v1/tags/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.FetchAsync($"/api/v1/tags/{id}")).Status);
    }

    [ProviderTheory]
    [InlineData("Vic")]
    [InlineData("Kim")]
    public async Task Viewers_and_children_cannot_change_accounts_categories_or_tags(DatabaseProvider provider, string name)
    {
        await OnAsync(provider);
        var client = await api.ClientAsync(name);
        var account = api.Family.CashAccountId;
        var calls = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Post, "/api/v1/accounts", new { name = "Mine", kind = "cash", currency = "EUR" }),
            (HttpMethod.Put, $"/api/v1/accounts/{account}", new { name = "Mine" }),
            (HttpMethod.Delete, $"/api/v1/accounts/{account}", null),
            (HttpMethod.Post, "/api/v1/categories", new { name = "Mine" }),
            (HttpMethod.Post, "/api/v1/tags", new { name = "mine" }),
        };
        foreach (var (method, url, body) in calls)
        {
            var (status, problem) = await client.SendAsync(method, url, body);
            Assert.True(status == HttpStatusCode.Forbidden, $"{method} {url} answered {status}");
            Assert.Equal(403, problem.GetProperty("status").GetInt32());
        }

        Assert.Equal(HttpStatusCode.OK, (await client.FetchAsync("/api/v1/accounts")).Status);
    }

    [ProviderTheory]
    public async Task A_read_only_token_reads_but_cannot_write(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var client = await api.ClientAsync("Ana", ApiTokenScopes.Read);
        Assert.Equal(HttpStatusCode.OK, (await client.FetchAsync("/api/v1/tags")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, "/api/v1/tags", new { name = "read-only" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, "/api/v1/categories", new { name = "read-only" })).Status);
    }

    [ProviderTheory]
    public async Task The_openapi_document_describes_every_household_data_endpoint_with_its_errors(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (_, document) = await (await api.ClientAsync("Ana")).FetchAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        var expected = new (string Path, string Method, string Error)[]
        {
            ("/api/v1/members", "get", "400"), ("/api/v1/members/{id}", "get", "404"),
            ("/api/v1/accounts", "post", "403"), ("/api/v1/accounts/{id}", "put", "404"), ("/api/v1/accounts/{id}", "delete", "404"),
            ("/api/v1/categories", "post", "400"), ("/api/v1/categories/{id}", "delete", "404"), ("/api/v1/categories/options", "get", "401"),
            ("/api/v1/tags", "get", "400"), ("/api/v1/tags/{id}", "put", "404"), ("/api/v1/tags/{id}", "delete", "403"),
            ("/api/v1/budgets", "get", "400"), ("/api/v1/budgets/{categoryId}", "put", "404"), ("/api/v1/budgets/{categoryId}", "delete", "404"),
            ("/api/v1/totals/monthly", "get", "400"),
            ("/api/v1/bills", "post", "400"), ("/api/v1/bills/{id}", "put", "404"), ("/api/v1/bills/{id}/paid", "post", "404"),
            ("/api/v1/imports", "post", "422"), ("/api/v1/imports", "get", "403"), ("/api/v1/imports/{id}", "delete", "404"),
        };
        foreach (var (path, method, error) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), path);
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path}");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
            Assert.NotEmpty(operation.GetProperty("tags").EnumerateArray());
            Assert.True(operation.GetProperty("responses").TryGetProperty(error, out _), $"{method} {path} lists no {error}");
        }
    }

    private Task<(long HouseholdId, long MemberId, string Token, HttpClient Client)> CreateOtherHouseholdAsync(string email) =>
        Infrastructure.ApiTestClient.CreateApiHouseholdAsync(api.App, email);
}
