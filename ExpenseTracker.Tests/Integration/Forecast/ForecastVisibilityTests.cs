using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Forecast;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Forecast;

/// <summary>
/// Projections and forecasts count what each reader may see, by the budgets' rule: a child only their own spending and
/// bills; adults the household's, private transactions included in categories (as budgets do); payee insights never
/// mention another member's private expense. Today is 15 November 2026.
/// </summary>
public sealed class ForecastVisibilityTests : IAsyncLifetime
{
    private TestApp app = null!;
    private Family family = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        family = await Family.CreateAsync(app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    private async Task AddAsync(string author, long amount, DateOnly date, string payee = "Market", bool isPrivate = false)
    {
        await using var scope = family.As(author);
        await family.Service<ExpenseService>(scope).CreateAsync(new ExpenseInput
        {
            AmountMinor = amount,
            Date = date,
            AccountId = family.CashAccountId,
            Payee = payee,
            IsPrivate = isPrivate,
            PaidByMemberId = family.Id(author),
            Lines = [new LineInput(family.GroceriesId, amount)],
        });
    }

    private async Task<T> AsAsync<T>(string name, Func<ForecastService, Task<T>> read)
    {
        await using var scope = family.As(name);
        return await read(family.Service<ForecastService>(scope));
    }

    [ProviderTheory]
    public async Task AChildsProjectionAndForecastCoverOnlyTheirOwnSpendingAndBills(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await AddAsync("Ana", 100_00, new DateOnly(2026, 11, 3));
        await AddAsync("Ana", 50_00, new DateOnly(2026, 10, 10));
        await AddAsync("Kim", 7_00, new DateOnly(2026, 11, 4));
        await AddAsync("Kim", 3_00, new DateOnly(2026, 10, 12));
        await using (var scope = family.As("Ana"))
        {
            await family.Service<BillService>(scope).AddAsync(new BillInput
            {
                Name = "Power", Payee = "City Power", CategoryId = family.GroceriesId, AmountMinor = 80_00,
                Kind = BillScheduleKind.MonthlyOnDay, DayOfMonth = 20, Start = new DateOnly(2026, 11, 1),
            });
        }

        var kim = await AsAsync("Kim", f => f.GetMonthEndAsync());
        var ana = await AsAsync("Ana", f => f.GetMonthEndAsync());

        Assert.Equal(7_00, kim.Total.SpentMinor);
        Assert.Equal(0, kim.Total.BillsDueMinor);
        Assert.Equal(107_00, ana.Total.SpentMinor);
        Assert.Equal(80_00, ana.Total.BillsDueMinor);
        Assert.True(ana.Total.ProjectedMinor >= 187_00);

        var kimsForecast = await AsAsync("Kim", f => f.GetForecastAsync());
        Assert.Equal(3_00, kimsForecast.History[^1].TotalMinor);
        Assert.True(kimsForecast.LowConfidence);
        Assert.All(kimsForecast.Months.Skip(1), m => Assert.Equal(0, m.BillsMinor));
        var anasForecast = await AsAsync("Ana", f => f.GetForecastAsync());
        Assert.Equal(53_00, anasForecast.History[^1].TotalMinor);
        Assert.All(anasForecast.Months.Skip(1), m => Assert.Equal(80_00, m.BillsMinor));
    }

    [ProviderTheory]
    public async Task AnAdultsProjectionCountsWhatTheBudgetPageCounts(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await AddAsync("Ana", 100_00, new DateOnly(2026, 11, 3));
        await AddAsync("Ben", 40_00, new DateOnly(2026, 11, 5), isPrivate: true);

        var projection = await AsAsync("Ana", f => f.GetMonthEndAsync());
        await using var scope = family.As("Ana");
        var budgets = family.Service<BudgetService>(scope);
        var month = await budgets.GetMonthAsync(await budgets.CurrentMonthAsync());

        Assert.Equal(month.TotalSpentMinor, projection.Total.SpentMinor);
        Assert.Equal(140_00, projection.Total.SpentMinor);
    }

    [ProviderTheory]
    public async Task APrivateSubscriptionsPriceRiseIsMentionedOnlyToItsAuthor(DatabaseProvider provider)
    {
        await StartAsync(provider);
        for (var month = 6; month <= 10; month++)
        {
            var date = new DateOnly(2026, month, 8);
            await AddAsync("Ben", month <= 8 ? 9_99 : 12_99, date, "SecretStream", isPrivate: true);
            await AddAsync("Ana", month <= 7 ? 5_00 : 6_00, date, "FamilyFlix");
        }

        var anas = (await AsAsync("Ana", f => f.GetForecastAsync())).Insights.Where(i => i.Kind == InsightKind.PriceRise).ToList();
        var bens = (await AsAsync("Ben", f => f.GetForecastAsync())).Insights.Where(i => i.Kind == InsightKind.PriceRise).ToList();

        Assert.Contains(anas, i => i.Text.Contains("FamilyFlix", StringComparison.Ordinal));
        Assert.DoesNotContain(anas, i => i.Text.Contains("SecretStream", StringComparison.Ordinal));
        Assert.Contains(bens, i => i.Text.Contains("SecretStream", StringComparison.Ordinal));
    }
}
