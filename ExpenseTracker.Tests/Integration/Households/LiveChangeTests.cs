using System.Collections.Concurrent;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Households;

/// <summary>Sharing an expense is announced on the live channel to its household only.</summary>
public sealed class LiveChangeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [ProviderTheory]
    public async Task EveryoneInAHouseholdHearsOfASharedExpenseAndNobodyElseDoes(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var a = await Family.CreateAsync(app, "a.");
        var b = await Family.CreateAsync(app, "b.");
        var notifier = app.Services.GetRequiredService<HouseholdChangeNotifier>();
        var heardInB = new ConcurrentQueue<HouseholdChange>();
        var dinner = await a.AddAsync("Ana", 1000);
        var shared = new TaskCompletionSource<HouseholdChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listenA = notifier.Subscribe(a.HouseholdId, change =>
        {
            shared.TrySetResult(change);
            return Task.CompletedTask;
        });
        using var listenB = notifier.Subscribe(b.HouseholdId, change =>
        {
            heardInB.Enqueue(change);
            return Task.CompletedTask;
        });

        await using (var scope = a.As("Ben"))
        {
            await scope.ServiceProvider.GetRequiredService<BalanceService>()
                .ShareAsync(dinner, SplitMethod.Equal, [new SplitPart(a.Id("Ana")), new SplitPart(a.Id("Ben"))]);
        }

        var change = await shared.Task.WaitAsync(Generous);
        Assert.True(change.Kind.HasFlag(HouseholdChangeKind.Transactions));

        // B's own set-up (its members joining) may still be announced late, above all on a loaded machine: only A's share must not arrive.
        Assert.All(heardInB, c => Assert.Equal(b.HouseholdId, c.HouseholdId));
        Assert.DoesNotContain(heardInB, c => c.Kind.HasFlag(HouseholdChangeKind.Transactions));
    }
}
