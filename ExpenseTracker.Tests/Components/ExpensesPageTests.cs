using System.Data.Common;
using Bunit;
using Microsoft.AspNetCore.Components;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components;

public sealed class ExpensesPageTests : MudComponentTest
{
    private readonly CommandRecorder recorder = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedAsync(120);
    }

    /// <summary>The page's expense service runs over a context factory whose SQL is recorded.</summary>
    protected override ExpenseService CreateExpenseService()
    {
        var storage = App.Services.GetRequiredService<StorageOptions>();
        var options = new DbContextOptionsBuilder<AppDbContext>().UseSqlite(storage.ConnectionString).AddInterceptors(recorder).Options;
        var scope = AppServices.GetRequiredService<HouseholdScope>();
        return new ExpenseService(new RecordingFactory(options, scope), scope, App.Time);
    }

    [Fact]
    public void TheListAsksTheServerForOnePageAndShowsTheTotalOfAllMatchingExpenses()
    {
        Render<MudPopoverProvider>();
        var page = Render<ExpensesPage>(p => p.AddCascadingValue(Household));

        page.WaitForAssertion(() => Assert.Equal(ExpensesPage.PageSize, page.FindAll("tr.expense-row").Count));

        // 120 expenses of 1.00 to 120.00: the total covers all of them, the rows only the first page (newest first).
        Assert.Equal(Household.FormatMoney(Enumerable.Range(1, 120).Sum(i => i * 100L)), page.Find("[data-testid=spending-total]").TextContent.Trim());
        Assert.Contains("120 transactions", page.Find("[data-testid=expense-count]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Payee 120", page.FindAll("tr.expense-row")[0].TextContent, StringComparison.Ordinal);

        // Row queries: the private-line summary (COUNT … LIMIT 1) is an aggregate, not a page of rows.
        var rowQueries = recorder.Commands.Where(c => c.Sql.Contains("LIMIT", StringComparison.Ordinal) && c.Sql.Contains("\"Transactions\"", StringComparison.Ordinal)
            && !c.Sql.Contains("COUNT(", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rowQueries);
        Assert.All(rowQueries, c => Assert.Contains(ExpensesPage.PageSize, c.Parameters));
        Assert.DoesNotContain(recorder.Commands, c => c.Sql.Contains("FROM \"Transactions\"", StringComparison.Ordinal)
            && !c.Sql.Contains("LIMIT", StringComparison.Ordinal) && !c.Sql.Contains("COUNT", StringComparison.Ordinal)
            && !c.Sql.Contains("SUM", StringComparison.Ordinal) && !c.Sql.Contains("EXISTS", StringComparison.Ordinal));
    }

    [Fact]
    public void TheNextPageIsFetchedWithTheRightOffset()
    {
        Render<MudPopoverProvider>();
        var page = Render<ExpensesPage>(p => p.AddCascadingValue(Household));
        page.WaitForAssertion(() => Assert.Equal(ExpensesPage.PageSize, page.FindAll("tr.expense-row").Count));
        recorder.Clear();

        page.Find("button[aria-label='Next page']").Click();

        page.WaitForAssertion(() => Assert.Contains("Payee 95", page.FindAll("tr.expense-row")[0].TextContent, StringComparison.Ordinal));
        Assert.Equal(ExpensesPage.PageSize, page.FindAll("tr.expense-row").Count);
        var rowQuery = Assert.Single(recorder.Commands, c => c.Sql.Contains("LIMIT", StringComparison.Ordinal) && c.Sql.Contains("OFFSET", StringComparison.Ordinal));
    }

    [Fact]
    public void AQueryLineInTheAddressFiltersTheListAndShowsItsTermsAsChips()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("expenses?q=" + Uri.EscapeDataString("payee:\"payee 11\" amount>=115"));
        Render<MudPopoverProvider>();
        var page = Render<ExpensesPage>(p => p.AddCascadingValue(Household));

        // "payee 11" is part of Payee 11 and Payee 110–119; of those only 115–119 cost at least 115.00.
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("tr.expense-row").Count), TimeSpan.FromSeconds(15));
        Assert.Equal(["payee: payee 11", "amount>=115"], page.FindAll("[data-testid=search-chip]").Select(c => c.TextContent.Trim()).ToArray());
    }

    [Fact]
    public void AnInvalidLineSaysWhatIsWrongAndKeepsTheLastGoodResults()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("expenses?q=amount%3E110");
        Render<MudPopoverProvider>();
        var page = Render<ExpensesPage>(p => p.AddCascadingValue(Household));
        page.WaitForAssertion(() => Assert.Equal(10, page.FindAll("tr.expense-row").Count), TimeSpan.FromSeconds(15));
        var before = navigation.Uri;

        page.Find("#filter-text").Input("amount>ten");

        // MudBlazor's debounce runs on the app's (fake) clock, and its timer may start after Input returns on a busy
        // machine: move the clock on at each check until the message shows.
        page.WaitForAssertion(() =>
        {
            App.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Contains("\"ten\" in \"amount>ten\" is not an amount", System.Net.WebUtility.HtmlDecode(page.Markup), StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15));
        Assert.Equal(before, navigation.Uri);
        Assert.Equal(10, page.FindAll("tr.expense-row").Count);
    }

    private async Task SeedAsync(int count)
    {
        var db = AppServices.GetRequiredService<AppDbContext>();
        var category = await db.Categories.OrderBy(c => c.Id).FirstAsync();
        var account = await db.Accounts.FirstAsync();
        var start = new DateOnly(2026, 1, 1);
        for (var i = 1; i <= count; i++)
        {
            var payee = new Payee { Name = $"Payee {i}", Key = $"payee {i}" };
            db.Transactions.Add(new Transaction
            {
                Kind = TransactionKind.Expense,
                AmountMinor = i * 100L,
                Currency = Household.BaseCurrency,
                Date = start.AddDays(i),
                Payee = payee,
                AccountId = account.Id,
                Lines = [new TransactionLine { CategoryId = category.Id, AmountMinor = i * 100L }],
            });
        }

        await db.SaveChangesAsync();
    }

    private sealed class RecordingFactory(DbContextOptions<AppDbContext> options, HouseholdScope scope) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => new(options, scope);
    }

    internal sealed record RecordedCommand(string Sql, IReadOnlyList<object?> Parameters);

    private sealed class CommandRecorder : DbCommandInterceptor
    {
        private readonly List<RecordedCommand> commands = [];

        public IReadOnlyList<RecordedCommand> Commands
        {
            get
            {
                lock (commands)
                {
                    return commands.ToList();
                }
            }
        }

        public void Clear()
        {
            lock (commands)
            {
                commands.Clear();
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        private void Record(DbCommand command)
        {
            var parameters = command.Parameters.Cast<DbParameter>().Select(p => p.Value is long l && l <= int.MaxValue ? (int)l : p.Value).ToList();
            lock (commands)
            {
                commands.Add(new RecordedCommand(command.CommandText, parameters));
            }
        }
    }
}
