using System.Globalization;
using System.IO.Compression;
using System.Net;
using CsvHelper;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Export;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Export;

/// <summary>
/// The export endpoints over HTTP, signed in as each member of a <see cref="Family"/>: what the expense list shows for
/// the same query string, as CSV (UTF-8 BOM, injection-escaped text, numeric amounts) and as XLSX (typed cells).
/// </summary>
public sealed class ExpenseExportEndpointTests : IAsyncLifetime
{
    private TestApp app = null!;
    private Family family = null!;
    private long shoppingId;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        family = await Family.CreateAsync(app);
        await using (var scope = family.As("Ana"))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            shoppingId = await db.Categories.Where(c => c.Name == "Shopping").Select(c => c.Id).SingleAsync();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            foreach (var name in new[] { "Ben", "Vic", "Kim" })
            {
                var user = await users.FindByIdAsync(family.People[name].UserId);
                Assert.True((await users.AddPasswordAsync(user!, AccountForms.Password)).Succeeded);
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    private async Task<long> CreateAsync(string author, ExpenseInput input)
    {
        await using var scope = family.As(author);
        return await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(input);
    }

    private ExpenseInput Expense(long amountMinor, string? payee, DateOnly date, string? notes = null) => new()
    {
        AmountMinor = amountMinor,
        Date = date,
        AccountId = family.CashAccountId,
        Payee = payee,
        Notes = notes,
        Lines = [new LineInput(family.GroceriesId, amountMinor)],
    };

    /// <summary>Ana's groceries (one split, one refund, tags), Ben's private one and Kim's pocket money purchase.</summary>
    private async Task SeedAsync()
    {
        await CreateAsync("Ana", Expense(12_50, "Market", new DateOnly(2026, 11, 2), "weekly shop") with { Tags = ["food", "Weekly"] });
        await CreateAsync("Ana", new ExpenseInput
        {
            AmountMinor = 60_00,
            Date = new DateOnly(2026, 11, 3),
            AccountId = family.CashAccountId,
            Payee = "SuperSave",
            Lines = [new LineInput(family.GroceriesId, 40_00), new LineInput(shoppingId, 20_00)],
        });
        await CreateAsync("Ana", Expense(5_25, "Market", new DateOnly(2026, 11, 4)) with { Kind = TransactionKind.Refund });
        await CreateAsync("Ana", Expense(3_00, "Bakery", new DateOnly(2026, 10, 20)));
        await CreateAsync("Ben", Expense(42_00, "Secret gift shop", new DateOnly(2026, 11, 5)) with { IsPrivate = true });
        await CreateAsync("Kim", Expense(2_00, "Kiosk", new DateOnly(2026, 11, 6)));
    }

    private async Task<HttpClient> SignInAsync(string name)
    {
        var forms = new AccountForms(app);
        var email = name.ToLowerInvariant() + "@example.com";
        Assert.Equal(HttpStatusCode.Redirect, (await forms.SignInAsync(email)).StatusCode);
        return forms.Client;
    }

    private static async Task<(byte[] Bytes, List<string[]> Rows)> CsvAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync(new Uri("/export/expenses.csv" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvParser(reader, CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (await csv.ReadAsync())
        {
            rows.Add(csv.Record!);
        }

        return (bytes, rows);
    }

    [ProviderTheory]
    public async Task TheCsvHasABomAHeaderAndOneSignedRowPerExpenseNewestFirst(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await SeedAsync();
        var client = await SignInAsync("Ana");

        var (bytes, rows) = await CsvAsync(client);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal(["Date", "Payee", "Category", "Amount", "Currency", "Account", "Paid by", "Tags", "Notes", "Kind"], rows[0]);
        Assert.Equal(
            [
                "2026-11-06|Kiosk|Groceries|-2.00|EUR|Cash|Kim|||Expense",
                "2026-11-04|Market|Groceries|5.25|EUR|Cash|ana|||Refund",
                "2026-11-03|SuperSave|Groceries 40.00; Shopping 20.00|-60.00|EUR|Cash|ana|||Expense",
                "2026-11-02|Market|Groceries|-12.50|EUR|Cash|ana|food, Weekly|weekly shop|Expense",
                "2026-10-20|Bakery|Groceries|-3.00|EUR|Cash|ana|||Expense",
                "|private (1 item)||-42.00|EUR|||||Private",
            ],
            rows.Skip(1).Select(r => string.Join('|', r)));
        var disposition = (await client.GetAsync(new Uri("/export/expenses.csv", UriKind.Relative))).Content.Headers.ContentDisposition;
        Assert.Equal("ana-example-com-s-household-expenses-2026-11-15.csv", disposition?.FileNameStar ?? disposition?.FileName);
    }

    [ProviderTheory]
    public async Task TheExportFollowsTheListsQueryStringAndAgreesWithTheList(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await SeedAsync();
        var client = await SignInAsync("Ana");
        var query = new ExpenseQuery { Range = ExpenseQuery.ThisMonth, Categories = [shoppingId] };

        var (_, rows) = await CsvAsync(client, ExportApi.QueryStringFor(query));

        ExpensePage list;
        await using (var scope = family.As("Ana"))
        {
            var filter = query.ToFilter(new DateOnly(2026, 11, 15), "EUR");
            list = await scope.ServiceProvider.GetRequiredService<ExpenseService>().ListAsync(new ExpensePageRequest(filter, 0, 200));
        }

        Assert.Equal(list.TotalCount, rows.Count - 1);
        var page = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/expenses" + ExportApi.QueryStringFor(query), UriKind.Relative)));
        Assert.Contains("href=\"export/expenses.csv" + ExportApi.QueryStringFor(query) + "\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"export/expenses.xlsx" + ExportApi.QueryStringFor(query) + "\"", page, StringComparison.Ordinal);
        Assert.Equal(["SuperSave"], rows.Skip(1).Select(r => r[1]));
        Assert.Equal("?range=this-month&cat=" + shoppingId.ToString(CultureInfo.InvariantCulture), ExportApi.QueryStringFor(query));
    }

    [ProviderTheory]
    [InlineData("=HYPERLINK(\"http://evil\")")]
    [InlineData("+1+2")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tcmd")]
    [InlineData("\rcmd")]
    public async Task TextThatASpreadsheetWouldRunIsNeutralisedWhileAmountsStayNumbers(DatabaseProvider provider, string hostile)
    {
        await StartAsync(provider);
        // Written straight to the row: the editor trims notes, an import or the API may not.
        var id = await CreateAsync("Ana", Expense(7_00, "Shop", new DateOnly(2026, 11, 1)));
        await using (var scope = family.As("Ana"))
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Transactions.Where(t => t.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Notes, hostile));
        }

        var client = await SignInAsync("Ana");

        var (bytes, rows) = await CsvAsync(client);

        Assert.Equal("'" + hostile, rows[1][8]);
        Assert.Equal("-7.00", rows[1][3]);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains(",-7.00,", text, StringComparison.Ordinal);
        Assert.Contains("\"'" + hostile[0], text, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task TheXlsxHasTypedDatesAndAmountsAFrozenHeaderAndTheCurrencyFormat(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await SeedAsync();
        await CreateAsync("Ana", Expense(1_00, "=1+2", new DateOnly(2026, 9, 1)));
        var client = await SignInAsync("Ana");

        var response = await client.GetAsync(new Uri("/export/expenses.xlsx", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExpenseExport.XlsxContentType, response.Content.Headers.ContentType?.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync();

        var rows = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(7, rows.Count);
        var super = rows.Single(r => Equals(r["Payee"], "SuperSave"));
        Assert.Equal(new DateTime(2026, 11, 3), Assert.IsType<DateTime>(super["Date"]));
        Assert.Equal(-60m, Convert.ToDecimal(Assert.IsType<double>(super["Amount"]), CultureInfo.InvariantCulture));
        Assert.Equal("Groceries 40.00; Shopping 20.00", super["Category"]);
        Assert.Equal("EUR", super["Currency"]);
        var refund = rows.Single(r => Equals(r["Kind"], "Refund"));
        Assert.Equal(5.25m, Convert.ToDecimal(Assert.IsType<double>(refund["Amount"]), CultureInfo.InvariantCulture));
        var hidden = rows[^1];
        Assert.Equal("private (1 item)", hidden["Payee"]);
        Assert.Null(hidden["Date"]);
        Assert.Equal(-42m, Convert.ToDecimal(Assert.IsType<double>(hidden["Amount"]), CultureInfo.InvariantCulture));

        // In XLSX the text is kept exactly, as a string cell: only a cell with a formula element is ever calculated.
        Assert.Equal("=1+2", rows.Single(r => Equals(r["Payee"], "=1+2"))["Payee"]);
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var sheet = await new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()).ReadToEndAsync();
        var styles = await new StreamReader(zip.GetEntry("xl/styles.xml")!.Open()).ReadToEndAsync();
        Assert.DoesNotContain("<x:f", sheet, StringComparison.Ordinal);
        Assert.Contains("state=\"frozen\"", sheet, StringComparison.Ordinal);
        Assert.Contains("ySplit=\"1\"", sheet, StringComparison.Ordinal);
        Assert.Contains("customWidth=\"1\"", sheet, StringComparison.Ordinal);
        Assert.Contains("#,##0.00 &quot;EUR&quot;", styles, StringComparison.Ordinal);
        Assert.Contains("yyyy-mm-dd", styles, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task AChildExportsOnlyTheirOwnExpensesAndNoPrivateLine(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await SeedAsync();
        var (_, rows) = await CsvAsync(await SignInAsync("Kim"));

        Assert.Equal(["Kiosk"], rows.Skip(1).Select(r => r[1]));
    }

    [ProviderTheory]
    public async Task OthersSeeAPrivateExpenseOnlyAsThePrivateLineAndItsAuthorSeesItInFull(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await SeedAsync();

        var (_, viewer) = await CsvAsync(await SignInAsync("Vic"));
        var (_, author) = await CsvAsync(await SignInAsync("Ben"));

        Assert.DoesNotContain(viewer, r => r[1] == "Secret gift shop");
        Assert.Equal(["", "private (1 item)", "", "-42.00"], viewer[^1][..4]);
        Assert.Contains(author, r => r[1] == "Secret gift shop" && r[3] == "-42.00");
        Assert.DoesNotContain(author, r => r[9] == ExpenseExport.PrivateKind);
    }

    [ProviderTheory]
    public async Task AnotherHouseholdsExpensesNeverAppear(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await SeedAsync();
        var other = await TestHousehold.CreateAsync(app, "zoe@example.com");
        await other.AddExpenseAsync(other.Expense(99_99, payee: "Zoe's own shop"));
        var forms = new AccountForms(app);
        Assert.Equal(HttpStatusCode.Redirect, (await forms.SignInAsync("zoe@example.com")).StatusCode);

        var (_, zoe) = await CsvAsync(forms.Client);
        var (_, ana) = await CsvAsync(await SignInAsync("Ana"));

        Assert.Equal(["Zoe's own shop"], zoe.Skip(1).Select(r => r[1]));
        Assert.DoesNotContain(ana, r => r[1] == "Zoe's own shop");
    }

    [ProviderTheory]
    [InlineData("/export/expenses.csv")]
    [InlineData("/export/expenses.xlsx")]
    public async Task AnAnonymousCallerGetsNoExport(DatabaseProvider provider, string url)
    {
        await StartAsync(provider);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("EUR", "#,##0.00 \"EUR\";-#,##0.00 \"EUR\"")]
    [InlineData("JPY", "#,##0 \"JPY\";-#,##0 \"JPY\"")]
    [InlineData("KWD", "#,##0.000 \"KWD\";-#,##0.000 \"KWD\"")]
    public void TheAmountFormatHasTheCurrencysDecimals(string currency, string format) =>
        Assert.Equal(format, ExpenseExport.AmountFormat(currency));

    [Fact]
    public void TheFileNameCarriesTheHouseholdAndTheDate() =>
        Assert.Equal("the-müllers-expenses-2026-11-15.xlsx", ExportApi.FileName("The Müllers!", "expenses", new DateOnly(2026, 11, 15), "xlsx"));
}
