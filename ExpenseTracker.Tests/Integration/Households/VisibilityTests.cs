using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Households;

public sealed class VisibilityTests : IAsyncLifetime
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

    private async Task<List<long>> VisibleIdsAsync(string who)
    {
        await using var scope = family.As(who);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Transactions.VisibleTo(scope.ServiceProvider.GetRequiredService<HouseholdScope>()).Select(t => t.Id).OrderBy(id => id).ToListAsync();
    }

    [ProviderTheory]
    public async Task APrivateExpenseIsVisibleInDetailOnlyToItsAuthor(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var shared = await family.AddAsync("Ana", 1000);
        var secret = await family.AddAsync("Ben", 4200, isPrivate: true);

        Assert.Equal([shared, secret], await VisibleIdsAsync("Ben"));
        Assert.Equal([shared], await VisibleIdsAsync("Ana"));
        Assert.Equal([shared], await VisibleIdsAsync("Vic"));
    }

    [ProviderTheory]
    public async Task OthersSeePrivateExpensesAsOneLineSoListAndChartTotalsAgreeToTheCent(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await family.AddAsync("Ana", 1001);
        await family.AddAsync("Ben", 4200, isPrivate: true);
        await family.AddAsync("Ben", 99, isPrivate: true);
        await family.AddAsync("Ben", 50, isPrivate: true, kind: TransactionKind.Refund);

        await using var scope = family.As("Ana");
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var householdScope = scope.ServiceProvider.GetRequiredService<HouseholdScope>();
        var visibleSpending = await db.Transactions.VisibleTo(householdScope).SumAsync(t => t.Kind == TransactionKind.Refund ? -t.AmountMinor : t.AmountMinor);
        var hidden = await db.Transactions.SummarizeHiddenPrivateAsync(householdScope);
        var chartTotal = (await db.Transactions.TotalsAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31))).Sum(t => t.SpendingMinor);

        Assert.Equal("private (3 items)", hidden.Label);
        Assert.Equal(4249, hidden.SpendingMinor);
        Assert.Equal(chartTotal, visibleSpending + hidden.SpendingMinor);
        var byCategory = await db.Transactions.SummarizeHiddenPrivateAsync(householdScope, [family.GroceriesId]);
        Assert.Equal(4249, byCategory.SpendingMinor);
    }

    [ProviderTheory]
    public async Task AChildSeesOnlyWhatTheyPaidOrLoggedAndNoPrivateLine(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await family.AddAsync("Ana", 1000);
        var pocketMoney = await family.AddAsync("Kim", 300);
        var boughtForKim = await family.AddAsync("Ana", 2000, paidBy: "Kim");
        await family.AddAsync("Ben", 4200, isPrivate: true);

        Assert.Equal([pocketMoney, boughtForKim], await VisibleIdsAsync("Kim"));
        await using var scope = family.As("Kim");
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.True((await db.Transactions.SummarizeHiddenPrivateAsync(scope.ServiceProvider.GetRequiredService<HouseholdScope>())).IsEmpty);
    }

    [ProviderTheory]
    public async Task WithoutAMemberInTheScopePrivateExpensesStayHidden(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var open = await family.AddAsync("Ana", 1000);
        await family.AddAsync("Ben", 4200, isPrivate: true);

        await using var job = app.ScopeFor(family.HouseholdId, memberId: null);
        var db = job.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal([open], await db.Transactions.VisibleTo(job.ServiceProvider.GetRequiredService<HouseholdScope>()).Select(t => t.Id).ToListAsync());
    }

    [ProviderTheory]
    public async Task MembersMayEditWhatTheySeeChildrenOnlyTheirOwnAndViewersNothing(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var shared = await family.AddAsync("Ana", 1000);
        var kims = await family.AddAsync("Kim", 300);
        var secret = await family.AddAsync("Ben", 4200, isPrivate: true);

        async Task<List<long>> EditableAsync(string who)
        {
            await using var scope = family.As(who);
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            return await db.Transactions.EditableBy(scope.ServiceProvider.GetRequiredService<HouseholdScope>()).Select(t => t.Id).OrderBy(id => id).ToListAsync();
        }

        Assert.Equal([shared, kims], await EditableAsync("Ana"));
        Assert.Equal([shared, kims, secret], await EditableAsync("Ben"));
        Assert.Equal([kims], await EditableAsync("Kim"));
        Assert.Empty(await EditableAsync("Vic"));
    }
}
