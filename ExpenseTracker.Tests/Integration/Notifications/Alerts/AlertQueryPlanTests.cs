using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Alerts;

/// <summary>
/// The unusual-expense pass runs after every save, so its history queries must not grow with the square of the household.
/// SQLite (no ANALYZE statistics) chose, for "the latest 100 lines of this category before the expense", to walk the
/// transactions by date and, for each, every line of the category through a category index: 40–130 ms a pass on the
/// 6,000-row demo household. Every query of the pass must reach lines through their transaction.
/// </summary>
public sealed class AlertQueryPlanTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    [Fact]
    public async Task ThePassReadsEveryLineThroughItsTransactionNotThroughACategoryIndex()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var family = await Family.CreateAsync(app, Unique.Prefix());
        var (memberId, userId, role) = family.People["Ana"];
        for (var i = 0; i < 6; i++)
        {
            await using var scope = app.ScopeFor(family.HouseholdId, memberId, role, userId);
            await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
            {
                AmountMinor = 10_00 + (i * 100),
                Date = new DateOnly(2026, 11, 1 + i),
                AccountId = family.CashAccountId,
                Payee = "Corner shop",
                PaidByMemberId = memberId,
                Lines = [new LineInput(family.GroceriesId, 10_00 + (i * 100))],
            });
        }

        var commands = await QueryPlanProbe.CommandsOfAsync(() => AlertProbe.ProcessAsync(app, family.HouseholdId));

        Assert.True(commands.Count(c => c.Text.Contains("\"TransactionLines\"", StringComparison.Ordinal)) >= 3); // main lines, a category's two history queries
        await QueryPlanProbe.AssertReadOnlyThroughAsync(commands, "TransactionLines", "IX_TransactionLines_TransactionId");
    }
}
