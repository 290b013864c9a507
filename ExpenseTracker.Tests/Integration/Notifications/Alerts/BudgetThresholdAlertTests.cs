using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Notifications.Alerts;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Alerts;

/// <summary>An app per case: one case moves the clock into December, which a shared app could not take back.</summary>
public sealed class BudgetThresholdAlertTests : PerCaseApps
{
    private static readonly BudgetMonth November = new(2026, 11);
    private TestApp app = null!;
    private TestHousehold household = null!;
    private long budgetId;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = StartApp(provider);
        household = await TestHousehold.CreateAsync(app, "alerts@example.com");
        await using var scope = household.Scope();
        budgetId = await scope.ServiceProvider.GetRequiredService<BudgetService>().SetCategoryBudgetAsync(household.Categories["Groceries"], November, 100_00);
    }

    private async Task<long> SpendAsync(long amountMinor, DateOnly? date = null)
    {
        var id = await household.AddExpenseAsync(household.Expense(amountMinor, date: date));
        await AlertProbe.ProcessAsync(app, household.Id);
        return id;
    }

    private async Task<List<(string Rule, string Period)>> BudgetAlertsAsync() =>
        (await AlertProbe.InAppAsync(app, household.Id, "budget-")).Select(m => (m.Rule, m.Key.Split(':')[3])).ToList();

    [ProviderTheory]
    public async Task EachThresholdAlertsOnceAMonthAndAgainNextMonth(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await SpendAsync(50_00);
        Assert.Empty(await BudgetAlertsAsync());

        await SpendAsync(35_00); // 85 %
        var warn = Assert.Single(await AlertProbe.InAppAsync(app, household.Id, "budget-"));
        Assert.Equal("budget-warn", warn.Rule);
        Assert.Equal($"budget-warn:budget:{budgetId}:2026-11:m{household.OwnerMemberId}:app", warn.Key);
        Assert.Equal(NotificationType.BudgetAlert, warn.Type);
        Assert.Equal("Groceries budget at 80%", warn.Title);
        Assert.Contains("85.00", warn.Body, StringComparison.Ordinal);
        Assert.Contains("100.00", warn.Body, StringComparison.Ordinal);
        Assert.Contains("November 2026", warn.Body, StringComparison.Ordinal);
        Assert.Equal("budgets", warn.Link);

        await SpendAsync(20_00); // 105 %
        await SpendAsync(5_00);
        await SpendAsync(1_00);
        Assert.Equal([("budget-warn", "2026-11"), ("budget-over", "2026-11")], await BudgetAlertsAsync());

        app.Time.SetUtcNow(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        await SpendAsync(90_00, new DateOnly(2026, 12, 1));
        Assert.Equal([("budget-warn", "2026-11"), ("budget-over", "2026-11"), ("budget-warn", "2026-12")], await BudgetAlertsAsync());
    }

    [ProviderTheory]
    public async Task AnImportCrossingBothThresholdsAtOnceSendsBoth(DatabaseProvider provider)
    {
        await StartAsync(provider);
        // An import saves its rows in one batch and announces one change with the batch's date range.
        await household.AddExpenseAsync(household.Expense(70_00, date: new DateOnly(2026, 11, 2)));
        await household.AddExpenseAsync(household.Expense(45_00, date: new DateOnly(2026, 11, 6)));
        await AlertProbe.ProcessAsync(app, household.Id, new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 6));

        Assert.Equal([("budget-warn", "2026-11"), ("budget-over", "2026-11")], await BudgetAlertsAsync());
        var over = (await AlertProbe.InAppAsync(app, household.Id, "budget-over")).Single();
        Assert.Equal("Groceries budget used up", over.Title);
    }

    [ProviderTheory]
    public async Task LoweringThenRaisingSpendingAgainDoesNotRepeatTheAlert(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await SpendAsync(90_00);
        Assert.Single(await BudgetAlertsAsync());

        await EditAmountAsync(id, 10_00);
        await AlertProbe.ProcessAsync(app, household.Id);
        await EditAmountAsync(id, 95_00);
        await AlertProbe.ProcessAsync(app, household.Id);

        Assert.Equal([("budget-warn", "2026-11")], await BudgetAlertsAsync());
    }

    private async Task EditAmountAsync(long id, long amountMinor)
    {
        await using var scope = household.Scope();
        var expenses = scope.ServiceProvider.GetRequiredService<ExpenseService>();
        var current = await expenses.GetAsync(id);
        await expenses.UpdateAsync(id, current.Version, household.Expense(amountMinor));
    }

    [ProviderTheory]
    public async Task TheListenerAlertsWhenAnExpenseIsSaved(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await household.AddExpenseAsync(household.Expense(120_00));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await BudgetAlertsAsync()).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal([("budget-warn", "2026-11"), ("budget-over", "2026-11")], await BudgetAlertsAsync());
    }
}

public sealed class BudgetAlertRecipientTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    private static readonly BudgetMonth November = new(2026, 11);
    private TestApp app = null!;
    private Family family = null!;

    /// <summary>A new family in the provider's shared app.</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        app = await apps.ForAsync(provider);
        family = await Family.CreateAsync(app, Unique.Prefix());
    }

    private async Task SpendAsync(string payer, long amountMinor)
    {
        var (memberId, userId, role) = family.People[payer];
        await using var scope = app.ScopeFor(family.HouseholdId, memberId, role, userId);
        await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
        {
            AmountMinor = amountMinor,
            Date = new DateOnly(2026, 11, 3),
            AccountId = family.CashAccountId,
            Payee = "Corner shop",
            PaidByMemberId = memberId,
            Lines = [new LineInput(family.GroceriesId, amountMinor)],
        });
    }

    private async Task<string[]> RecipientsAsync(string rule)
    {
        var names = family.People.ToDictionary(p => p.Value.MemberId, p => p.Key);
        return (await AlertProbe.InAppAsync(app, family.HouseholdId, rule)).Select(m => names[m.MemberId]).Order(StringComparer.Ordinal).ToArray();
    }

    [ProviderTheory]
    public async Task AnAllowanceAlertsItsMemberAndTheOwnersOnly(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using (var scope = family.As("Ana"))
        {
            await scope.ServiceProvider.GetRequiredService<BudgetService>().SetAllowanceAsync(family.Id("Kim"), November, 20_00);
        }

        await SpendAsync("Kim", 25_00);
        await AlertProbe.ProcessAsync(app, family.HouseholdId);

        Assert.Equal(["Ana", "Kim", "Olga"], await RecipientsAsync("budget-warn"));
        Assert.Equal(["Ana", "Kim", "Olga"], await RecipientsAsync("budget-over"));
        Assert.Equal("Kim's allowance budget used up", (await AlertProbe.InAppAsync(app, family.HouseholdId, "budget-over"))[0].Title);
    }

    [ProviderTheory]
    public async Task ACategoryBudgetAlertsOwnersAndMembersButNotViewersOrChildren(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using (var scope = family.As("Ana"))
        {
            await scope.ServiceProvider.GetRequiredService<BudgetService>().SetCategoryBudgetAsync(family.GroceriesId, November, 100_00);
        }

        await SpendAsync("Kim", 85_00);
        await AlertProbe.ProcessAsync(app, family.HouseholdId);

        Assert.Equal(["Ana", "Ben", "Max", "Olga"], await RecipientsAsync("budget-warn"));
        Assert.Empty(await RecipientsAsync("budget-over"));
    }
}
