using System.Globalization;
using System.Net;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using static ExpenseTracker.Tests.Integration.Api.ExpensesApiHttp;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>
/// The contract of <c>/api/v1/expenses</c> for one household's owner: create every kind with defaults, read with an
/// ETag, replace with If-Match (428 without, 412 when stale), delete, and field errors named as the client sent them.
/// </summary>
public sealed class ExpensesApiTests : IAsyncLifetime
{
    private const string Expenses = "/api/v1/expenses";
    private TestApp app = null!;
    private HttpClient client = null!;
    private long householdId;
    private long memberId;
    private long cash;
    private long checking;
    private long groceries;
    private long dining;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        (householdId, memberId, _, client) = await app.CreateApiHouseholdAsync("ana@example.com");
        cash = await app.CashAsync(householdId);
        checking = await app.AccountAsync(householdId, "Checking");
        groceries = await app.CategoryAsync(householdId, "Groceries");
        dining = await app.CategoryAsync(householdId, "Dining out");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        client?.Dispose();
        await (app?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    private string Documented(string categoryId = "{G}") =>
        """
        { "kind": "expense", "date": "2026-11-20", "amount": 4.5, "currency": "EUR", "payee": "Café Central", "notes": null,
          "accountId": {A}, "toAccountId": null, "categoryId": {C}, "lines": null, "tags": ["coffee"], "isPrivate": false,
          "paidByMemberId": null }
        """.Replace("{A}", Id(cash), StringComparison.Ordinal).Replace("{C}", categoryId.Replace("{G}", Id(groceries), StringComparison.Ordinal), StringComparison.Ordinal);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await client.PostJsonAsync(Expenses, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    [ProviderTheory]
    public async Task Posting_the_documented_body_answers_201_with_location_etag_and_the_resource(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var response = await client.PostRawAsync(Expenses, Documented());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var id = created.GetProperty("id").GetInt64();
        var version = created.GetProperty("version").GetInt64();
        Assert.Equal($"/api/v1/expenses/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal($"\"{version}\"", ETagOf(response));
        Assert.Equal("expense", created.GetProperty("kind").GetString());
        Assert.Equal("2026-11-20", created.GetProperty("date").GetString());
        Assert.Equal(4.5m, created.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", created.GetProperty("currency").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("original").ValueKind);
        Assert.Equal("Café Central", created.GetProperty("payee").GetString());
        Assert.Equal(cash, created.GetProperty("accountId").GetInt64());
        Assert.Equal(memberId, created.GetProperty("paidByMemberId").GetInt64());
        var line = Assert.Single(created.GetProperty("lines").EnumerateArray());
        Assert.Equal(groceries, line.GetProperty("categoryId").GetInt64());
        Assert.Equal(4.5m, line.GetProperty("amount").GetDecimal());
        Assert.Equal("coffee", Assert.Single(created.GetProperty("tags").EnumerateArray()).GetString());
        Assert.False(created.GetProperty("isPrivate").GetBoolean());
        Assert.Empty(created.GetProperty("shares").EnumerateArray());

        var get = await client.GetAsync(Url($"{Expenses}/{id}"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal($"\"{version}\"", ETagOf(get));
        Assert.Equal(created.ToString(), (await get.JsonAsync()).ToString());
    }

    [ProviderTheory]
    public async Task Omitted_fields_default_to_today_in_the_household_zone_its_currency_and_the_last_used_account(DatabaseProvider provider)
    {
        await StartAsync(provider);
        // 23:30 UTC is already the next day in Berlin, the household's zone.
        app.Time.SetUtcNow(new DateTimeOffset(2026, 11, 15, 23, 30, 0, TimeSpan.Zero));

        var first = await CreateAsync(new { amount = 3m, categoryId = groceries });
        Assert.Equal("2026-11-16", first.GetProperty("date").GetString());
        Assert.Equal("EUR", first.GetProperty("currency").GetString());
        Assert.Equal("expense", first.GetProperty("kind").GetString());
        Assert.Equal(cash, first.GetProperty("accountId").GetInt64());

        await CreateAsync(new { amount = 3m, categoryId = groceries, accountId = checking });
        Assert.Equal(checking, (await CreateAsync(new { amount = 3m, categoryId = groceries })).GetProperty("accountId").GetInt64());
    }

    [ProviderTheory]
    public async Task Every_kind_can_be_recorded(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var income = await CreateAsync(new { kind = "income", amount = 2000m, payee = "Employer" });
        Assert.Equal("income", income.GetProperty("kind").GetString());
        Assert.Empty(income.GetProperty("lines").EnumerateArray());

        var refund = await CreateAsync(new { kind = "refund", amount = 5m, categoryId = groceries });
        Assert.Equal("refund", refund.GetProperty("kind").GetString());

        var transfer = await CreateAsync(new { kind = "transfer", amount = 100m, accountId = cash, toAccountId = checking });
        Assert.Equal("transfer", transfer.GetProperty("kind").GetString());
        Assert.Equal(checking, transfer.GetProperty("toAccountId").GetInt64());

        var expense = await CreateAsync(new { kind = "expense", amount = 4.5m, categoryId = groceries });
        Assert.Equal("expense", expense.GetProperty("kind").GetString());
    }

    /// <summary>
    /// The created resource is described from what was saved, not read back: it must be exactly what a GET returns —
    /// an existing payee and tag under their stored spelling, a new tag, lines in order, the exchange details, the ETag.
    /// </summary>
    [ProviderTheory]
    public async Task The_created_resource_is_exactly_what_a_get_returns(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await CreateAsync(new { amount = 2m, categoryId = groceries, payee = "Café Central", tags = new[] { "Coffee" } });

        var response = await client.PostJsonAsync(Expenses, new
        {
            amount = 10m, currency = "usd", exchangeRate = 0.92m, payee = "  CAFÉ central ", notes = " birthday  ",
            tags = new[] { "coffee", "Birthday", "birthday" }, date = "2026-11-14", accountId = checking,
            lines = new object[] { new { categoryId = dining, amount = 6m, note = "cake" }, new { categoryId = groceries, amount = 4m } },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var id = created.GetProperty("id").GetInt64();
        using var read = await client.GetAsync(Url($"{Expenses}/{id}"));

        Assert.Equal(ETagOf(response), ETagOf(read));
        var readBack = await read.JsonAsync();
        Assert.Equal(readBack.GetRawText(), created.GetRawText());
        Assert.Equal("Café Central", created.GetProperty("payee").GetString());
        Assert.Equal(["Birthday", "Coffee"], created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([dining, groceries], created.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("categoryId").GetInt64()));
    }

    [ProviderTheory]
    public async Task A_split_over_categories_keeps_its_lines_and_notes(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var created = await CreateAsync(new
        {
            amount = 4.5m,
            lines = new object[] { new { categoryId = groceries, amount = 3m }, new { categoryId = dining, amount = 1.5m, note = "cake" } },
        });

        var lines = created.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal([groceries, dining], lines.Select(l => l.GetProperty("categoryId").GetInt64()));
        Assert.Equal([3m, 1.5m], lines.Select(l => l.GetProperty("amount").GetDecimal()));
        Assert.Equal("cake", lines[1].GetProperty("note").GetString());
    }

    [ProviderTheory]
    public async Task Another_currency_is_converted_at_the_given_rate_and_its_lines_still_add_up(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var created = await CreateAsync(new { amount = 10m, currency = "USD", exchangeRate = 0.92m, categoryId = groceries });
        Assert.Equal(9.2m, created.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", created.GetProperty("currency").GetString());
        var original = created.GetProperty("original");
        Assert.Equal(10m, original.GetProperty("amount").GetDecimal());
        Assert.Equal("USD", original.GetProperty("currency").GetString());
        Assert.Equal(0.92m, original.GetProperty("exchangeRate").GetDecimal());

        // 0.33 + 0.33 + 0.34 at 1.5 round to 0.50 + 0.50 + 0.51: the cent goes back so the lines make 1.50.
        var split = await CreateAsync(new
        {
            amount = 1m, currency = "usd", exchangeRate = 1.5m,
            lines = new object[] { new { categoryId = groceries, amount = 0.33m }, new { categoryId = dining, amount = 0.33m }, new { categoryId = groceries, amount = 0.34m } },
        });
        Assert.Equal(1.5m, split.GetProperty("amount").GetDecimal());
        Assert.Equal(1.5m, split.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("amount").GetDecimal()));
    }

    [ProviderTheory]
    [InlineData("""{ "amount": 4.555, "categoryId": {G} }""", "amount", "2 decimals")]
    [InlineData("""{ "categoryId": {G} }""", "amount", "Enter the amount")]
    [InlineData("""{ "amount": -1, "categoryId": {G} }""", "amount", "greater than zero")]
    [InlineData("""{ "amount": 2000000000, "categoryId": {G} }""", "amount", "at most")]
    [InlineData("""{ "amount": "four", "categoryId": {G} }""", "amount", "number")]
    [InlineData("""{ "amount": 4, "categoryId": {G}, "date": "20.11.2026" }""", "date", "yyyy-MM-dd")]
    [InlineData("""{ "amount": 4, "categoryId": {G}, "date": "1850-01-01" }""", "date", "between 1900 and 2100")]
    [InlineData("""{ "amount": 4, "categoryId": {G}, "kind": "gift" }""", "kind", "expense, income")]
    [InlineData("""{ "amount": 4, "categoryId": {G}, "kind": "settlement" }""", "kind", "Settle up")]
    [InlineData("""{ "amount": 4 }""", "categoryId", "Choose a category")]
    [InlineData("""{ "amount": 4, "categoryId": 0 }""", "categoryId", "Choose a category")]
    [InlineData("""{ "amount": 4, "categoryId": 999999 }""", "categoryId", "does not exist")]
    [InlineData("""{ "amount": 4, "categoryId": {G}, "accountId": 999999 }""", "accountId", "does not exist")]
    [InlineData("""{ "amount": 4, "categoryId": {G}, "paidByMemberId": 999999 }""", "paidByMemberId", "does not belong")]
    [InlineData("""{ "amount": 4, "categoryId": {G}, "currency": "XYZ" }""", "currency", "ISO 4217")]
    [InlineData("""{ "amount": 4, "categoryId": {G}, "currency": "USD" }""", "exchangeRate", "exchangeRate")]
    [InlineData("""{ "amount": 450.5, "categoryId": {G}, "currency": "JPY", "exchangeRate": 0.0062 }""", "amount", "JPY has no decimals")]
    [InlineData("""{ "amount": 4, "categoryId": {G}, "tags": [""] }""", "tags", "1 to 40 characters")]
    [InlineData("""{ "amount": 4, "categoryId": {G}, "lines": [{ "categoryId": {G}, "amount": 4 }] }""", "categoryId", "not both")]
    [InlineData("""{ "amount": 4, "lines": [{ "categoryId": {G}, "amount": 3 }] }""", "lines", "add up")]
    [InlineData("""{ "amount": 4, "lines": [{ "categoryId": {G}, "amount": 3 }, { "amount": 1 }] }""", "lines[1].categoryId", "Choose a category")]
    [InlineData("""{ "amount": 4, "lines": [{ "categoryId": 999999, "amount": 3 }, { "categoryId": {G}, "amount": 1 }] }""", "lines[0].categoryId", "does not exist")]
    [InlineData("""{ "amount": 4, "lines": [{ "categoryId": {G}, "amount": 3.999 }] }""", "lines[0].amount", "2 decimals")]
    [InlineData("""{ "amount": 4, "lines": [{ "categoryId": {G}, "amount": "x" }] }""", "lines[0].amount", "number")]
    [InlineData("""{ "kind": "transfer", "amount": 4, "categoryId": {G}, "toAccountId": {K} }""", "categoryId", "no category")]
    [InlineData("""{ "kind": "transfer", "amount": 4 }""", "toAccountId", "Choose the account")]
    [InlineData("""[1, 2]""", "body", "JSON object")]
    public async Task A_bad_field_is_named_as_the_client_sent_it_and_nothing_is_written(DatabaseProvider provider, string json, string field, string message)
    {
        await StartAsync(provider);
        var body = json.Replace("{G}", Id(groceries), StringComparison.Ordinal).Replace("{K}", Id(checking), StringComparison.Ordinal);

        var errors = await (await client.PostRawAsync(Expenses, body)).ValidationErrorsAsync();

        Assert.True(errors.TryGetValue(field, out var messages), $"errors: {string.Join(", ", errors.Keys)}");
        Assert.Contains(messages, m => m.Contains(message, StringComparison.Ordinal));
        Assert.Equal(0, (await client.GetJsonAsync(Expenses)).GetProperty("totalCount").GetInt32());
    }

    [ProviderTheory]
    public async Task A_body_that_is_not_json_answers_415(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var response = await client.PostRawAsync(Expenses, "amount=4", "application/x-www-form-urlencoded");

        // Routing refuses it before the handler (the endpoint declares that it accepts JSON), still as a problem document.
        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [ProviderTheory]
    public async Task An_unknown_id_answers_404_with_a_problem(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await (await client.GetAsync(Url($"{Expenses}/999999"))).ProblemAsync(HttpStatusCode.NotFound);
    }

    [ProviderTheory]
    public async Task Put_replaces_the_expense_and_answers_its_new_etag(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var post = await client.PostRawAsync(Expenses, Documented());
        var id = (await post.JsonAsync()).GetProperty("id").GetInt64();

        var put = await client.PutJsonAsync($"{Expenses}/{id}",
            new { kind = "refund", date = "2026-11-21", amount = 6m, payee = "Bakery", accountId = checking, categoryId = dining, tags = new[] { "bread" } },
            ETagOf(post));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var replaced = await put.JsonAsync();
        Assert.NotEqual(ETagOf(post), ETagOf(put));
        Assert.Equal($"\"{replaced.GetProperty("version").GetInt64()}\"", ETagOf(put));
        Assert.Equal("refund", replaced.GetProperty("kind").GetString());
        Assert.Equal(6m, replaced.GetProperty("amount").GetDecimal());
        Assert.Equal("Bakery", replaced.GetProperty("payee").GetString());
        Assert.Equal(checking, replaced.GetProperty("accountId").GetInt64());
        Assert.Equal(dining, Assert.Single(replaced.GetProperty("lines").EnumerateArray()).GetProperty("categoryId").GetInt64());
        Assert.Equal("bread", Assert.Single(replaced.GetProperty("tags").EnumerateArray()).GetString());
        Assert.Equal(replaced.ToString(), (await client.GetJsonAsync($"{Expenses}/{id}")).ToString());
    }

    [ProviderTheory]
    public async Task Put_without_if_match_answers_428_and_with_a_stale_one_412_and_changes_nothing(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var post = await client.PostRawAsync(Expenses, Documented());
        var id = (await post.JsonAsync()).GetProperty("id").GetInt64();
        var body = new { amount = 7m, categoryId = groceries, accountId = cash };
        Assert.Equal(HttpStatusCode.OK, (await client.PutJsonAsync($"{Expenses}/{id}", body, ETagOf(post))).StatusCode);

        var missing = await client.PutJsonAsync($"{Expenses}/{id}", new { amount = 8m, categoryId = groceries }, null);
        Assert.Contains("If-Match", await missing.ProblemAsync(HttpStatusCode.PreconditionRequired), StringComparison.Ordinal);

        var stale = await client.PutJsonAsync($"{Expenses}/{id}", new { amount = 9m, categoryId = groceries }, ETagOf(post));
        Assert.Contains("ETag", await stale.ProblemAsync(HttpStatusCode.PreconditionFailed), StringComparison.Ordinal);

        Assert.Equal(7m, (await client.GetJsonAsync($"{Expenses}/{id}")).GetProperty("amount").GetDecimal());
    }

    [ProviderTheory]
    public async Task Put_accepts_a_weak_or_wildcard_if_match_and_answers_404_for_an_unknown_id(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var post = await client.PostRawAsync(Expenses, Documented());
        var id = (await post.JsonAsync()).GetProperty("id").GetInt64();

        var weak = await client.PutJsonAsync($"{Expenses}/{id}", new { amount = 5m, categoryId = groceries }, "W/" + ETagOf(post));
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutJsonAsync($"{Expenses}/{id}", new { amount = 6m, categoryId = groceries }, "*")).StatusCode);

        var unknown = await client.PutJsonAsync($"{Expenses}/999999", new { amount = 6m, categoryId = groceries }, "\"1\"");
        await unknown.ProblemAsync(HttpStatusCode.NotFound);
    }

    [ProviderTheory]
    public async Task Put_reports_field_errors_like_post(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var post = await client.PostRawAsync(Expenses, Documented());
        var id = (await post.JsonAsync()).GetProperty("id").GetInt64();

        var errors = await (await client.PutJsonAsync($"{Expenses}/{id}", new { amount = 1.001m, categoryId = groceries }, ETagOf(post))).ValidationErrorsAsync();

        Assert.Contains("amount", errors.Keys);
    }

    [ProviderTheory]
    public async Task Delete_answers_204_and_the_expense_is_gone_from_reads_and_lists(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var post = await client.PostRawAsync(Expenses, Documented());
        var id = (await post.JsonAsync()).GetProperty("id").GetInt64();

        var delete = await client.DeleteAsync($"{Expenses}/{id}", null);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await (await client.GetAsync(Url($"{Expenses}/{id}"))).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(Ids(await client.GetJsonAsync(Expenses)));
        await (await client.DeleteAsync($"{Expenses}/{id}", null)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [ProviderTheory]
    public async Task Delete_with_a_stale_if_match_answers_412_and_keeps_the_expense(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var post = await client.PostRawAsync(Expenses, Documented());
        var id = (await post.JsonAsync()).GetProperty("id").GetInt64();
        var put = await client.PutJsonAsync($"{Expenses}/{id}", new { amount = 5m, categoryId = groceries }, ETagOf(post));

        await (await client.DeleteAsync($"{Expenses}/{id}", ETagOf(post))).ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Url($"{Expenses}/{id}"))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{Expenses}/{id}", ETagOf(put))).StatusCode);
    }

    [ProviderTheory]
    public async Task The_openapi_document_describes_every_expense_and_export_endpoint_and_its_errors(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var document = await client.GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        string[] Codes(string path, string method) =>
            [.. paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name)];

        var list = paths.GetProperty(Expenses).GetProperty("get");
        Assert.Equal("ListExpenses", list.GetProperty("operationId").GetString());
        Assert.Equal("Expenses", Assert.Single(list.GetProperty("tags").EnumerateArray()).GetString());
        Assert.Contains(list.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "q");
        Assert.Contains(list.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "pageSize");
        Assert.Superset(new HashSet<string> { "200", "400" }, Codes(Expenses, "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "201", "400", "403" }, Codes(Expenses, "post").ToHashSet());
        Assert.Equal("CreateExpense", paths.GetProperty(Expenses).GetProperty("post").GetProperty("operationId").GetString());
        Assert.Superset(new HashSet<string> { "200", "404" }, Codes(Expenses + "/{id}", "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "400", "403", "404", "412", "428" }, Codes(Expenses + "/{id}", "put").ToHashSet());
        Assert.Contains(paths.GetProperty(Expenses + "/{id}").GetProperty("put").GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "If-Match" && p.GetProperty("in").GetString() == "header");
        Assert.True(paths.GetProperty(Expenses).GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.Superset(new HashSet<string> { "204", "403", "404", "412" }, Codes(Expenses + "/{id}", "delete").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "400" }, Codes("/api/v1/exports/expenses.csv", "get").ToHashSet());
        Assert.Superset(new HashSet<string> { "200", "400" }, Codes("/api/v1/exports/expenses.xlsx", "get").ToHashSet());
        Assert.Equal("Exports", Assert.Single(paths.GetProperty("/api/v1/exports/expenses.csv").GetProperty("get").GetProperty("tags").EnumerateArray())
            .GetString());
    }
}
