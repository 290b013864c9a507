using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Notifications;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>Cached monthly figures never outlive a change: the next chart after any save shows it.</summary>
public sealed class MonthlyAggregateCacheTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    private static readonly AnalyticsFilter OctoberAndNovember = new() { From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 11, 30) };
    private TestApp app = null!;
    private TestHousehold home = null!;
    private string prefix = string.Empty;

    private MonthlyAggregateCache Cache => app.Services.GetRequiredService<MonthlyAggregateCache>();

    /// <summary>A new household in the provider's shared app (the cache is per household).</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        app = await apps.ForAsync(provider);
        prefix = Unique.Prefix();
        home = await TestHousehold.CreateAsync(app, prefix + "ana@example.com");
    }

    private async Task<long[]> TrendAsync()
    {
        await using var scope = home.Scope();
        var trend = await scope.ServiceProvider.GetRequiredService<AnalyticsService>().MonthlyTrendAsync(OctoberAndNovember);
        return trend.Months.Select(m => m.TotalMinor).ToArray();
    }

    [ProviderTheory]
    public async Task ANewExpenseInACachedMonthShowsInTheNextChart(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await home.AddExpenseAsync(home.Expense(10_00, date: new DateOnly(2026, 10, 3)));
        Assert.Equal(new long[] { 10_00L, 0L }, await TrendAsync());
        // Two months of two aggregates: spending by category and other members' private transactions.
        Assert.Equal(4, Cache.Count(home.Id));

        await home.AddExpenseAsync(home.Expense(5_00, date: new DateOnly(2026, 10, 30)));

        Assert.Equal(new long[] { 15_00L, 0L }, await TrendAsync());
    }

    [ProviderTheory]
    public async Task MovingAnExpenseToAnotherMonthUpdatesBothMonths(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await home.AddExpenseAsync(home.Expense(10_00, date: new DateOnly(2026, 10, 3)));
        Assert.Equal(new long[] { 10_00L, 0L }, await TrendAsync());

        await home.AsOwnerAsync(async s =>
        {
            var current = await s.GetAsync(id);
            return await s.UpdateAsync(id, current.Version, current.ToInput() with { Date = new DateOnly(2026, 11, 2) });
        });

        Assert.Equal(new long[] { 0L, 10_00L }, await TrendAsync());
    }

    [ProviderTheory]
    public async Task DeletingAndRestoringAnExpenseShowInTheNextChart(DatabaseProvider provider)
    {
        await StartAsync(provider);
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

    [ProviderTheory]
    public async Task AChangeOutsideTheCachedMonthsOrInAnotherHouseholdKeepsThem(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var other = await TestHousehold.CreateAsync(app, prefix + "bo@example.com");
        await TrendAsync();

        await home.AddExpenseAsync(home.Expense(1_00, date: new DateOnly(2026, 8, 1)));
        await other.AddExpenseAsync(other.Expense(1_00, date: new DateOnly(2026, 10, 1)));

        // Two months of two aggregates: spending by category and other members' private transactions.
        Assert.Equal(4, Cache.Count(home.Id));
    }

    [ProviderTheory]
    public async Task RolloverFollowsAnExpenseAddedToAnEarlierMonth(DatabaseProvider provider)
    {
        await StartAsync(provider);
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
