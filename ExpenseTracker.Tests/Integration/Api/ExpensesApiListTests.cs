using System.Net;
using System.Text;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using static ExpenseTracker.Tests.Integration.Api.ExpensesApiHttp;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>
/// <c>GET /api/v1/expenses</c> and the exports: the expense list's filters and query line, paging with totals over the
/// whole filter, and 400 naming a malformed parameter.
/// </summary>
public sealed class ExpensesApiListTests : IAsyncLifetime
{
    private const string Expenses = "/api/v1/expenses";
    private TestApp app = null!;
    private HttpClient client = null!;
    private long groceries;
    private long dining;
    private long checking;
    private long cafe;
    private long luigi;
    private long refund;
    private long salary;
    private long transfer;
    private long market;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        (var householdId, var memberId, _, client) = await app.CreateApiHouseholdAsync("ana@example.com");
        var cash = await app.CashAsync(householdId);
        checking = await app.AccountAsync(householdId, "Checking");
        groceries = await app.CategoryAsync(householdId, "Groceries");
        dining = await app.CategoryAsync(householdId, "Dining out");

        await using var scope = app.ScopeFor(householdId, memberId);
        var service = scope.ServiceProvider.GetRequiredService<ExpenseService>();
        Task<long> Add(TransactionKind kind, long minor, int month, int day, string payee, long? category, long account = 0, long? to = null, string[]? tags = null) =>
            service.CreateAsync(new ExpenseInput
            {
                Kind = kind,
                AmountMinor = minor,
                Date = new DateOnly(2026, month, day),
                Payee = payee,
                AccountId = account == 0 ? cash : account,
                ToAccountId = to,
                Lines = category is { } c ? [new LineInput(c, minor)] : [],
                Tags = tags ?? [],
            });

        cafe = await Add(TransactionKind.Expense, 12_50, 11, 2, "Café Central", groceries, tags: ["coffee"]);
        luigi = await Add(TransactionKind.Expense, 40_00, 11, 10, "Luigi's", dining, checking);
        refund = await Add(TransactionKind.Refund, 5_00, 11, 12, "Market", groceries);
        salary = await Add(TransactionKind.Income, 2000_00, 11, 1, "Employer", null);
        transfer = await Add(TransactionKind.Transfer, 100_00, 11, 5, "Savings", null, cash, checking);
        market = await Add(TransactionKind.Expense, 30_00, 10, 20, "Market", groceries, tags: ["weekly"]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        client?.Dispose();
        await (app?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [ProviderTheory]
    public async Task Without_a_filter_every_kind_is_listed_newest_first_with_totals_of_the_whole_filter(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var page = await client.GetJsonAsync(Expenses);

        Assert.Equal([refund, luigi, transfer, cafe, salary, market], Ids(page));
        Assert.Equal(6, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(50, page.GetProperty("pageSize").GetInt32());
        var totals = page.GetProperty("totals");
        Assert.Equal("EUR", totals.GetProperty("currency").GetString());
        Assert.Equal(77.5m, totals.GetProperty("spending").GetDecimal());
        Assert.Equal(77.5m, totals.GetProperty("totalSpending").GetDecimal());
        Assert.Equal(0, totals.GetProperty("hiddenPrivate").GetProperty("count").GetInt32());

        var item = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt64() == cafe);
        Assert.Equal("expense", item.GetProperty("kind").GetString());
        Assert.Equal("2026-11-02", item.GetProperty("date").GetString());
        Assert.Equal(12.5m, item.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", item.GetProperty("currency").GetString());
        Assert.Equal("Café Central", item.GetProperty("payee").GetString());
        Assert.Equal("Cash", item.GetProperty("account").GetString());
        var category = Assert.Single(item.GetProperty("categories").EnumerateArray());
        Assert.Equal(groceries, category.GetProperty("id").GetInt64());
        Assert.Equal("Groceries", category.GetProperty("name").GetString());
        Assert.Equal("coffee", Assert.Single(item.GetProperty("tags").EnumerateArray()).GetString());
        Assert.True(item.GetProperty("version").GetInt64() > 0);

        var move = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt64() == transfer);
        Assert.Equal("transfer", move.GetProperty("kind").GetString());
        Assert.Equal("Checking", move.GetProperty("toAccount").GetString());
    }

    [ProviderTheory]
    [InlineData("kind=income,transfer", "transfer,salary")]
    [InlineData("kind=Refund", "refund")]
    [InlineData("range=this-month", "refund,luigi,transfer,cafe,salary")]
    [InlineData("range=last-month", "market")]
    [InlineData("from=2026-11-01&to=2026-11-05", "transfer,cafe,salary")]
    [InlineData("range=custom&from=2026-11-06", "refund,luigi")]
    [InlineData("min=20&max=50", "luigi,market")]
    [InlineData("q=cafe", "cafe")]
    [InlineData("q=tag:weekly", "market")]
    [InlineData("q=payee:market%20amount>10", "market")]
    [InlineData("q=-category:Groceries%20date:this-month", "luigi,transfer,salary")]
    [InlineData("q=LUIGI", "luigi")]
    public async Task The_list_filters_like_the_expense_list(DatabaseProvider provider, string query, string expected)
    {
        await StartAsync(provider);
        var names = new Dictionary<string, long>
        {
            ["cafe"] = cafe, ["luigi"] = luigi, ["refund"] = refund, ["salary"] = salary, ["transfer"] = transfer, ["market"] = market,
        };

        var page = await client.GetJsonAsync($"{Expenses}?{query}");

        Assert.Equal(expected.Split(',').Select(n => names[n]), Ids(page));
        Assert.Equal(expected.Split(',').Length, page.GetProperty("totalCount").GetInt32());
    }

    [ProviderTheory]
    public async Task Id_filters_take_category_account_and_tag_ids_and_the_totals_follow(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var byCategory = await client.GetJsonAsync($"{Expenses}?cat={groceries}");
        Assert.Equal([refund, cafe, market], Ids(byCategory));
        Assert.Equal(37.5m, byCategory.GetProperty("totals").GetProperty("spending").GetDecimal());

        Assert.Equal([luigi, transfer], Ids(await client.GetJsonAsync($"{Expenses}?account={checking}")));
        Assert.Equal([luigi], Ids(await client.GetJsonAsync($"{Expenses}?cat={dining}&account={checking}")));
    }

    [ProviderTheory]
    public async Task Pages_cut_the_same_order_and_the_count_and_totals_stay_those_of_the_filter(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var all = Ids(await client.GetJsonAsync(Expenses));

        var second = await client.GetJsonAsync($"{Expenses}?page=2&pageSize=2");

        Assert.Equal(all[2..4], Ids(second));
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(2, second.GetProperty("pageSize").GetInt32());
        Assert.Equal(6, second.GetProperty("totalCount").GetInt32());
        Assert.Equal(77.5m, second.GetProperty("totals").GetProperty("spending").GetDecimal());
        Assert.Empty(Ids(await client.GetJsonAsync($"{Expenses}?page=4&pageSize=2")));
        Assert.Equal(6, Ids(await client.GetJsonAsync($"{Expenses}?pageSize=200")).Length);
    }

    [ProviderTheory]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=two", "page")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=2026-11-10&to=2026-11-01", "to")]
    [InlineData("range=next-week", "range")]
    [InlineData("kind=gift", "kind")]
    [InlineData("kind=7", "kind")]
    [InlineData("cat=groceries", "cat")]
    [InlineData("account=-1", "account")]
    [InlineData("min=ten", "min")]
    [InlineData("spender=1,2", "spender")]
    [InlineData("q=%22unclosed", "q")]
    [InlineData("q=amount>abc", "q")]
    public async Task A_malformed_parameter_answers_400_naming_it(DatabaseProvider provider, string query, string parameter)
    {
        await StartAsync(provider);
        var errors = await (await client.GetAsync(Url($"{Expenses}?{query}"))).ValidationErrorsAsync();

        Assert.Equal(parameter, Assert.Single(errors.Keys));
    }

    [ProviderTheory]
    public async Task A_bad_query_line_says_what_is_wrong(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var errors = await (await client.GetAsync(Url($"{Expenses}?q=%22unclosed"))).ValidationErrorsAsync();

        Assert.Contains("quote", Assert.Single(errors["q"]), StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task The_csv_export_holds_the_rows_of_the_filter(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var response = await client.GetAsync(Url($"/api/v1/exports/expenses.csv?cat={groceries}&q=market"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        var rows = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Date,Payee,Category,Amount", rows[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Equal(3, rows.Length);
        Assert.Contains(rows, r => r.StartsWith("2026-11-12,Market,Groceries,5.00", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("2026-10-20,Market,Groceries,-30.00", StringComparison.Ordinal));
        Assert.DoesNotContain("Café", text, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task The_xlsx_export_is_a_workbook_of_the_filter(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var response = await client.GetAsync(Url("/api/v1/exports/expenses.xlsx?range=this-month&kind=expense"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var rows = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["Luigi's", "Café Central"], rows.Select(r => r["Payee"]?.ToString()));
    }

    [ProviderTheory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task An_export_with_a_bad_filter_answers_400_naming_it(DatabaseProvider provider, string extension)
    {
        await StartAsync(provider);
        var errors = await (await client.GetAsync(Url($"/api/v1/exports/expenses.{extension}?q=%22unclosed&from=yesterday"))).ValidationErrorsAsync();

        Assert.Contains("from", errors.Keys);
    }

    [ProviderTheory]
    public async Task An_export_with_a_bad_query_line_answers_400_naming_q(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var errors = await (await client.GetAsync(Url("/api/v1/exports/expenses.csv?q=%22unclosed"))).ValidationErrorsAsync();

        Assert.Equal("q", Assert.Single(errors.Keys));
    }
}
