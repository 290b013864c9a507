using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Budgets;

/// <summary>
/// A budget's pace expects its bills on their due dates: the rent paid on the 1st is on pace on the 15th (TestApp's
/// clock), where an even spread of the whole budget called it 65 % over. The overall budget counts every bill.
/// </summary>
public sealed class BudgetPaceWithBillsTests : IAsyncLifetime
{
    private static readonly BudgetMonth November = new(2026, 11);
    private TestApp app = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [ProviderTheory]
    public async Task RentPaidOnTheFirstIsOnPaceAndTheOverallBudgetExpectsEveryBill(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        var (user, household, memberId) = await app.CreateUserWithHouseholdAsync("olivia@example.com");
        await using var scope = app.ScopeFor(household.Id, memberId, MemberRole.Owner, user.Id);
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var categories = await db.Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);
        var account = await db.Accounts.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();

        var budgets = sp.GetRequiredService<BudgetService>();
        await budgets.SetCategoryBudgetAsync(categories["Housing"], November, 2_000_00);
        await budgets.SetCategoryBudgetAsync(categories["Groceries"], November, 600_00);
        await budgets.SetOverallBudgetAsync(November, 3_000_00);
        var bills = sp.GetRequiredService<BillService>();
        await bills.AddAsync(new BillInput
        {
            Name = "Rent", Payee = "Maple Street Apartments", CategoryId = categories["Housing"], AmountMinor = 1_650_00, DayOfMonth = 1,
            Start = new DateOnly(2026, 1, 1), AccountId = account,
        });
        await bills.AddAsync(new BillInput
        {
            Name = "Phones", Payee = "Telco Mobile", CategoryId = categories["Utilities"], AmountMinor = 65_00, DayOfMonth = 20,
            Start = new DateOnly(2026, 1, 1), AccountId = account,
        });
        // An archived bill takes nothing from any budget.
        var old = await bills.AddAsync(new BillInput
        {
            Name = "Old gym", Payee = "Gym", CategoryId = categories["Housing"], AmountMinor = 40_00, DayOfMonth = 5, Start = new DateOnly(2026, 1, 1),
        });
        await bills.SetArchivedAsync(old, archived: true);

        var expenses = sp.GetRequiredService<ExpenseService>();
        await expenses.CreateAsync(new ExpenseInput
        {
            AmountMinor = 1_650_00, Date = new DateOnly(2026, 11, 1), AccountId = account, Payee = "Maple Street Apartments",
            Lines = [new LineInput(categories["Housing"], 1_650_00)],
        });
        await expenses.CreateAsync(new ExpenseInput
        {
            AmountMinor = 300_00, Date = new DateOnly(2026, 11, 10), AccountId = account, Payee = "Fresh Market",
            Lines = [new LineInput(categories["Groceries"], 300_00)],
        });

        var view = await budgets.GetMonthAsync(November);

        // Housing: 1,650 due by the 15th + (2,000 − 1,650) × 15 ÷ 30 = 1,825 expected; 1,650 spent is on pace.
        var housing = view.Categories.Single(r => r.Name == "Housing").Figures;
        Assert.Equal(1_825_00, housing.ExpectedByNowMinor);
        Assert.Equal(PaceState.OnPace, housing.State);

        // Groceries has no bill: half its budget by the 15th, as before.
        var groceries = view.Categories.Single(r => r.Name == "Groceries").Figures;
        Assert.Equal(300_00, groceries.ExpectedByNowMinor);
        Assert.Equal(PaceState.OnPace, groceries.State);

        // Overall: both bills this month (1,715), the rent due by now: 1,650 + (3,000 − 1,715) × 15 ÷ 30 = 2,292.50.
        Assert.Equal(2_292_50, view.Overall!.Figures.ExpectedByNowMinor);
        Assert.Equal(1_950_00, view.Overall.Figures.SpentMinor);
        Assert.Equal(PaceState.UnderPace, view.Overall.Figures.State);
    }
}
