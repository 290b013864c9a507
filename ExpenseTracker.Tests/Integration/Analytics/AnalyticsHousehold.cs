using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>
/// A small fixed household whose figures are worked out by hand in the tests. Today is 15 November 2026 (the TestApp
/// clock), Europe/Berlin, months from the 1st. Ana owns it, Sam is a member.
/// <code>
/// 2025-11-20 Groceries  70.00 Market                       (same month last year)
/// 2026-09-10 Groceries 100.00 Market
/// 2026-10-05 Groceries  80.00 Market
/// 2026-10-15 Dining     50.00 Luigi's, Visa, paid by Sam
/// 2026-10-20 Refund of Groceries 10.00 Market
/// 2026-10-25 Income   3000.00 Employer
/// 2026-11-02 Groceries  40.00 Market
/// 2026-11-03 SuperSave  60.00 = Groceries 40.00 + Shopping 20.00, Visa
/// 2026-11-05 Transfer  200.00 Cash -> Visa
/// 2026-11-10 Transport  15.00 City Transit, paid by Sam
/// 2026-11-12 Dining     90.00 Luigi's, paid by Ana, shared Ana 30.00 / Sam 60.00
/// 2026-11-14 Income   3000.00 Employer
/// Budgets: Groceries 100.00 from 2026-09 with rollover; Dining out 60.00 from 2026-10, November overridden to 100.00;
/// overall 500.00 from 2026-11.
/// </code>
/// </summary>
public sealed class AnalyticsHousehold : IAsyncLifetime
{
    public TestApp App { get; }

    public AnalyticsHousehold()
        : this(new TestApp())
    {
    }

    private AnalyticsHousehold(TestApp app) => App = app;

    /// <summary>The same data seeded in <paramref name="app"/>, which the caller disposes.</summary>
    public static async Task<AnalyticsHousehold> SeedAsync(TestApp app)
    {
        var seeded = new AnalyticsHousehold(app);
        await seeded.InitializeAsync();
        return seeded;
    }

    public TestHousehold Home { get; private set; } = null!;
    public long Sam { get; private set; }
    public long Visa { get; private set; }
    public long GroceriesBudget { get; private set; }
    public long DiningBudget { get; private set; }

    public long Category(string name) => Home.Categories[name];

    public async Task InitializeAsync()
    {
        var home = Home = await TestHousehold.CreateAsync(App, "ana@example.com");
        Sam = await home.AddMemberAsync("Sam");
        Visa = await home.AddAccountAsync("Visa", AccountKind.CreditCard);

        await home.AddExpenseAsync(home.Expense(70_00, date: new DateOnly(2025, 11, 20), payee: "Market"));
        await home.AddExpenseAsync(home.Expense(100_00, date: new DateOnly(2026, 9, 10), payee: "Market"));
        await home.AddExpenseAsync(home.Expense(80_00, date: new DateOnly(2026, 10, 5), payee: "Market"));
        await home.AddExpenseAsync(home.Expense(50_00, "Dining out", new DateOnly(2026, 10, 15), "Luigi's") with { AccountId = Visa, PaidByMemberId = Sam });
        await home.AddExpenseAsync(home.Expense(10_00, date: new DateOnly(2026, 10, 20), payee: "Market") with { Kind = TransactionKind.Refund });
        await home.AddExpenseAsync(Income(new DateOnly(2026, 10, 25)));
        await home.AddExpenseAsync(home.Expense(40_00, date: new DateOnly(2026, 11, 2), payee: "Market"));
        await home.AddExpenseAsync(new ExpenseInput
        {
            AmountMinor = 60_00,
            Date = new DateOnly(2026, 11, 3),
            AccountId = Visa,
            Payee = "SuperSave",
            Lines = [new LineInput(Category("Groceries"), 40_00), new LineInput(Category("Shopping"), 20_00)],
        });
        await home.AddExpenseAsync(new ExpenseInput { Kind = TransactionKind.Transfer, AmountMinor = 200_00, Date = new DateOnly(2026, 11, 5), AccountId = home.CashAccountId, ToAccountId = Visa });
        await home.AddExpenseAsync(home.Expense(15_00, "Transport", new DateOnly(2026, 11, 10), "City Transit") with { PaidByMemberId = Sam });
        var shared = await home.AddExpenseAsync(home.Expense(90_00, "Dining out", new DateOnly(2026, 11, 12), "Luigi's"));
        await home.AddExpenseAsync(Income(new DateOnly(2026, 11, 14)));

        await using (var scope = home.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.MemberShares.AddRange(
                new MemberShare { TransactionId = shared, MemberId = home.OwnerMemberId, AmountMinor = 30_00 },
                new MemberShare { TransactionId = shared, MemberId = Sam, AmountMinor = 60_00 });
            await db.SaveChangesAsync();

            var budgets = scope.ServiceProvider.GetRequiredService<BudgetService>();
            GroceriesBudget = await budgets.SetCategoryBudgetAsync(Category("Groceries"), new BudgetMonth(2026, 9), 100_00);
            await budgets.SetRolloverAsync(GroceriesBudget, true);
            DiningBudget = await budgets.SetCategoryBudgetAsync(Category("Dining out"), new BudgetMonth(2026, 10), 60_00);
            await budgets.OverrideMonthAsync(DiningBudget, new BudgetMonth(2026, 11), 100_00);
            await budgets.SetOverallBudgetAsync(new BudgetMonth(2026, 11), 500_00);
        }
    }

    private ExpenseInput Income(DateOnly date) => new()
    {
        Kind = TransactionKind.Income,
        AmountMinor = 3_000_00,
        Date = date,
        AccountId = Home.CashAccountId,
        Payee = "Employer",
    };

    public async Task<T> AsOwnerAsync<T>(Func<AnalyticsService, Task<T>> action)
    {
        await using var scope = Home.Scope();
        return await action(scope.ServiceProvider.GetRequiredService<AnalyticsService>());
    }

    public async Task<BudgetMonthView> BudgetMonthAsync(BudgetMonth month)
    {
        await using var scope = Home.Scope();
        return await scope.ServiceProvider.GetRequiredService<BudgetService>().GetMonthAsync(month);
    }

    /// <summary>What the expense list shows for a drill-down filter: its spending total and the sum of its rows' amounts by kind.</summary>
    public async Task<ExpensePage> ListAsync(ExpenseFilter filter) =>
        await Home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(filter, 0, ExpenseService.MaxPageSize)));

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The <see cref="AnalyticsHousehold"/> on each provider, for provider theories.</summary>
public sealed class AnalyticsHouseholds : ProviderFixture<AnalyticsHousehold>
{
    protected override Task<AnalyticsHousehold> SeedAsync(TestApp app) => AnalyticsHousehold.SeedAsync(app);
}
