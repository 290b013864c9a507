using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>Cached monthly figures never outlive a change: the next chart after any save shows it.</summary>
public sealed class MonthlyAggregateCacheTests : IAsyncLifetime
{
    private static readonly AnalyticsFilter OctoberAndNovember = new() { From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 11, 30) };
    private readonly TestApp app = new();
    private TestHousehold home = null!;

    private MonthlyAggregateCache Cache => app.Services.GetRequiredService<MonthlyAggregateCache>();

    public async Task InitializeAsync() => home = await TestHousehold.CreateAsync(app, "ana@example.com");

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<long[]> TrendAsync()
    {
        await using var scope = home.Scope();
        var trend = await scope.ServiceProvider.GetRequiredService<AnalyticsService>().MonthlyTrendAsync(OctoberAndNovember);
        return trend.Months.Select(m => m.TotalMinor).ToArray();
    }

    [Fact]
    public async Task ANewExpenseInACachedMonthShowsInTheNextChart()
    {
        await home.AddExpenseAsync(home.Expense(10_00, date: new DateOnly(2026, 10, 3)));
        Assert.Equal(new long[] { 10_00L, 0L }, await TrendAsync());
        // Two months of two aggregates: spending by category and other members' private transactions.
        Assert.Equal(4, Cache.Count(home.Id));

        await home.AddExpenseAsync(home.Expense(5_00, date: new DateOnly(2026, 10, 30)));

        Assert.Equal(new long[] { 15_00L, 0L }, await TrendAsync());
    }

    [Fact]
    public async Task MovingAnExpenseToAnotherMonthUpdatesBothMonths()
    {
        var id = await home.AddExpenseAsync(home.Expense(10_00, date: new DateOnly(2026, 10, 3)));
        Assert.Equal(new long[] { 10_00L, 0L }, await TrendAsync());

        await home.AsOwnerAsync(async s =>
        {
            var current = await s.GetAsync(id);
            return await s.UpdateAsync(id, current.Version, current.ToInput() with { Date = new DateOnly(2026, 11, 2) });
        });

        Assert.Equal(new long[] { 0L, 10_00L }, await TrendAsync());
    }

    [Fact]
    public async Task DeletingAndRestoringAnExpenseShowInTheNextChart()
    {
        var id = await home.AddExpenseAsync(home.Expense(10_00, date: new DateOnly(2026, 11, 3)));
        Assert.Equal(new long[] { 0L, 10_00L }, await TrendAsync());

        await home.AsOwnerAsync(async s =>
        {
            await s.DeleteAsync(id);
            return 0;
        });
        Assert.Equal(new long[] { 0L, 0L }, await TrendAsync());

        await home.AsOwnerAsync(async s =>
        {
            await s.RestoreAsync(id);
            return 0;
        });
        Assert.Equal(new long[] { 0L, 10_00L }, await TrendAsync());
    }

    [Fact]
    public async Task AChangeOutsideTheCachedMonthsOrInAnotherHouseholdKeepsThem()
    {
        var other = await TestHousehold.CreateAsync(app, "bo@example.com");
        await TrendAsync();

        await home.AddExpenseAsync(home.Expense(1_00, date: new DateOnly(2026, 8, 1)));
        await other.AddExpenseAsync(other.Expense(1_00, date: new DateOnly(2026, 10, 1)));

        // Two months of two aggregates: spending by category and other members' private transactions.
        Assert.Equal(4, Cache.Count(home.Id));
    }

    [Fact]
    public async Task RolloverFollowsAnExpenseAddedToAnEarlierMonth()
    {
        long budget;
        await using (var scope = home.Scope())
        {
            var budgets = scope.ServiceProvider.GetRequiredService<BudgetService>();
            budget = await budgets.SetCategoryBudgetAsync(home.Categories["Groceries"], new BudgetMonth(2026, 9), 100_00);
            await budgets.SetRolloverAsync(budget, true);
            Assert.Equal(200_00, (await budgets.GetMonthAsync(new BudgetMonth(2026, 11))).Categories.Single().Figures.CarriedMinor);
        }

        await home.AddExpenseAsync(home.Expense(30_00, date: new DateOnly(2026, 9, 15)));

        await using (var scope = home.Scope())
        {
            var view = await scope.ServiceProvider.GetRequiredService<BudgetService>().GetMonthAsync(new BudgetMonth(2026, 11));
            Assert.Equal(170_00, view.Categories.Single().Figures.CarriedMinor);
        }
    }
}
