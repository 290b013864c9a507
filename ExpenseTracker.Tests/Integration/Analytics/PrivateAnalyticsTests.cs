using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.Extensions.DependencyInjection;
using CategorySpending = ExpenseTracker.Web.Features.Analytics.CategorySpending;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>
/// Other members' private transactions are in no category, payee or member of an adult's charts but in one
/// "private (n items)" segment, so chart totals still equal the expense list's total plus its private line.
/// <code>
/// 2026-11-02 Groceries  40.00 Market, Ana
/// 2026-11-05 Dining out 25.00 Luigi's, Sam, private
/// 2026-11-06 Groceries   5.00 Market, Sam, private
/// </code>
/// </summary>
public sealed class PrivateAnalyticsTests : IAsyncLifetime
{
    private static readonly AnalyticsFilter November = new() { From = new DateOnly(2026, 11, 1), To = new DateOnly(2026, 11, 30) };
    private static readonly AnalyticsFilter NovemberFirstHalf = new() { From = new DateOnly(2026, 11, 1), To = new DateOnly(2026, 11, 15) };
    private TestApp app = null!;
    private TestHousehold home = null!;
    private long sam;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        home = await TestHousehold.CreateAsync(app, "ana@example.com");
        sam = await home.AddMemberAsync("Sam");
        await home.AddExpenseAsync(home.Expense(40_00, date: new DateOnly(2026, 11, 2), payee: "Market"));
        await AsSamAsync<ExpenseService, long>(s => s.CreateAsync(
            home.Expense(25_00, "Dining out", new DateOnly(2026, 11, 5), "Luigi's") with { PaidByMemberId = sam, IsPrivate = true }));
        await AsSamAsync<ExpenseService, long>(s => s.CreateAsync(
            home.Expense(5_00, date: new DateOnly(2026, 11, 6), payee: "Market") with { PaidByMemberId = sam, IsPrivate = true }));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    private async Task<TResult> AsSamAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = home.Scope(MemberRole.Member, sam);
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private async Task<TResult> AsAnaAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = home.Scope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    [ProviderTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnAdultSeesAnotherMembersPrivateSpendingOnlyAsThePrivateSegment(DatabaseProvider provider, bool wholeMonth)
    {
        await StartAsync(provider);
        var filter = wholeMonth ? November : NovemberFirstHalf;

        var chart = await AsAnaAsync<AnalyticsService, CategorySpending>(a => a.SpendingByCategoryAsync(filter));

        var slice = Assert.Single(chart.Slices);
        Assert.Equal(home.Categories["Groceries"], slice.CategoryId);
        Assert.Equal(40_00, slice.AmountMinor);
        var hidden = Assert.IsType<PrivateSlice>(chart.Private);
        Assert.Equal(2, hidden.Count);
        Assert.Equal(30_00, hidden.AmountMinor);
        Assert.Equal("private (2 items)", hidden.Label);
        Assert.Equal(70_00, chart.TotalMinor);

        // The private segment's drill-down is the list with the chart's filter: its private line shows the same figures,
        // and the list total plus that line equals the chart total to the cent.
        var list = await AsAnaAsync<ExpenseService, ExpensePage>(s => s.ListAsync(new ExpensePageRequest(hidden.DrillDown, 0, ExpenseService.MaxPageSize)));
        Assert.Equal(hidden.Count, list.Private.Count);
        Assert.Equal(hidden.AmountMinor, list.Private.SpendingMinor);
        Assert.Equal(chart.TotalMinor, list.SpendingMinor + list.Private.SpendingMinor);
        Assert.Equal(chart.TotalMinor, chart.Slices.Sum(s => s.AmountMinor) + hidden.AmountMinor);
    }

    [ProviderTheory]
    public async Task TheAuthorSeesTheirPrivateSpendingInItsCategoriesAndTheCacheKeepsReadersApart(DatabaseProvider provider)
    {
        await StartAsync(provider);
        // Ana first (fills the cache for her), then Sam, then Ana again: nobody gets the other's view.
        var ana = await AsAnaAsync<AnalyticsService, CategorySpending>(a => a.SpendingByCategoryAsync(November));
        var samsView = await AsSamAsync<AnalyticsService, CategorySpending>(a => a.SpendingByCategoryAsync(November));
        var anaAgain = await AsAnaAsync<AnalyticsService, CategorySpending>(a => a.SpendingByCategoryAsync(November));

        Assert.Null(samsView.Private);
        Assert.Equal(70_00, samsView.TotalMinor);
        Assert.Equal(45_00, samsView.Slices.Single(s => s.CategoryId == home.Categories["Groceries"]).AmountMinor);
        Assert.Equal(25_00, samsView.Slices.Single(s => s.CategoryId == home.Categories["Dining out"]).AmountMinor);

        foreach (var view in new[] { ana, anaAgain })
        {
            Assert.Equal(40_00, Assert.Single(view.Slices).AmountMinor);
            Assert.Equal(30_00, view.Private!.AmountMinor);
            Assert.Equal(70_00, view.TotalMinor);
        }

        // Monthly trend (cached per month): Sam's Dining out series is not in Ana's trend.
        var anaTrend = await AsAnaAsync<AnalyticsService, MonthlyTrend>(a => a.MonthlyTrendAsync(November));
        var samTrend = await AsSamAsync<AnalyticsService, MonthlyTrend>(a => a.MonthlyTrendAsync(November));
        Assert.DoesNotContain(anaTrend.Series, s => s.CategoryId == home.Categories["Dining out"]);
        Assert.Contains(samTrend.Series, s => s.CategoryId == home.Categories["Dining out"]);
    }

    [ProviderTheory]
    public async Task PayeeAndMemberChartsFoldOtherMembersPrivateSpendingIntoOneEntry(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var payees = await AsAnaAsync<AnalyticsService, TopPayees>(a => a.TopPayeesAsync(November));
        Assert.DoesNotContain(payees.Payees, p => p.Name == "Luigi's");
        Assert.Equal(40_00, Assert.Single(payees.Payees).AmountMinor);
        Assert.Equal(2, payees.Private!.Count);
        Assert.Equal(30_00, payees.Private.AmountMinor);
        Assert.Equal(70_00, payees.TotalMinor);

        var members = await AsAnaAsync<AnalyticsService, MemberSpendingChart>(a => a.SpendingPerMemberAsync(November));
        Assert.Equal(home.OwnerMemberId, Assert.Single(members.Members).MemberId);
        Assert.Equal(30_00, members.Private!.AmountMinor);
        Assert.Equal(70_00, members.TotalMinor);
        Assert.Equal(members.TotalMinor, members.Members.Sum(m => m.AmountMinor) + members.Private.AmountMinor);

        var samsPayees = await AsSamAsync<AnalyticsService, TopPayees>(a => a.TopPayeesAsync(November));
        Assert.Null(samsPayees.Private);
        Assert.Contains(samsPayees.Payees, p => p.Name == "Luigi's" && p.AmountMinor == 25_00);
    }

    [ProviderTheory]
    public async Task BudgetsKeepCountingPrivateSpendingInItsCategories(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var view = await AsAnaAsync<BudgetService, BudgetMonthView>(b => b.GetMonthAsync(new BudgetMonth(2026, 11)));

        Assert.Equal(70_00, view.Unbudgeted.SpentMinor);
    }
}
