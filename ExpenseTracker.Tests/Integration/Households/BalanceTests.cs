using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Households;

public sealed class BalanceTests : IAsyncLifetime
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

    private async Task<BalanceSheet> BalancesAsync(string who = "Ana")
    {
        await using var scope = family.As(who);
        return await scope.ServiceProvider.GetRequiredService<BalanceService>().GetBalancesAsync();
    }

    private async Task ShareEquallyAsync(long transactionId, params string[] among)
    {
        await using var scope = family.As("Ana");
        await scope.ServiceProvider.GetRequiredService<BalanceService>()
            .ShareAsync(transactionId, SplitMethod.Equal, among.Select(n => new SplitPart(family.Id(n))).ToList());
    }

    private static long Net(BalanceSheet sheet, long memberId) => sheet.Members.Single(m => m.MemberId == memberId).NetMinor;

    [ProviderTheory]
    public async Task WhenAnaPaysTenEurosSplitThreeWaysBenAndKimEachOweHerTheirShare(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var dinner = await family.AddAsync("Ana", 1000);
        await ShareEquallyAsync(dinner, "Ana", "Ben", "Kim");

        var sheet = await BalancesAsync();

        Assert.Equal(666, Net(sheet, family.Id("Ana")));
        Assert.Equal(-333, Net(sheet, family.Id("Ben")));
        Assert.Equal(-333, Net(sheet, family.Id("Kim")));
        Assert.Equal(0, sheet.Members.Sum(m => m.NetMinor));
        Assert.Equal(
            [(family.Id("Ben"), family.Id("Ana"), 333L), (family.Id("Kim"), family.Id("Ana"), 333L)],
            sheet.Transfers.Select(t => (t.FromMemberId, t.ToMemberId, t.AmountMinor)).OrderBy(t => t.Item1));
        await using var scope = family.As("Ben");
        var shares = await scope.ServiceProvider.GetRequiredService<BalanceService>().GetSharesAsync(dinner);
        Assert.Equal(334, shares.Shares.Single(s => s.MemberId == family.Id("Ana")).AmountMinor);
    }

    [ProviderTheory]
    public async Task SettlingUpClearsThePairsBalanceAndIsListedButNeverCountsAsSpending(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var groceries = await family.AddAsync("Ben", 5000);
        await ShareEquallyAsync(groceries, "Ana", "Ben");

        await using (var scope = family.As("Ana"))
        {
            await scope.ServiceProvider.GetRequiredService<BalanceService>().SettleUpAsync(family.Id("Ana"), family.Id("Ben"));
        }

        var sheet = await BalancesAsync("Vic");
        Assert.True(sheet.IsSettled);
        Assert.All(sheet.Members, m => Assert.Equal(0, m.NetMinor));
        await using var viewer = family.As("Vic");
        var history = await viewer.ServiceProvider.GetRequiredService<BalanceService>().ListSettlementsAsync();
        var settlement = Assert.Single(history);
        Assert.Equal(("ana", "Ben", 2500L), (settlement.FromName, settlement.ToName, settlement.AmountMinor));
        var db = viewer.ServiceProvider.GetRequiredService<AppDbContext>();
        var spending = await db.Transactions.VisibleTo(viewer.ServiceProvider.GetRequiredService<ExpenseTracker.Web.Infrastructure.HouseholdScope>())
            .TotalsAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        Assert.Equal(5000, spending.Sum(s => s.SpendingMinor));
        Assert.Equal(2500, spending.Single(s => s.MemberId == family.Id("Ana")).SpendingMinor);
    }

    [ProviderTheory]
    public async Task SettlingUpWhenNothingIsOwedExplainsWhy(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var scope = family.As("Ben");
        var refusal = await Assert.ThrowsAsync<HouseholdValidationException>(() =>
            scope.ServiceProvider.GetRequiredService<BalanceService>().SettleUpAsync(family.Id("Ben"), family.Id("Ana")));
        Assert.Equal("Ben does not owe ana anything.", refusal.Message);
    }

    [ProviderTheory]
    public async Task ARefundSharedLikeTheExpenseCancelsItsDebt(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var purchase = await family.AddAsync("Ana", 2000);
        var refund = await family.AddAsync("Ana", 2000, kind: TransactionKind.Refund);
        await ShareEquallyAsync(purchase, "Ana", "Ben");
        await ShareEquallyAsync(refund, "Ana", "Ben");

        Assert.True((await BalancesAsync()).IsSettled);
    }

    [ProviderTheory]
    public async Task SpendingPerMemberCountsSharesOfSharedExpensesAndThePayerOtherwise(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var shared = await family.AddAsync("Ana", 900);
        await ShareEquallyAsync(shared, "Ana", "Ben", "Olga");
        await family.AddAsync("Ben", 250);
        await family.AddAsync("Kim", 100, date: new DateOnly(2025, 1, 1));

        await using var scope = family.As("Ana");
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var totals = (await db.Transactions.TotalsAsync(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)))
            .ToDictionary(t => t.MemberId, t => t.SpendingMinor);

        Assert.Equal(new Dictionary<long, long> { [family.Id("Ana")] = 300, [family.Id("Olga")] = 300, [family.Id("Ben")] = 550 }, totals);
    }

    [ProviderTheory]
    public async Task ASplitThatDoesNotAddUpIsRefusedAndLeavesTheExpenseUnshared(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var dinner = await family.AddAsync("Ana", 1000);
        await using var scope = family.As("Ben");
        var service = scope.ServiceProvider.GetRequiredService<BalanceService>();

        var refusal = await Assert.ThrowsAsync<HouseholdValidationException>(() => service.ShareAsync(dinner, SplitMethod.Percentages,
            [new SplitPart(family.Id("Ana"), 60), new SplitPart(family.Id("Ben"), 30)]));

        Assert.Equal("The percentages add up to 90%, not 100%.", refusal.Message);
        Assert.False((await service.GetSharesAsync(dinner)).IsShared);
    }

    [ProviderTheory]
    public async Task SharingAnOutdatedVersionIsAConflict(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var dinner = await family.AddAsync("Ana", 1000);
        await using var scope = family.As("Ben");
        var service = scope.ServiceProvider.GetRequiredService<BalanceService>();
        var version = (await service.GetSharesAsync(dinner)).Version;
        var shared = await service.ShareAsync(dinner, SplitMethod.Equal, [new SplitPart(family.Id("Ana")), new SplitPart(family.Id("Ben"))], version);
        Assert.True(shared.Version > version);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            service.ShareAsync(dinner, SplitMethod.Equal, [new SplitPart(family.Id("Ben"))], version));
    }
}
