using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Notifications;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExpenseTracker.Tests.Integration.Live;

/// <summary>Pages subscribe per household; saves announce themselves; one page's failure or departure affects no other.</summary>
public sealed class LiveUpdateTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private TestApp app = null!;
    private TestHousehold home = null!;
    private TestHousehold other = null!;

    private HouseholdChangeNotifier Notifier => app.Services.GetRequiredService<HouseholdChangeNotifier>();

    /// <summary>Two new households in the provider's shared app: no case hears another's changes.</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        app = await apps.ForAsync(provider);
        var prefix = Unique.Prefix();
        home = await TestHousehold.CreateAsync(app, prefix + "ana@example.com");
        other = await TestHousehold.CreateAsync(app, prefix + "bo@example.com");
    }

    /// <summary>Completes with the first change of <paramref name="kind"/> (household set-up announces other kinds, possibly late).</summary>
    private static (Func<HouseholdChange, Task> Handler, Task<HouseholdChange> Received) Listener(HouseholdChangeKind kind = HouseholdChangeKind.Transactions)
    {
        var received = new TaskCompletionSource<HouseholdChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        return (change =>
        {
            if (change.Kind.HasFlag(kind))
            {
                received.TrySetResult(change);
            }

            return Task.CompletedTask;
        }, received.Task);
    }

    [ProviderTheory]
    public async Task ASubscriberHearsAboutAnExpenseSavedInAnotherScope(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (handler, received) = Listener();
        using var subscription = Notifier.Subscribe(home.Id, handler);

        await home.AddExpenseAsync(home.Expense(12_34));

        var change = await received.WaitAsync(Generous);
        Assert.Equal(home.Id, change.HouseholdId);
        Assert.True(change.Kind.HasFlag(HouseholdChangeKind.Transactions));
        Assert.Equal(app.Time.GetUtcNow(), change.At);
    }

    [ProviderTheory]
    public async Task AnotherHouseholdsSubscriberHearsNothing(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (mine, myChange) = Listener();

        // The other household's own set-up (categories, accounts) may still be on its way: only home's expense must not arrive.
        var otherHeard = new System.Collections.Concurrent.ConcurrentQueue<HouseholdChange>();
        using var a = Notifier.Subscribe(home.Id, mine);
        using var b = Notifier.Subscribe(other.Id, change =>
        {
            otherHeard.Enqueue(change);
            return Task.CompletedTask;
        });

        await home.AddExpenseAsync(home.Expense(5_00));
        await myChange.WaitAsync(Generous);
        await Notifier.DeliverAsync(new HouseholdChange(home.Id, HouseholdChangeKind.Transactions, app.Time.GetUtcNow()));

        Assert.All(otherHeard, change => Assert.Equal(other.Id, change.HouseholdId));
        Assert.DoesNotContain(otherHeard, change => change.Kind.HasFlag(HouseholdChangeKind.Transactions));
    }

    [ProviderTheory]
    public async Task ADisposedSubscriptionIsNoLongerCalled(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var disposedCalls = 0;
        var subscription = Notifier.Subscribe(home.Id, change =>
        {
            if (change.Kind.HasFlag(HouseholdChangeKind.Transactions))
            {
                Interlocked.Increment(ref disposedCalls);
            }

            return Task.CompletedTask;
        });
        var (handler, received) = Listener();
        using var stays = Notifier.Subscribe(home.Id, handler);

        subscription.Dispose();
        await home.AddExpenseAsync(home.Expense(7_00));
        await received.WaitAsync(Generous);

        Assert.Equal(0, Volatile.Read(ref disposedCalls));
        Assert.Equal(1, Notifier.SubscriberCount(home.Id));
    }

    [ProviderTheory]
    public async Task AThrowingSubscriberDoesNotKeepTheChangeFromTheOthers(DatabaseProvider provider)
    {
        await StartAsync(provider);
        using var throws = Notifier.Subscribe(home.Id, _ => throw new InvalidOperationException("a broken page"));
        using var faults = Notifier.Subscribe(home.Id, _ => Task.FromException(new InvalidOperationException("a broken page")));
        var (handler, received) = Listener();
        using var works = Notifier.Subscribe(home.Id, handler);

        await home.AddExpenseAsync(home.Expense(9_00));

        Assert.Equal(home.Id, (await received.WaitAsync(Generous)).HouseholdId);
    }

    [ProviderTheory]
    public async Task ChangingABudgetAnnouncesABudgetChange(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (handler, received) = Listener(HouseholdChangeKind.Budgets);
        using var subscription = Notifier.Subscribe(home.Id, handler);

        await using (var scope = home.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<BudgetService>().SetOverallBudgetAsync(new BudgetMonth(2026, 11), 1_000_00);
        }

        Assert.Equal(HouseholdChangeKind.Budgets, (await received.WaitAsync(Generous)).Kind);
    }

    [Fact] // the notifier alone: no app, no database
    public async Task DeliveryWaitsForEverySubscriberAndNeverThrows()
    {
        var notifier = new HouseholdChangeNotifier(NullLogger<HouseholdChangeNotifier>.Instance);
        var calls = 0;
        using var a = notifier.Subscribe(1, _ => throw new InvalidOperationException("broken"));
        using var b = notifier.Subscribe(1, async _ =>
        {
            await Task.Yield();
            Interlocked.Increment(ref calls);
        });

        await notifier.DeliverAsync(new HouseholdChange(1, HouseholdChangeKind.Transactions, DateTimeOffset.UnixEpoch));

        Assert.Equal(1, calls);
    }
}
