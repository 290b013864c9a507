using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>Who may change budgets, what a child sees, and months that start on payday.</summary>
public sealed class BudgetRulesTests : IAsyncLifetime
{
    private static readonly BudgetMonth November = new(2026, 11);
    private TestApp app = null!;
    private TestHousehold home = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        home = await TestHousehold.CreateAsync(app, "ana@example.com");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    private async Task<T> AsAsync<T>(MemberRole role, long memberId, Func<BudgetService, Task<T>> action)
    {
        await using var scope = home.Scope(role, memberId);
        return await action(scope.ServiceProvider.GetRequiredService<BudgetService>());
    }

    [ProviderTheory]
    public async Task AViewerReadsBudgetsButCannotChangeThem(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var viewer = await home.AddMemberAsync("Vic", MemberRole.Viewer);
        await AsAsync(MemberRole.Owner, home.OwnerMemberId, b => b.SetCategoryBudgetAsync(home.Categories["Groceries"], November, 100_00));

        var view = await AsAsync(MemberRole.Viewer, viewer, b => b.GetMonthAsync(November));

        Assert.Single(view.Categories);
        Assert.False(view.CanEdit);
        await Assert.ThrowsAsync<HouseholdAccessException>(() =>
            AsAsync(MemberRole.Viewer, viewer, b => b.SetCategoryBudgetAsync(home.Categories["Groceries"], November, 1)));
    }

    [ProviderTheory]
    public async Task OnlyAnOwnerSetsAnAllowanceAndTheChildSeesOnlyTheirOwn(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var member = await home.AddMemberAsync("Sam");
        var kid = await home.AddMemberAsync("Kim", MemberRole.Child);
        await Assert.ThrowsAsync<HouseholdAccessException>(() => AsAsync(MemberRole.Member, member, b => b.SetAllowanceAsync(kid, November, 20_00)));
        await AsAsync(MemberRole.Owner, home.OwnerMemberId, b => b.SetAllowanceAsync(kid, November, 20_00));
        await AsAsync(MemberRole.Owner, home.OwnerMemberId, b => b.SetCategoryBudgetAsync(home.Categories["Groceries"], November, 100_00));
        await home.AddExpenseAsync(home.Expense(5_00, "Kids", new DateOnly(2026, 11, 4)) with { PaidByMemberId = kid });
        await home.AddExpenseAsync(home.Expense(50_00, date: new DateOnly(2026, 11, 4)));

        var childView = await AsAsync(MemberRole.Child, kid, b => b.GetMonthAsync(November));
        await using var scope = home.Scope(MemberRole.Child, kid);
        var childChart = await scope.ServiceProvider.GetRequiredService<AnalyticsService>()
            .SpendingByCategoryAsync(new AnalyticsFilter { From = new DateOnly(2026, 11, 1), To = new DateOnly(2026, 11, 30) });

        Assert.Empty(childView.Categories);
        Assert.Null(childView.Overall);
        var allowance = Assert.Single(childView.Allowances);
        Assert.Equal((20_00L, 5_00L), (allowance.Figures.BudgetMinor, allowance.Figures.SpentMinor));
        Assert.Equal(5_00, childChart.TotalMinor);
        await Assert.ThrowsAsync<HouseholdAccessException>(() => AsAsync(MemberRole.Child, kid, b => b.SetOverallBudgetAsync(November, 1)));
    }

    [ProviderTheory]
    public async Task AnotherHouseholdsBudgetIsNotFound(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var stranger = await TestHousehold.CreateAsync(app, "bo@example.com");
        await using var scope = stranger.Scope();
        var theirs = await scope.ServiceProvider.GetRequiredService<BudgetService>().SetOverallBudgetAsync(November, 10_00);

        await Assert.ThrowsAsync<ExpenseTracker.Web.Features.Expenses.NotFoundException>(() =>
            AsAsync(MemberRole.Owner, home.OwnerMemberId, async b =>
            {
                await b.SetRolloverAsync(theirs, true);
                return 0;
            }));
    }

    [ProviderTheory]
    public async Task PaydayMonthsRunFromThe25thAndChartsFollowThem(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using (var scope = home.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Households.ExecuteUpdateAsync(s => s.SetProperty(h => h.MonthStartDay, 25));
        }

        await home.AddExpenseAsync(home.Expense(1_00, date: new DateOnly(2026, 10, 24)));
        await home.AddExpenseAsync(home.Expense(2_00, date: new DateOnly(2026, 10, 25)));
        await home.AddExpenseAsync(home.Expense(4_00, date: new DateOnly(2026, 11, 24)));
        await home.AddExpenseAsync(home.Expense(8_00, date: new DateOnly(2026, 11, 25)));
        await AsAsync(MemberRole.Owner, home.OwnerMemberId, b => b.SetCategoryBudgetAsync(home.Categories["Groceries"], new BudgetMonth(2026, 9), 10_00));

        var october = await AsAsync(MemberRole.Owner, home.OwnerMemberId, b => b.GetMonthAsync(new BudgetMonth(2026, 10)));
        var current = await AsAsync(MemberRole.Owner, home.OwnerMemberId, b => b.CurrentMonthAsync());
        await using var reader = home.Scope();
        var trend = await reader.ServiceProvider.GetRequiredService<AnalyticsService>()
            .MonthlyTrendAsync(new AnalyticsFilter { From = new DateOnly(2026, 9, 25), To = new DateOnly(2026, 12, 24) });

        Assert.Equal((new DateOnly(2026, 10, 25), new DateOnly(2026, 11, 24)), (october.Range.From, october.Range.To));
        Assert.Equal(6_00, october.Categories.Single().Figures.SpentMinor);
        Assert.Equal(new BudgetMonth(2026, 10), current);
        Assert.Equal([(new BudgetMonth(2026, 9), 1_00L), (new BudgetMonth(2026, 10), 6_00L), (new BudgetMonth(2026, 11), 8_00L)],
            trend.Months.Select(m => (m.Month, m.TotalMinor)));
    }
}
