using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>The budget page's month against the hand-computed figures of <see cref="AnalyticsHousehold"/>.</summary>
public sealed class BudgetMonthTests(AnalyticsHouseholds households) : IClassFixture<AnalyticsHouseholds>
{
    private AnalyticsHousehold data = null!;

    private async Task OnAsync(DatabaseProvider provider) => data = await households.ForAsync(provider);

    private static readonly BudgetMonth November = new(2026, 11);

    [ProviderTheory]
    public async Task GroceriesCarryLastMonthsSavingsAndCountTheSplitLineAndTheRefund(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var view = await data.BudgetMonthAsync(November);
        var groceries = view.Categories.Single(r => r.Name == "Groceries").Figures;

        // September: 100 − 100 = 0; October: 100 − (80 − 10) = 30 carried; November spent 40 + 40 (split line).
        Assert.Equal(100_00, groceries.BudgetMinor);
        Assert.Equal(30_00, groceries.CarriedMinor);
        Assert.Equal(130_00, groceries.AvailableMinor);
        Assert.Equal(80_00, groceries.SpentMinor);
        Assert.Equal(50_00, groceries.RemainingMinor);
        Assert.Equal(16, groceries.DaysLeft);
        Assert.Equal(3_12, groceries.RemainingPerDayMinor);
        Assert.Equal(65_00, groceries.ExpectedByNowMinor);
        Assert.Equal(PaceState.OverPace, groceries.State);
    }

    [ProviderTheory]
    public async Task DiningOutUsesTheNovemberOverrideWithoutRollover(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var view = await data.BudgetMonthAsync(November);
        var dining = view.Categories.Single(r => r.Name == "Dining out");

        Assert.True(dining.IsOverride);
        Assert.Equal(100_00, dining.Figures.BudgetMinor);
        Assert.Equal(0, dining.Figures.CarriedMinor);
        Assert.Equal(90_00, dining.Figures.SpentMinor);
        Assert.Equal(BudgetThreshold.Warn, dining.Figures.Threshold);
    }

    [ProviderTheory]
    public async Task TheOverallBudgetCountsAllSpendingAndNotIncomeOrTransfers(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var view = await data.BudgetMonthAsync(November);

        Assert.Equal(205_00, view.TotalSpentMinor);
        Assert.Equal(205_00, view.Overall!.Figures.SpentMinor);
        Assert.Equal(500_00, view.Overall.Figures.AvailableMinor);
        Assert.Equal(PaceState.UnderPace, view.Overall.Figures.State);
    }

    [ProviderTheory]
    public async Task SpendingInCategoriesWithoutABudgetIsItsOwnLine(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var view = await data.BudgetMonthAsync(November);

        Assert.Equal(35_00, view.Unbudgeted.SpentMinor);
        Assert.Equal(["Shopping", "Transport"], view.Unbudgeted.Categories.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [ProviderTheory]
    public async Task OctoberShowsTheRepeatingDiningAmountAndNoOverallBudgetYet(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var view = await data.BudgetMonthAsync(new BudgetMonth(2026, 10));

        Assert.Equal(60_00, view.Categories.Single(r => r.Name == "Dining out").Figures.BudgetMinor);
        Assert.False(view.Categories.Single(r => r.Name == "Dining out").IsOverride);
        Assert.Null(view.Overall);
        Assert.Equal(0, view.DaysLeft);
        Assert.False(view.IsCurrentMonth);
    }

    [ProviderTheory]
    public async Task EveryBudgetRowDrillsDownToAListWithTheSameSpending(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var view = await data.BudgetMonthAsync(November);

        foreach (var row in view.Categories.Append(view.Overall!))
        {
            Assert.Equal(row.Figures.SpentMinor, (await data.ListAsync(row.DrillDown)).SpendingMinor);
        }

        Assert.Equal(view.Unbudgeted.SpentMinor, (await data.ListAsync(view.Unbudgeted.DrillDown)).SpendingMinor);
        foreach (var category in view.Unbudgeted.Categories)
        {
            Assert.Equal(category.SpentMinor, (await data.ListAsync(category.DrillDown)).SpendingMinor);
        }
    }
}
