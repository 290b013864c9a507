using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>Each chart's numbers against the hand-computed figures of <see cref="AnalyticsHousehold"/>.</summary>
public sealed class AnalyticsServiceTests(AnalyticsHouseholds households) : IClassFixture<AnalyticsHouseholds>
{
    private AnalyticsHousehold data = null!;

    private async Task OnAsync(DatabaseProvider provider) => data = await households.ForAsync(provider);

    private static readonly BudgetMonth November = new(2026, 11);
    private static readonly AnalyticsFilter NovemberFilter = new() { From = new DateOnly(2026, 11, 1), To = new DateOnly(2026, 11, 30) };

    [ProviderTheory]
    public async Task SpendingByCategorySumsCategoryLinesWithPercentages(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var chart = await data.AsOwnerAsync(a => a.SpendingByCategoryAsync(NovemberFilter));

        Assert.Equal(205_00, chart.TotalMinor);
        Assert.Equal(
            [("Dining out", 90_00L), ("Groceries", 80_00L), ("Shopping", 20_00L), ("Transport", 15_00L)],
            chart.Slices.Select(s => (s.Name, s.AmountMinor)));
        Assert.Equal(90.0 * 100 / 205, chart.Slices[0].Percent, 6);
    }

    [ProviderTheory]
    public async Task TheAccountFilterKeepsOnlyThatAccountsSpending(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var chart = await data.AsOwnerAsync(a => a.SpendingByCategoryAsync(NovemberFilter with { AccountIds = [data.Visa] }));

        Assert.Equal(60_00, chart.TotalMinor);
    }

    [ProviderTheory]
    public async Task TheMonthlyTrendStacksCategoriesAndAveragesCompleteMonthsOnly(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var trend = await data.AsOwnerAsync(a => a.MonthlyTrendAsync(new AnalyticsFilter { From = new DateOnly(2026, 9, 1), To = new DateOnly(2026, 11, 30) }));

        Assert.Equal([100_00L, 120_00L, 205_00L], trend.Months.Select(m => m.TotalMinor));
        Assert.Equal([false, false, true], trend.Months.Select(m => m.IsPartial));
        Assert.Equal(110_00, trend.AverageMinor);
        Assert.Equal(2, trend.AverageMonths);
        Assert.Equal([100_00L, 70_00L, 80_00L], trend.Series.Single(s => s.Name == "Groceries").Cells.Select(c => c.AmountMinor));
        Assert.Equal([0L, 50_00L, 90_00L], trend.Series.Single(s => s.Name == "Dining out").Cells.Select(c => c.AmountMinor));
    }

    [ProviderTheory]
    public async Task TheComparisonShowsThisMonthLastMonthAndLastYearWithDifferences(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var comparison = await data.AsOwnerAsync(a => a.CategoryComparisonAsync(November));

        var groceries = comparison.Rows.Single(r => r.Name == "Groceries");
        Assert.Equal((80_00L, 70_00L, 70_00L), (groceries.ThisMonth.AmountMinor, groceries.LastMonth.AmountMinor, groceries.SameMonthLastYear.AmountMinor));
        Assert.Equal(10_00, groceries.DiffVsLastMinor);
        Assert.Equal(100.0 * 10 / 70, groceries.DiffVsLastPercent!.Value, 6);
        var dining = comparison.Rows.Single(r => r.Name == "Dining out");
        Assert.Equal(90_00, dining.DiffVsLastYearMinor);
        Assert.Null(dining.DiffVsLastYearPercent);
        Assert.Equal((205_00L, 120_00L, 70_00L), (comparison.Total.ThisMonth.AmountMinor, comparison.Total.LastMonth.AmountMinor, comparison.Total.SameMonthLastYear.AmountMinor));
    }

    [ProviderTheory]
    public async Task TopPayeesRankByNetSpending(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var payees = await data.AsOwnerAsync(a => a.TopPayeesAsync(new AnalyticsFilter { From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 11, 30) }));

        // Luigi's 50 + 90; Market 80 − 10 + 40; SuperSave 60; City Transit 15.
        Assert.Equal(
            [("Luigi's", 140_00L, 2), ("Market", 110_00L, 3), ("SuperSave", 60_00L, 1), ("City Transit", 15_00L, 1)],
            payees.Payees.Select(p => (p.Name, p.AmountMinor, p.Count)));
        Assert.Equal(325_00, payees.TotalMinor);
    }

    [ProviderTheory]
    public async Task SpendingPerMemberCountsSharesOfSharedExpensesAndThePayerOtherwise(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var members = await data.AsOwnerAsync(a => a.SpendingPerMemberAsync(NovemberFilter));

        // Ana: 40 + 60 + her 30 of the shared dinner; Sam: transport 15 + his 60.
        Assert.Equal([(data.Home.OwnerMemberId, 130_00L), (data.Sam, 75_00L)], members.Members.Select(m => (m.MemberId, m.AmountMinor)));
        Assert.Equal(205_00, members.TotalMinor);
    }

    [ProviderTheory]
    public async Task TheMemberChartAndTheHouseholdsMemberTotalsUseTheSameRule(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var members = await data.AsOwnerAsync(a => a.SpendingPerMemberAsync(NovemberFilter));
        await using var scope = data.Home.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        var totals = await db.Transactions.TotalsAsync(NovemberFilter.From, NovemberFilter.To);

        Assert.Equal(totals.Select(t => (t.MemberId, t.SpendingMinor)), members.Members.Select(m => (m.MemberId, m.AmountMinor)).OrderBy(m => m.MemberId));
        foreach (var member in members.Members)
        {
            Assert.Equal(member.AmountMinor, (await data.ListAsync(member.DrillDown)).SpendingMinor);
        }
    }

    [ProviderTheory]
    public async Task IncomeVsSpendingPerMonth(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var chart = await data.AsOwnerAsync(a => a.IncomeVsSpendingAsync(new AnalyticsFilter { From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 11, 30) }));

        Assert.Equal([(3_000_00L, 120_00L, 2_880_00L), (3_000_00L, 205_00L, 2_795_00L)],
            chart.Months.Select(m => (m.Income.AmountMinor, m.Spending.AmountMinor, m.NetMinor)));
    }

    [ProviderTheory]
    public async Task CumulativeSpendingRunsUpToTodayAgainstTheOverallBudgetsPace(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var chart = await data.AsOwnerAsync(a => a.CumulativeSpendingAsync(November));

        Assert.Equal(500_00, chart.BudgetMinor);
        Assert.Equal(30, chart.Days.Count);
        Assert.Equal(100_00, chart.Days[2].CumulativeMinor);
        Assert.Equal(50_00, chart.Days[2].PaceMinor);
        Assert.Equal(205_00, chart.Days[14].CumulativeMinor);
        Assert.Null(chart.Days[15].CumulativeMinor);
        Assert.Equal(500_00, chart.Days[^1].PaceMinor);
    }

    [ProviderTheory]
    public async Task BudgetVsActualHasABarPerBudgetAndOneForUnbudgetedSpending(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var chart = await data.AsOwnerAsync(a => a.BudgetVsActualAsync(November));

        Assert.Equal(
            [("Groceries", 130_00L, 80_00L), ("Dining out", 100_00L, 90_00L), ("Unbudgeted", 0L, 35_00L)],
            chart.Bars.Select(b => (b.Name, b.BudgetMinor, b.SpentMinor)).OrderBy(b => b.Name == "Unbudgeted").ThenByDescending(b => b.Item2));
    }

    [ProviderTheory]
    public async Task CsvTablesUseInvariantAmountsAndNeutraliseFormulas(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var chart = await data.AsOwnerAsync(a => a.SpendingByCategoryAsync(NovemberFilter));
        var csv = AnalyticsCsv.Of(chart, "EUR");

        Assert.StartsWith("Category,Amount,Percent\r\nDining out,90.00,43.9\r\n", csv, StringComparison.Ordinal);
        Assert.EndsWith("Total,205.00,100.0\r\n", csv, StringComparison.Ordinal);
        Assert.Equal("Name\r\n\"'=HYPERLINK(\"\"x\"\")\"\r\n",
            new CsvTable("Name").Text("=HYPERLINK(\"x\")").EndRow().ToString());
        Assert.Equal("A,B\r\n'-1,-1.50\r\n", new CsvTable("A", "B").Text("-1").Money(-150, "EUR").EndRow().ToString());
        Assert.Equal("A\r\n\"a,b\"\r\n", new CsvTable("A").Text("a,b").EndRow().ToString());
    }
}
