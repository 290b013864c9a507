using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>
/// With another member's private transactions in the household, every chart counts them as one "private (n items)" line
/// and its total equals the drill-down list's total plus that list's private line, to the cent.
/// <code>
/// 2026-10-10 Dining out  12.00 Luigi's, Sam, private
/// 2026-11-02 Groceries   40.00 Market, Ana
/// 2026-11-05 Dining out  25.00 Luigi's, Sam, private
/// 2026-11-06 Groceries    5.00 Market, Sam, private
/// 2026-11-07 Refund of Groceries 2.00 Market, Sam, private
/// 2026-11-08 Income     500.00 Bonus, Sam, private
/// 2026-11-09 Shopping     7.00 Toy shop, Kim (a child)
/// 2026-11-14 Income    3000.00 Employer, Ana
/// </code>
/// Ana's view of November: visible spending 47.00, private line 3 items 28.00, total 75.00; private income 500.00.
/// </summary>
public sealed class PrivateChartTotalsTests : IAsyncLifetime
{
    private static readonly AnalyticsFilter OctoberToNovember = new() { From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 11, 30) };
    private static readonly AnalyticsFilter NovemberToDate = new() { From = new DateOnly(2026, 11, 1), To = new DateOnly(2026, 11, 15) };
    private static readonly BudgetMonth November = new(2026, 11);
    private TestApp app = null!;
    private TestHousehold home = null!;
    private long sam;
    private long kim;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        home = await TestHousehold.CreateAsync(app, "ana@example.com");
        sam = await home.AddMemberAsync("Sam");
        kim = await home.AddMemberAsync("Kim", MemberRole.Child);
        await home.AddExpenseAsync(home.Expense(40_00, date: new DateOnly(2026, 11, 2), payee: "Market"));
        await home.AddExpenseAsync(home.Expense(3_000_00, date: new DateOnly(2026, 11, 14), payee: "Employer") with { Kind = TransactionKind.Income, Lines = [] });
        await AsAsync(MemberRole.Member, sam, (ExpenseService s) => s.CreateAsync(Private(12_00, "Dining out", new DateOnly(2026, 10, 10), "Luigi's")));
        await AsAsync(MemberRole.Member, sam, (ExpenseService s) => s.CreateAsync(Private(25_00, "Dining out", new DateOnly(2026, 11, 5), "Luigi's")));
        await AsAsync(MemberRole.Member, sam, (ExpenseService s) => s.CreateAsync(Private(5_00, "Groceries", new DateOnly(2026, 11, 6), "Market")));
        await AsAsync(MemberRole.Member, sam, (ExpenseService s) => s.CreateAsync(
            Private(2_00, "Groceries", new DateOnly(2026, 11, 7), "Market") with { Kind = TransactionKind.Refund }));
        await AsAsync(MemberRole.Member, sam, (ExpenseService s) => s.CreateAsync(
            Private(500_00, "Groceries", new DateOnly(2026, 11, 8), "Bonus") with { Kind = TransactionKind.Income, Lines = [] }));
        await AsAsync(MemberRole.Child, kim, (ExpenseService s) => s.CreateAsync(
            home.Expense(7_00, "Shopping", new DateOnly(2026, 11, 9), "Toy shop") with { PaidByMemberId = kim }));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    private ExpenseInput Private(long amountMinor, string category, DateOnly date, string payee) =>
        home.Expense(amountMinor, category, date, payee) with { PaidByMemberId = sam, IsPrivate = true };

    private async Task<TResult> AsAsync<TService, TResult>(MemberRole role, long? member, Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = home.Scope(role, member);
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private Task<T> AnaAsync<T>(Func<AnalyticsService, Task<T>> action) => AsAsync(MemberRole.Owner, home.OwnerMemberId, action);

    private Task<ExpensePage> ListAsync(ExpenseFilter filter, MemberRole role = MemberRole.Owner, long? member = null) =>
        AsAsync(role, member ?? home.OwnerMemberId, (ExpenseService s) => s.ListAsync(new ExpensePageRequest(filter, 0, ExpenseService.MaxPageSize)));

    /// <summary>The list's spending plus its private line equals the chart figure, and the private line matches when given.</summary>
    private async Task AssertListAgreesAsync(long chartMinor, ExpenseFilter filter, string what, long? privateMinor = null, int? privateCount = null)
    {
        var list = await ListAsync(filter);
        Assert.True(chartMinor == list.TotalSpendingMinor, $"{what}: chart {chartMinor}, list {list.SpendingMinor} + private {list.Private.SpendingMinor}");
        if (privateMinor is { } amount)
        {
            Assert.Equal(amount, list.Private.SpendingMinor);
        }

        if (privateCount is { } count)
        {
            Assert.Equal(count, list.Private.Count);
        }
    }

    [ProviderTheory]
    public async Task TheMonthlyTrendStacksPrivateSpendingAsOneSeriesAndItsMonthTotalsMatchTheList(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var trend = await AnaAsync(a => a.MonthlyTrendAsync(OctoberToNovember));

        var hidden = Assert.IsType<PrivateSeries>(trend.Private);
        Assert.Equal("private (4 items)", hidden.Label);
        Assert.Equal([12_00L, 28_00L], hidden.Cells.Select(c => c.AmountMinor));
        Assert.Equal([1, 3], hidden.CellCounts);
        Assert.DoesNotContain(trend.Series, s => s.CategoryId == home.Categories["Dining out"]);
        Assert.Equal([12_00L, 75_00L], trend.Months.Select(m => m.TotalMinor));
        for (var i = 0; i < trend.Months.Count; i++)
        {
            var month = trend.Months[i];
            Assert.Equal(month.TotalMinor, trend.Series.Sum(s => s.Cells[i].AmountMinor) + hidden.Cells[i].AmountMinor);
            await AssertListAgreesAsync(month.TotalMinor, month.DrillDown, month.Month.ToString());
            var list = await ListAsync(hidden.Cells[i].DrillDown);
            Assert.Equal(hidden.Cells[i].AmountMinor, list.Private.SpendingMinor);
            Assert.Equal(hidden.CellCounts[i], list.Private.Count);
        }

        // The average is over complete months (November is still running): October, all of it private.
        Assert.Equal(12_00, trend.AverageMinor);
    }

    [ProviderTheory]
    public async Task CumulativeSpendingCountsPrivateSpendingOnItsDaysAndNamesItAsOneLine(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var cumulative = await AnaAsync(a => a.CumulativeSpendingAsync(November));

        var hidden = Assert.IsType<PrivateSlice>(cumulative.Private);
        Assert.Equal(3, hidden.Count);
        Assert.Equal(28_00, hidden.AmountMinor);
        Assert.Equal(75_00, cumulative.Days.Sum(d => d.DayMinor));
        Assert.Equal(75_00, cumulative.Days.Single(d => d.Date == new DateOnly(2026, 11, 15)).CumulativeMinor);
        foreach (var day in cumulative.Days.Where(d => d.DayMinor != 0))
        {
            await AssertListAgreesAsync(day.DayMinor, day.DayDrillDown, day.Date.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        await AssertListAgreesAsync(75_00, hidden.DrillDown, "month", 28_00, 3);
    }

    [ProviderTheory]
    public async Task TheCategoryComparisonHasAPrivateRowAndItsTotalsMatchTheList(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var comparison = await AnaAsync(a => a.CategoryComparisonAsync(November));

        var hidden = Assert.IsType<PrivateComparisonRow>(comparison.Private);
        Assert.Equal("private (3 items)", hidden.Label);
        Assert.Equal((3, 1, 0), (hidden.ThisMonthCount, hidden.LastMonthCount, hidden.SameMonthLastYearCount));
        Assert.Equal(28_00, hidden.Row.ThisMonth.AmountMinor);
        Assert.Equal(12_00, hidden.Row.LastMonth.AmountMinor);
        Assert.Equal(75_00, comparison.Total.ThisMonth.AmountMinor);
        Assert.Equal(12_00, comparison.Total.LastMonth.AmountMinor);
        Assert.Equal(comparison.Total.ThisMonth.AmountMinor, comparison.Rows.Sum(r => r.ThisMonth.AmountMinor) + hidden.Row.ThisMonth.AmountMinor);
        await AssertListAgreesAsync(comparison.Total.ThisMonth.AmountMinor, comparison.Total.ThisMonth.DrillDown, "this month", 28_00, 3);
        await AssertListAgreesAsync(comparison.Total.LastMonth.AmountMinor, comparison.Total.LastMonth.DrillDown, "last month", 12_00, 1);
        await AssertListAgreesAsync(0, comparison.Total.SameMonthLastYear.DrillDown, "last year", 0, 0);
    }

    [ProviderTheory]
    public async Task IncomeVsSpendingIncludesPrivateIncomeAndSpendingAsTheListsPrivateLineShowsThem(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var chart = await AnaAsync(a => a.IncomeVsSpendingAsync(NovemberToDate));

        var month = Assert.Single(chart.Months);
        Assert.Equal(75_00, month.Spending.AmountMinor);
        Assert.Equal(3_500_00, month.Income.AmountMinor);
        Assert.Equal(4, month.Private!.Count);
        var hidden = Assert.IsType<PrivateIncomeSpending>(chart.Private);
        Assert.Equal((4, 500_00L, 28_00L), (hidden.Count, hidden.IncomeMinor, hidden.SpendingMinor));

        await AssertListAgreesAsync(month.Spending.AmountMinor, month.Spending.DrillDown, "spending", 28_00, 3);
        var incomeList = await ListAsync(month.Income.DrillDown);
        Assert.Equal(month.Income.AmountMinor, incomeList.Items.Sum(i => i.AmountMinor) + incomeList.Private.IncomeMinor);
        Assert.Equal(1, incomeList.Private.Count);
    }

    [ProviderTheory]
    public async Task TopPayeesAndSpendingPerMemberTotalsMatchTheListWithItsPrivateLine(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var payees = await AnaAsync(a => a.TopPayeesAsync(NovemberToDate));
        var members = await AnaAsync(a => a.SpendingPerMemberAsync(NovemberToDate));

        Assert.Equal(75_00, payees.TotalMinor);
        Assert.Equal(28_00, payees.Private!.AmountMinor);
        Assert.Equal(payees.TotalMinor, payees.Payees.Sum(p => p.AmountMinor) + payees.Private.AmountMinor);
        await AssertListAgreesAsync(payees.TotalMinor, payees.Private.DrillDown, "payees", 28_00, 3);

        Assert.Equal(75_00, members.TotalMinor);
        Assert.Equal(members.TotalMinor, members.Members.Sum(m => m.AmountMinor) + members.Private!.AmountMinor);
        Assert.Equal([home.OwnerMemberId, kim], members.Members.Select(m => m.MemberId).Order());
        await AssertListAgreesAsync(members.TotalMinor, members.Private.DrillDown, "members", 28_00, 3);
    }

    [ProviderTheory]
    public async Task AChildStillSeesOnlyTheirOwnSpendingAndNoPrivateLine(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var scope = home.Scope(MemberRole.Child, kim);
        var analytics = scope.ServiceProvider.GetRequiredService<AnalyticsService>();

        var trend = await analytics.MonthlyTrendAsync(OctoberToNovember);
        var cumulative = await analytics.CumulativeSpendingAsync(November);
        var comparison = await analytics.CategoryComparisonAsync(November);
        var income = await analytics.IncomeVsSpendingAsync(OctoberToNovember);
        var payees = await analytics.TopPayeesAsync(NovemberToDate);

        Assert.Null(trend.Private);
        Assert.Equal([0L, 7_00L], trend.Months.Select(m => m.TotalMinor));
        Assert.Null(cumulative.Private);
        Assert.Equal(7_00, cumulative.Days.Sum(d => d.DayMinor));
        Assert.Null(comparison.Private);
        Assert.Equal(7_00, comparison.Total.ThisMonth.AmountMinor);
        Assert.Null(income.Private);
        Assert.Equal([0L, 0L], income.Months.Select(m => m.Income.AmountMinor));
        Assert.Equal(7_00, income.TotalSpendingMinor);
        Assert.Null(payees.Private);
        Assert.Equal("Toy shop", Assert.Single(payees.Payees).Name);

        var list = await ListAsync(trend.Months[^1].DrillDown, MemberRole.Child, kim);
        Assert.Equal(7_00, list.TotalSpendingMinor);
        Assert.True(list.Private.IsEmpty);
    }
}
