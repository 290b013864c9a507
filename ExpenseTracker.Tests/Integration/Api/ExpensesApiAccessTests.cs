using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using Microsoft.Extensions.DependencyInjection;
using static ExpenseTracker.Tests.Integration.Api.ExpensesApiHttp;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>
/// Who sees and changes what through <c>/api/v1/expenses</c>: privacy, the roles of the family (Ana owner, Ben member,
/// Vic viewer, Kim child), read-only tokens, and another household (always 404, never its rows).
/// </summary>
public sealed class ExpensesApiAccessTests : IAsyncLifetime
{
    private const string Expenses = "/api/v1/expenses";
    private TestApp app = null!;
    private readonly List<HttpClient> clients = [];
    private Family family = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        family = await Family.CreateAsync(app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        clients.ForEach(c => c.Dispose());
        await (app?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    private async Task<HttpClient> ClientFor(string name, ApiTokenScopes scopes = ApiTokenScopes.ReadWrite)
    {
        var client = app.CreateApiClient(await app.CreateTokenAsync(family.HouseholdId, family.Id(name), family.People[name].Role, scopes));
        clients.Add(client);
        return client;
    }

    private object Coffee(decimal amount = 4.5m, bool isPrivate = false, string payee = "Corner Café") =>
        new { amount, categoryId = family.GroceriesId, payee, isPrivate };

    private static async Task<(long Id, string ETag)> PostAsync(HttpClient client, object body)
    {
        var response = await client.PostJsonAsync(Expenses, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return ((await response.JsonAsync()).GetProperty("id").GetInt64(), ETagOf(response));
    }

    [ProviderTheory]
    public async Task Bens_private_expense_is_invisible_to_anas_token_but_counted_in_her_totals(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var ben = await ClientFor("Ben");
        var ana = await ClientFor("Ana");
        var (secret, etag) = await PostAsync(ben, Coffee(25m, isPrivate: true, payee: "Secret Santa"));
        var (visible, _) = await PostAsync(ana, Coffee(10m));

        await (await ana.GetAsync(Url($"{Expenses}/{secret}"))).ProblemAsync(HttpStatusCode.NotFound);
        await (await ana.PutJsonAsync($"{Expenses}/{secret}", Coffee(1m), etag)).ProblemAsync(HttpStatusCode.NotFound);
        await (await ana.DeleteAsync($"{Expenses}/{secret}", null)).ProblemAsync(HttpStatusCode.NotFound);
        var page = await ana.GetJsonAsync(Expenses);
        Assert.Equal([visible], Ids(page));
        var totals = page.GetProperty("totals");
        Assert.Equal(10m, totals.GetProperty("spending").GetDecimal());
        Assert.Equal(1, totals.GetProperty("hiddenPrivate").GetProperty("count").GetInt32());
        Assert.Equal(25m, totals.GetProperty("hiddenPrivate").GetProperty("spending").GetDecimal());
        Assert.Equal(35m, totals.GetProperty("totalSpending").GetDecimal());
        Assert.Empty(Ids(await ana.GetJsonAsync($"{Expenses}?q=santa")));
        var csv = await (await ana.GetAsync(Url("/api/v1/exports/expenses.csv"))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Secret Santa", csv, StringComparison.Ordinal);
        Assert.Contains("private (1 item)", csv, StringComparison.Ordinal);

        var own = await ben.GetJsonAsync($"{Expenses}/{secret}");
        Assert.True(own.GetProperty("isPrivate").GetBoolean());
        Assert.Equal("Secret Santa", own.GetProperty("payee").GetString());
    }

    [ProviderTheory]
    public async Task Kim_the_child_sees_and_changes_only_her_own_expenses(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var anas = await family.AddAsync("Ana", 10_00);
        var kims = await family.AddAsync("Kim", 3_00);
        var kim = await ClientFor("Kim");

        Assert.Equal([kims], Ids(await kim.GetJsonAsync(Expenses)));
        await (await kim.GetAsync(Url($"{Expenses}/{anas}"))).ProblemAsync(HttpStatusCode.NotFound);
        await (await kim.PutJsonAsync($"{Expenses}/{anas}", Coffee(), "\"1\"")).ProblemAsync(HttpStatusCode.NotFound);
        await (await kim.DeleteAsync($"{Expenses}/{anas}", null)).ProblemAsync(HttpStatusCode.NotFound);

        var get = await kim.GetAsync(Url($"{Expenses}/{kims}"));
        var put = await kim.PutJsonAsync($"{Expenses}/{kims}", Coffee(3.5m), ETagOf(get));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var (created, _) = await PostAsync(kim, Coffee(2m));
        Assert.Equal(family.Id("Kim"), (await kim.GetJsonAsync($"{Expenses}/{created}")).GetProperty("paidByMemberId").GetInt64());

        var ana = await ClientFor("Ana");
        Assert.Equal(10m, (await ana.GetJsonAsync($"{Expenses}/{anas}")).GetProperty("amount").GetDecimal());
        Assert.Equal(new[] { anas, kims, created }.Order(), Ids(await ana.GetJsonAsync(Expenses)).Order());
    }

    [ProviderTheory]
    public async Task A_viewer_reads_but_every_write_answers_403(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var existing = await family.AddAsync("Ana", 10_00);
        var vic = await ClientFor("Vic", ApiTokenScopes.Read);
        Assert.Equal([existing], Ids(await vic.GetJsonAsync(Expenses)));
        Assert.Contains("read-only", await (await vic.PostJsonAsync(Expenses, Coffee())).ProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);

        // Max's read-write token outlives his demotion to viewer: the role, not the token, decides.
        var max = await ClientFor("Max");
        await using (var scope = family.As("Ana"))
        {
            await scope.ServiceProvider.GetRequiredService<MembershipService>().ChangeRoleAsync(family.Id("Max"), MemberRole.Viewer);
        }

        var etag = ETagOf(await max.GetAsync(Url($"{Expenses}/{existing}")));
        await (await max.PostJsonAsync(Expenses, Coffee())).ProblemAsync(HttpStatusCode.Forbidden);
        await (await max.PutJsonAsync($"{Expenses}/{existing}", Coffee(1m), etag)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await max.DeleteAsync($"{Expenses}/{existing}", null)).ProblemAsync(HttpStatusCode.Forbidden);

        var page = await vic.GetJsonAsync(Expenses);
        Assert.Equal([existing], Ids(page));
        Assert.Equal(10m, page.GetProperty("totals").GetProperty("spending").GetDecimal());
    }

    [ProviderTheory]
    public async Task A_read_only_token_reads_and_its_writes_answer_403(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var existing = await family.AddAsync("Ana", 10_00);
        var reader = await ClientFor("Ana", ApiTokenScopes.Read);

        var get = await reader.GetAsync(Url($"{Expenses}/{existing}"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("read-only", await (await reader.PostJsonAsync(Expenses, Coffee())).ProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);
        await (await reader.PutJsonAsync($"{Expenses}/{existing}", Coffee(1m), ETagOf(get))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.DeleteAsync($"{Expenses}/{existing}", null)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(Url($"/api/v1/exports/expenses.csv"))).StatusCode);

        Assert.Equal([existing], Ids(await reader.GetJsonAsync(Expenses)));
    }

    [ProviderTheory]
    public async Task Another_households_token_gets_404_for_its_ids_and_never_sees_its_rows(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var ana = await ClientFor("Ana");
        var (id, etag) = await PostAsync(ana, Coffee(12m, payee: "Family Bakery"));
        var (zoeHousehold, _, _, zoe) = await app.CreateApiHouseholdAsync("zoe@example.com");
        clients.Add(zoe);
        var zoeGroceries = await app.CategoryAsync(zoeHousehold, "Groceries");

        await (await zoe.GetAsync(Url($"{Expenses}/{id}"))).ProblemAsync(HttpStatusCode.NotFound);
        await (await zoe.PutJsonAsync($"{Expenses}/{id}", new { amount = 1m, categoryId = zoeGroceries }, etag)).ProblemAsync(HttpStatusCode.NotFound);
        await (await zoe.PutJsonAsync($"{Expenses}/{id}", new { amount = 1m, categoryId = zoeGroceries }, "*")).ProblemAsync(HttpStatusCode.NotFound);
        await (await zoe.DeleteAsync($"{Expenses}/{id}", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await zoe.DeleteAsync($"{Expenses}/{id}", etag)).ProblemAsync(HttpStatusCode.NotFound);

        var page = await zoe.GetJsonAsync($"{Expenses}?range=all");
        Assert.Equal(0, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(0, page.GetProperty("totals").GetProperty("hiddenPrivate").GetProperty("count").GetInt32());
        Assert.Equal(0, (await zoe.GetJsonAsync($"{Expenses}?q=bakery")).GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await zoe.GetJsonAsync($"{Expenses}?cat={family.GroceriesId}")).GetProperty("totalCount").GetInt32());
        var csv = await (await zoe.GetAsync(Url("/api/v1/exports/expenses.csv"))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Bakery", csv, StringComparison.Ordinal);
        Assert.Single(csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));

        // Nor can Zoe book onto the family's account or category.
        var errors = await (await zoe.PostJsonAsync(Expenses, new { amount = 1m, categoryId = family.GroceriesId, accountId = family.CashAccountId }))
            .ValidationErrorsAsync();
        Assert.Contains("accountId", errors.Keys);
        Assert.Contains("categoryId", errors.Keys);

        var unchanged = await ana.GetAsync(Url($"{Expenses}/{id}"));
        Assert.Equal(etag, ETagOf(unchanged));
        Assert.Equal("Family Bakery", (await unchanged.JsonAsync()).GetProperty("payee").GetString());
    }

    [ProviderTheory]
    public async Task Put_keeps_the_split_among_members_and_rescales_it_to_a_new_amount(DatabaseProvider provider)
    {
        await StartAsync(provider);
        long id;
        await using (var scope = family.As("Ana"))
        {
            id = await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
            {
                AmountMinor = 10_00,
                Date = new DateOnly(2026, 11, 10),
                AccountId = family.CashAccountId,
                Lines = [new LineInput(family.GroceriesId, 10_00)],
                Split = new ShareSplit(SplitMethod.Equal, [new SplitPart(family.Id("Ana")), new SplitPart(family.Id("Ben"))]),
            });
        }

        var ana = await ClientFor("Ana");
        var get = await ana.GetAsync(Url($"{Expenses}/{id}"));
        Assert.Equal([5m, 5m], (await get.JsonAsync()).GetProperty("shares").EnumerateArray().Select(s => s.GetProperty("amount").GetDecimal()));

        var put = await ana.PutJsonAsync($"{Expenses}/{id}", new { amount = 12m, categoryId = family.GroceriesId, accountId = family.CashAccountId }, ETagOf(get));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var shares = (await put.JsonAsync()).GetProperty("shares").EnumerateArray().ToList();
        Assert.Equal([family.Id("Ana"), family.Id("Ben")], shares.Select(s => s.GetProperty("memberId").GetInt64()));
        Assert.Equal([6m, 6m], shares.Select(s => s.GetProperty("amount").GetDecimal()));

        var errors = await (await ana.PutJsonAsync($"{Expenses}/{id}", new { amount = 12m, categoryId = family.GroceriesId, isPrivate = true }, ETagOf(put)))
            .ValidationErrorsAsync();
        Assert.Contains("isPrivate", errors.Keys);
    }
}
