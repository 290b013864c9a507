using Bunit;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components;

/// <summary>Budget rows' states and figures; the analytics table's links lead to lists that add up to the cell.</summary>
public sealed class BudgetsComponentTests : MudComponentTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Theory]
    [InlineData(PaceState.UnderPace, "under-pace", "Under pace", "success")]
    [InlineData(PaceState.OnPace, "on-pace", "On pace", "info")]
    [InlineData(PaceState.OverPace, "over-pace", "Over pace", "warning")]
    [InlineData(PaceState.OverBudget, "over-budget", "Over budget", "error")]
    public void EachPaceStateHasItsColourAndATextLabel(PaceState state, string key, string label, string color)
    {
        var row = Render<BudgetRowView>(p => p.Add(r => r.Row, Row(state, spentMinor: 250_00)).Add(r => r.Household, Household));

        Assert.Equal(key, row.Find("[data-testid=budget-row]").GetAttribute("data-state"));
        var badge = row.Find("[data-testid=budget-state]");
        Assert.Contains(label, badge.TextContent, StringComparison.Ordinal);
        Assert.Equal(color, badge.GetAttribute("data-color"));
        Assert.Contains($"mud-{color}-text", badge.QuerySelector("svg")!.ClassName, StringComparison.Ordinal);
        Assert.Contains(label, row.Find("[data-testid=budget-progress]").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void ARowShowsBudgetCarriedSpentRemainingAndPerDayLeft()
    {
        var row = Render<BudgetRowView>(p => p.Add(r => r.Row, Row(PaceState.OnPace, spentMinor: 250_00)).Add(r => r.Household, Household));

        Assert.Equal(Household.FormatMoney(300_00), row.Find("[data-testid=budget-amount]").TextContent.Trim());
        Assert.Equal("+" + Household.FormatMoney(20_00), row.Find("[data-testid=budget-carried]").TextContent.Trim());
        Assert.Equal(Household.FormatMoney(250_00), row.Find("[data-testid=budget-spent]").TextContent.Trim());
        Assert.Equal(Household.FormatMoney(70_00), row.Find("[data-testid=budget-remaining]").TextContent.Trim());
        Assert.Equal(Household.FormatMoney(7_00), row.Find("[data-testid=budget-per-day]").TextContent.Trim());
        Assert.StartsWith("expenses?", row.Find("[data-testid=budget-drilldown]").GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains("cat=5", row.Find("[data-testid=budget-drilldown]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBudgetPageShowsEachBudgetsSpendingAndTheUnbudgetedLine()
    {
        var categories = await CategoriesAsync();
        var budgets = AppServices.GetRequiredService<BudgetService>();
        var month = await budgets.CurrentMonthAsync();
        await budgets.SetCategoryBudgetAsync(categories["Groceries"], month, 400_00);
        await AddExpenseAsync(categories["Groceries"], 120_50, 2);
        await AddExpenseAsync(categories["Transport"], 30_00, 3);

        Render<MudPopoverProvider>();
        var page = Render<BudgetsPage>(p => p.AddCascadingValue(Household));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=budget-row]")));
        var row = page.Find($"[data-testid=budget-row][data-category-id='{categories["Groceries"]}']");
        Assert.Equal(Household.FormatMoney(120_50), row.QuerySelector("[data-testid=budget-spent]")!.TextContent.Trim());
        Assert.Equal(Household.FormatMoney(279_50), row.QuerySelector("[data-testid=budget-remaining]")!.TextContent.Trim());
        Assert.Equal(Household.FormatMoney(30_00), page.Find("[data-testid=unbudgeted-spent]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=budget-edit]"));
    }

    [Fact]
    public async Task TheOverallBudgetIsNamedOnce()
    {
        var budgets = AppServices.GetRequiredService<BudgetService>();
        await budgets.SetOverallBudgetAsync(await budgets.CurrentMonthAsync(), 900_00);

        Render<MudPopoverProvider>();
        var page = Render<BudgetsPage>(p => p.AddCascadingValue(Household));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=overall-budget]")));
        var overall = page.Find("[data-testid=overall-budget]");
        Assert.Single(overall.QuerySelectorAll("h2, a, span, dt"), e => e.TextContent.Trim() == "Overall");
        Assert.Equal("All spending", overall.QuerySelector("[data-testid=budget-drilldown]")!.TextContent.Trim());
    }

    [Fact]
    public async Task AViewerSeesEveryBudgetButNoEditControls()
    {
        var categories = await CategoriesAsync();
        var budgets = AppServices.GetRequiredService<BudgetService>();
        var month = await budgets.CurrentMonthAsync();
        await budgets.SetCategoryBudgetAsync(categories["Groceries"], month, 400_00);
        await budgets.SetOverallBudgetAsync(month, 900_00);
        await AddExpenseAsync(categories["Groceries"], 120_50, 2);
        var viewer = await AddMemberAsync("Vera", MemberRole.Viewer);
        SignInAs(viewer, MemberRole.Viewer);

        Render<MudPopoverProvider>();
        var page = Render<BudgetsPage>(p => p.AddCascadingValue(Household with { MemberId = viewer, Role = MemberRole.Viewer }));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=budget-row][data-kind=category]")));
        Assert.Equal(Household.FormatMoney(120_50), page.Find("[data-testid=category-budgets] [data-testid=budget-spent]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=overall-budget]"));
        Assert.Empty(page.FindAll("[data-testid=budget-edit]"));
        Assert.Empty(page.FindAll("[data-testid=budget-add]"));
    }

    [Fact]
    public async Task AChildSeesOnlyTheirAllowanceBudget()
    {
        var categories = await CategoriesAsync();
        var budgets = AppServices.GetRequiredService<BudgetService>();
        var month = await budgets.CurrentMonthAsync();
        var kim = await AddMemberAsync("Kim", MemberRole.Child);
        var lea = await AddMemberAsync("Lea", MemberRole.Child);
        await budgets.SetCategoryBudgetAsync(categories["Groceries"], month, 400_00);
        await budgets.SetOverallBudgetAsync(month, 900_00);
        await budgets.SetAllowanceAsync(kim, month, 20_00);
        await budgets.SetAllowanceAsync(lea, month, 30_00);
        await AddExpenseAsync(categories["Groceries"], 120_50, 2);
        await using var kimScope = App.ScopeFor(Household.Id, kim, MemberRole.Child);
        await kimScope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
        {
            AmountMinor = 4_50,
            Date = new DateOnly(2026, 11, 3),
            AccountId = await FirstAccountAsync(),
            Payee = "Kiosk",
            PaidByMemberId = kim,
            Lines = [new LineInput(categories["Shopping"], 4_50)],
        });
        SignInAs(kim, MemberRole.Child);

        Render<MudPopoverProvider>();
        var page = Render<BudgetsPage>(p => p.AddCascadingValue(Household with { MemberId = kim, Role = MemberRole.Child }));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=allowances]")));
        var row = Assert.Single(page.FindAll("[data-testid=budget-row]"));
        Assert.Equal("allowance", row.GetAttribute("data-kind"));
        Assert.Equal("Kim", row.QuerySelector("[data-testid=budget-drilldown]")!.TextContent.Trim());
        Assert.Equal(Household.FormatMoney(4_50), row.QuerySelector("[data-testid=budget-spent]")!.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=overall-budget]"));
        Assert.Empty(page.FindAll("[data-testid=category-budgets]"));
        Assert.Empty(page.FindAll("[data-testid=budget-edit]"));
        Assert.Equal(Household.FormatMoney(4_50), page.Find("[data-testid=budget-total-spent]").TextContent.Trim());
    }

    [Fact]
    public async Task EveryAnalyticsTableCellLinksToAListWhoseTotalIsTheCell()
    {
        var categories = await CategoriesAsync();
        await AddExpenseAsync(categories["Groceries"], 42_10, 1);
        await AddExpenseAsync(categories["Groceries"], 7_90, 2);
        await AddExpenseAsync(categories["Transport"], 55_00, 3);
        await AddExpenseAsync(categories["Groceries"], 13_00, -40);

        Render<MudPopoverProvider>();
        var page = Render<AnalyticsPage>(p => p.AddCascadingValue(Household));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=analytics-charts]")));

        foreach (var chart in new[] { "chart-by-category", "chart-trend", "chart-members" })
        {
            // Find and click in one renderer turn, then wait for the table: under load the page can still be re-rendering.
            await page.InvokeAsync(() => page.Find($"[data-testid={chart}] [data-testid=table-toggle]").Click());
            var table = page.WaitForElement($"[data-testid={chart}] [data-testid=chart-table]", TimeSpan.FromSeconds(15));
            Assert.All(table.QuerySelectorAll("td"), td => Assert.NotNull(td.QuerySelector("a[href^='expenses']")));
            var cells = table.QuerySelectorAll("[data-testid=table-cell], [data-testid=table-total]");
            Assert.NotEmpty(cells);
            foreach (var cell in cells)
            {
                var listed = await SpendingOfAsync(cell.GetAttribute("href")!);
                Assert.Equal(long.Parse(cell.GetAttribute("data-minor")!, System.Globalization.CultureInfo.InvariantCulture), listed);
            }
        }

        var groceries = page.Find($"[data-testid=chart-by-category] [data-testid=table-row][data-category-id='{categories["Groceries"]}'] [data-testid=table-cell]");
        Assert.Equal("6300", groceries.GetAttribute("data-minor"));
    }

    /// <summary>What the expense list shows as its spending total for a drill-down URL.</summary>
    private async Task<long> SpendingOfAsync(string href)
    {
        var query = QueryHelpers.ParseQuery(new Uri(new Uri("http://localhost/"), href).Query);
        string? Get(string key) => query.TryGetValue(key, out var value) ? value.ToString() : null;
        var parsed = ExpenseQuery.Parse(Get("range"), Get("from"), Get("to"), Get("cat"), Get("tag"), Get("member"), Get("account"), Get("kind"), Get("q"),
            Get("min"), Get("max"), Get("payee"), Get("spender"));
        var filter = parsed.ToFilter(new DateOnly(2026, 11, 15), Household.BaseCurrency);
        var page = await AppServices.GetRequiredService<ExpenseService>().ListAsync(new ExpensePageRequest(filter, 0, 1));
        return page.SpendingMinor;
    }

    private async Task<Dictionary<string, long>> CategoriesAsync() =>
        await AppServices.GetRequiredService<AppDbContext>().Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);

    /// <summary>From here on the page's services act for this member (the test set the data up as the owner).</summary>
    private void SignInAs(long memberId, MemberRole role) =>
        AppServices.GetRequiredService<HouseholdScope>().Set(Household.Id, memberId, null, role);

    private async Task<long> FirstAccountAsync() =>
        await AppServices.GetRequiredService<AppDbContext>().Accounts.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();

    private async Task<long> AddMemberAsync(string name, MemberRole role)
    {
        var db = AppServices.GetRequiredService<AppDbContext>();
        var member = new Member { DisplayName = name, Role = role, Color = "#D81B60", JoinedAt = App.Time.GetUtcNow().UtcDateTime };
        db.Members.Add(member);
        await db.SaveChangesAsync();
        return member.Id;
    }

    private async Task AddExpenseAsync(long categoryId, long amountMinor, int dayOffsetFromMonthStart)
    {
        var account = await FirstAccountAsync();
        await AppServices.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
        {
            AmountMinor = amountMinor,
            Date = new DateOnly(2026, 11, 1).AddDays(dayOffsetFromMonthStart),
            AccountId = account,
            Payee = "Shop",
            Lines = [new LineInput(categoryId, amountMinor)],
        });
    }

    private static BudgetRow Row(PaceState state, long spentMinor) => new(
        BudgetId: 9,
        CategoryId: 5,
        MemberId: null,
        Name: "Groceries",
        Color: "#2E7D32",
        Icon: null,
        Rollover: true,
        WarnPercent: 80,
        AlertPercent: 100,
        IsOverride: false,
        Figures: new BudgetFigures(
            BudgetMinor: 300_00,
            CarriedMinor: 20_00,
            AvailableMinor: 320_00,
            SpentMinor: spentMinor,
            RemainingMinor: 70_00,
            RemainingPerDayMinor: 7_00,
            DaysLeft: 10,
            ExpectedByNowMinor: 213_33,
            PercentUsed: 78.1,
            State: state,
            Threshold: default),
        DrillDown: new ExpenseFilter { From = new DateOnly(2026, 11, 1), To = new DateOnly(2026, 11, 30), CategoryIds = [5], Kinds = [TransactionKind.Expense, TransactionKind.Refund] });
}
