using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration;

public sealed class ExpenseServiceSmokeTests
{
    [ProviderTheory]
    public async Task AnExpenseLoggedInAHouseholdShowsUpInItsListWithTheRightTotal(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var (_, household, memberId) = await app.CreateUserWithHouseholdAsync("ana@example.com");
        await using var scope = app.ScopeFor(household.Id, memberId);
        var expenses = scope.ServiceProvider.GetRequiredService<ExpenseService>();
        var lookups = await expenses.GetLookupsAsync();
        var groceries = lookups.Categories.Single(c => c.Name == "Groceries").Id;
        var cash = lookups.Accounts.Single().Id;

        await expenses.CreateAsync(new ExpenseInput { AmountMinor = 1250, Date = new DateOnly(2026, 11, 3), AccountId = cash, Payee = "Café Zürich", Lines = [new LineInput(groceries, 1250)] });
        await expenses.CreateAsync(new ExpenseInput { AmountMinor = 750, Date = new DateOnly(2026, 11, 4), AccountId = cash, Payee = "Bakery", Lines = [new LineInput(groceries, 750)] });

        var page = await expenses.ListAsync(new ExpensePageRequest(new ExpenseFilter { Text = "cafe zurich" }, 0, 50));
        Assert.Single(page.Items);
        Assert.Equal("Café Zürich", page.Items[0].Payee);

        var all = await expenses.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50));
        Assert.Equal(2, all.TotalCount);
        Assert.Equal(2000, all.SpendingMinor);
    }
}
