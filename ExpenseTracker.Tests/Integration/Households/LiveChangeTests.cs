using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Households;

public sealed class LiveChangeTests : IAsyncLifetime
{
    private readonly TestApp app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task EveryoneInAHouseholdHearsOfASharedExpenseAndNobodyElseDoes()
    {
        var a = await Family.CreateAsync(app, "a.");
        var b = await Family.CreateAsync(app, "b.");
        var changes = app.Services.GetRequiredService<HouseholdChanges>();
        var heardInA = new List<HouseholdChange>();
        var heardInB = new List<HouseholdChange>();
        using var listenA = changes.Subscribe(a.HouseholdId, heardInA.Add);
        using var listenB = changes.Subscribe(b.HouseholdId, heardInB.Add);

        var dinner = await a.AddAsync("Ana", 1000);
        await using (var scope = a.As("Ben"))
        {
            await scope.ServiceProvider.GetRequiredService<BalanceService>()
                .ShareAsync(dinner, SplitMethod.Equal, [new SplitPart(a.Id("Ana")), new SplitPart(a.Id("Ben"))]);
        }

        Assert.Contains(heardInA, c => c.Entities.Contains(nameof(Transaction)));
        Assert.Contains(heardInA, c => c.Entities.Contains(nameof(MemberShare)));
        Assert.Empty(heardInB);
    }

    [Fact]
    public async Task AfterUnsubscribingNothingMoreIsHeard()
    {
        var a = await Family.CreateAsync(app);
        var heard = 0;
        var subscription = app.Services.GetRequiredService<HouseholdChanges>().Subscribe(a.HouseholdId, _ => heard++);
        await a.AddAsync("Ana", 100);
        var before = heard;

        subscription.Dispose();
        await a.AddAsync("Ana", 200);

        Assert.True(before > 0);
        Assert.Equal(before, heard);
    }
}
