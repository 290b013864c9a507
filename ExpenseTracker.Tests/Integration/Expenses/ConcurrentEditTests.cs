using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Expenses;

public sealed class ConcurrentEditTests : IAsyncLifetime
{
    private TestApp app = null!;
    private TestHousehold home = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        home = await TestHousehold.CreateAsync(app, "ana@example.com");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    [ProviderTheory]
    public async Task WhenTwoPeopleEditTheSameExpenseTheFirstSaveWinsAndTheSecondIsToldOfTheConflict(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var sam = await home.AddMemberAsync("Sam");
        var id = await home.AddExpenseAsync(home.Expense(1_000, payee: "Bakery"));

        await using var anaScope = home.Scope();
        await using var samScope = home.Scope(memberId: sam);
        var ana = anaScope.ServiceProvider.GetRequiredService<ExpenseService>();
        var samService = samScope.ServiceProvider.GetRequiredService<ExpenseService>();
        var anaOpened = await ana.GetAsync(id);
        var samOpened = await samService.GetAsync(id);
        Assert.Equal((1L, 1L), (anaOpened.Version, samOpened.Version));

        await ana.UpdateAsync(id, anaOpened.Version, anaOpened.ToInput() with { Payee = "Ana's bakery" });
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            samService.UpdateAsync(id, samOpened.Version, samOpened.ToInput() with { Payee = "Sam's bakery" }));

        Assert.Contains("Someone else changed this expense", conflict.Message, StringComparison.Ordinal);
        var now = await ana.GetAsync(id);
        Assert.Equal(("Ana's bakery", 2L), (now.Payee!, now.Version));

        // Reloading and editing again works.
        await samService.UpdateAsync(id, now.Version, now.ToInput() with { Payee = "Sam's bakery" });
        Assert.Equal(("Sam's bakery", 3L), ((await ana.GetAsync(id)).Payee!, (await ana.GetAsync(id)).Version));
    }

    [ProviderTheory]
    public async Task TheVersionTokenStopsASaveThatRacedPastTheCheck(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await home.AddExpenseAsync(home.Expense(1_000));
        await using var scope = home.Scope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var first = await factory.CreateDbContextAsync();
        await using var second = await factory.CreateDbContextAsync();
        var firstCopy = await first.Transactions.SingleAsync(t => t.Id == id);
        var secondCopy = await second.Transactions.SingleAsync(t => t.Id == id);

        firstCopy.AmountMinor = 2_000;
        await first.SaveChangesAsync();
        secondCopy.AmountMinor = 3_000;

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = await factory.CreateDbContextAsync();
        var stored = await check.Transactions.AsNoTracking().SingleAsync(t => t.Id == id);
        Assert.Equal((2_000L, 2L), (stored.AmountMinor, stored.Version));
    }
}
