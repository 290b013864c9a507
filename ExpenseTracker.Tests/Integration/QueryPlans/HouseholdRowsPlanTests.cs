using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Tests.Integration.Notifications;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Import.Rules;
using ExpenseTracker.Web.Features.PaymentAccounts;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.QueryPlans;

/// <summary>
/// Queries that reach a transaction's lines, tags or shares must read them by TransactionId. With the household filter
/// on those tables too, SQLite (no ANALYZE statistics) read them through the household-wide (HouseholdId, …) index:
/// every row of the household for each transaction. The bill suggestions took 6.1 s on the 6,000-row demo household
/// (13 ms now); an edit read all of the household's lines, tags and shares.
/// </summary>
public sealed class HouseholdRowsPlanTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    private const string ByTransaction = "IX_TransactionLines_TransactionId";
    private const string TagsByTransaction = "sqlite_autoindex_TransactionTags_1";
    private const string SharesByTransaction = "sqlite_autoindex_MemberShares_1";

    [Fact]
    public async Task BillSuggestionsReadEachExpensesFirstLineByTransaction()
    {
        var (app, family) = await StartAsync();
        for (var month = 8; month <= 11; month++)
        {
            await SpendAsync(app, family, new DateOnly(2026, month, 3), "StreamFlix", []);
        }

        var commands = await QueryPlanProbe.CommandsOfAsync(async () =>
        {
            await using var scope = ScopeOf(app, family);
            Assert.NotEmpty(await scope.ServiceProvider.GetRequiredService<BillService>().DetectRecurringAsync());
        });

        await QueryPlanProbe.AssertReadOnlyThroughAsync(commands, "TransactionLines", ByTransaction);
        await QueryPlanProbe.AssertNoHouseholdWideInnerLoopAsync(commands);
    }

    [Fact]
    public async Task AnEditLoadsTheExpensesLinesTagsAndSharesByTransaction()
    {
        var (app, family) = await StartAsync();
        var id = await SpendAsync(app, family, new DateOnly(2026, 11, 3), "Corner shop", ["weekly"]);

        var commands = await QueryPlanProbe.CommandsOfAsync(async () =>
        {
            await using var scope = ScopeOf(app, family);
            await scope.ServiceProvider.GetRequiredService<ExpenseService>().UpdateAsync(id, 1, Input(family, new DateOnly(2026, 11, 4), "Corner shop", ["weekly", "food"]));
        });

        await QueryPlanProbe.AssertReadOnlyThroughAsync(commands, "TransactionLines", ByTransaction);
        await QueryPlanProbe.AssertReadOnlyThroughAsync(commands, "TransactionTags", TagsByTransaction);
        await QueryPlanProbe.AssertReadOnlyThroughAsync(commands, "MemberShares", SharesByTransaction);
    }

    [Fact]
    public async Task ApplyingRulesToExistingExpensesLoadsEachOnesLinesAndTagsByTransaction()
    {
        var (app, family) = await StartAsync();
        await SpendAsync(app, family, new DateOnly(2026, 11, 3), "NETFLIX.COM 123", []);
        await using (var scope = ScopeOf(app, family))
        {
            await scope.ServiceProvider.GetRequiredService<CategoryRuleService>().CreateAsync(
                new RuleInput(RuleField.Payee, RuleOperator.Contains, "netflix", CategoryId: family.GroceriesId, Tags: "streaming"));
        }

        var commands = await QueryPlanProbe.CommandsOfAsync(async () =>
        {
            await using var scope = ScopeOf(app, family);
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<CategoryRuleService>().ApplyToExistingAsync());
        });

        await QueryPlanProbe.AssertReadOnlyThroughAsync(commands, "TransactionLines", ByTransaction);
        await QueryPlanProbe.AssertReadOnlyThroughAsync(commands, "TransactionTags", TagsByTransaction);
    }

    /// <summary>
    /// Shared expenses: the list marks each row shared, filters by who spent, and the balances add up every share. On a
    /// 250,000-row household with a fifth of its expenses shared, the list's first page took 571 ms and a month's
    /// spending per member 92 s through the (HouseholdId, MemberId) index, against 0.3 ms and 16 ms by transaction.
    /// </summary>
    [Fact]
    public async Task SharedExpensesAreListedFilteredAndBalancedReadingSharesByTransaction()
    {
        var (app, family) = await StartAsync();
        var ana = family.Id("Ana");
        var ben = family.Id("Ben");
        await using (var scope = ScopeOf(app, family))
        {
            var expenses = scope.ServiceProvider.GetRequiredService<ExpenseService>();
            for (var day = 1; day <= 3; day++)
            {
                await expenses.CreateAsync(Input(family, new DateOnly(2026, 11, day), "Corner shop", []) with
                {
                    Split = new ShareSplit(SplitMethod.Equal, [new SplitPart(ana), new SplitPart(ben)]),
                });
            }
        }

        var commands = await QueryPlanProbe.CommandsOfAsync(async () =>
        {
            await using var scope = ScopeOf(app, family);
            var expenses = scope.ServiceProvider.GetRequiredService<ExpenseService>();
            Assert.All((await expenses.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 10))).Items, row => Assert.True(row.IsShared));
            Assert.Equal(3, (await expenses.ListAsync(new ExpensePageRequest(new ExpenseFilter { SpendingOfMemberId = ben }, 0, 10))).Items.Count);
            await scope.ServiceProvider.GetRequiredService<BalanceService>().GetBalancesAsync();
        });

        // The balances sum each member's shares once per member: that reads the member's own shares.
        await QueryPlanProbe.AssertReadOnlyThroughAsync(commands, "MemberShares", SharesByTransaction, "IX_MemberShares_MemberId_HouseholdId (MemberId=? AND HouseholdId=?)");
    }

    /// <summary>The Accounts page counts each account's transactions: 3.3 s for 3 accounts and 250,000 transactions through the household's range, 0.3 s through the account indexes.</summary>
    [Fact]
    public async Task TheAccountsListCountsEachAccountsTransactionsThroughTheAccountIndexes()
    {
        var (app, family) = await StartAsync();
        await SpendAsync(app, family, new DateOnly(2026, 11, 3), "Corner shop", []);

        var commands = await QueryPlanProbe.CommandsOfAsync(async () =>
        {
            await using var scope = ScopeOf(app, family);
            var accounts = await scope.ServiceProvider.GetRequiredService<PaymentAccountService>().ListAsync();
            Assert.Equal(1, accounts.Single(a => a.Id == family.CashAccountId).TransactionCount);
        });

        await QueryPlanProbe.AssertNoHouseholdWideInnerLoopAsync(commands);
    }

    private async Task<(TestApp App, Family Family)> StartAsync()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        return (app, await Family.CreateAsync(app, Unique.Prefix()));
    }

    private static AsyncServiceScope ScopeOf(TestApp app, Family family)
    {
        var (memberId, userId, role) = family.People["Ana"];
        return app.ScopeFor(family.HouseholdId, memberId, role, userId);
    }

    private static ExpenseInput Input(Family family, DateOnly date, string payee, List<string> tags) => new()
    {
        AmountMinor = 12_99,
        Date = date,
        AccountId = family.CashAccountId,
        Payee = payee,
        PaidByMemberId = family.Id("Ana"),
        Tags = tags,
        Lines = [new LineInput(family.GroceriesId, 12_99)],
    };

    private static async Task<long> SpendAsync(TestApp app, Family family, DateOnly date, string payee, List<string> tags)
    {
        await using var scope = ScopeOf(app, family);
        return await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(Input(family, date, payee, tags));
    }
}
