using System.Collections.Concurrent;

namespace ExpenseTracker.Web.Features.Live;

/// <summary>What changed in a household; pages reload what they show from it.</summary>
[Flags]
public enum HouseholdChangeKind
{
    None = 0,
    Transactions = 1,
    Budgets = 2,
    Categories = 4,
    Members = 8,
    Accounts = 16,
    /// <summary>A member's in-app notifications (the bell) changed.</summary>
    Notifications = 32,

    /// <summary>Every kind: what may have changed when changes were missed (see <see cref="HouseholdChangeNotifier.DeliverMissedAsync"/>).</summary>
    Any = Transactions | Budgets | Categories | Members | Accounts | Notifications,
}

/// <summary>
/// A signal, not data: "something of these kinds changed in this household at this time". Subscribers re-read through
/// their own scoped, role-checked services, so the channel itself leaks nothing across roles or privacy.
/// </summary>
/// <param name="From">With <paramref name="To"/>: the range of transaction dates the change touched (both before and after an
/// edit); null when unknown (then assume any date).</param>
public sealed record HouseholdChange(long HouseholdId, HouseholdChangeKind Kind, DateTimeOffset At, DateOnly? From = null, DateOnly? To = null);

/// <summary>
/// Where writers announce changes. On SQLite the in-process <see cref="HouseholdChangeNotifier"/>; on PostgreSQL
/// <see cref="PostgresChangeBackplane"/>, which publishes in-process and also sends a NOTIFY, while its listener hands each
/// change received from another instance to <see cref="HouseholdChangeNotifier.DeliverFromOtherInstanceAsync"/>.
/// </summary>
public interface IHouseholdChangePublisher
{
    /// <summary>Never throws and never waits for subscribers: a save must not fail or stall because a page is slow.</summary>
    void Publish(HouseholdChange change);
}

/// <summary>
/// The in-process change channel (a singleton). Pages subscribe per household and dispose the subscription with the
/// component. Delivery runs off the publisher's thread; a subscriber that throws is logged and the others still get the
/// change.
/// </summary>
public sealed class HouseholdChangeNotifier(ILogger<HouseholdChangeNotifier> logger) : IHouseholdChangePublisher
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<Subscription, byte>> subscribers = new();

    /// <summary>Calls <paramref name="onChange"/> for every change of the household until the result is disposed.</summary>
    public IDisposable Subscribe(long householdId, Func<HouseholdChange, Task> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        var subscription = new Subscription(this, householdId, onChange);
        subscribers.GetOrAdd(householdId, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> for every change of every household until the result is disposed (background
    /// listeners such as budget alerts; pages use <see cref="Subscribe"/>).
    /// </summary>
    public IDisposable SubscribeAll(Func<HouseholdChange, Task> onChange) => Subscribe(AllHouseholds, onChange);

    private const long AllHouseholds = -1;

    /// <summary>How many subscriptions a household has (for tests and diagnostics).</summary>
    public int SubscriberCount(long householdId) =>
        subscribers.TryGetValue(householdId, out var set) ? set.Count : 0;

    private readonly List<Action<HouseholdChange>> invalidators = [];

    /// <summary>
    /// Registers a synchronous, non-throwing hook run on every change before any subscriber (caches of derived figures drop
    /// what the change made stale, so the pages' reloads read fresh numbers).
    /// </summary>
    public void AddInvalidator(Action<HouseholdChange> invalidate)
    {
        lock (invalidators)
        {
            invalidators.Add(invalidate);
        }
    }

    public void Publish(HouseholdChange change)
    {
        Invalidate(change);
        _ = Task.Run(() => DeliverToSubscribersAsync(change));
    }

    /// <summary>
    /// Hands a change to this instance: invalidators, then every subscriber of the household; completes when all are done and
    /// never throws. A backplane's listener calls this for changes published on other instances.
    /// </summary>
    public Task DeliverAsync(HouseholdChange change)
    {
        Invalidate(change);
        return DeliverToSubscribersAsync(change);
    }

    /// <summary>
    /// Hands a change published on another instance (PostgreSQL backplane) to this one: invalidators and the household's
    /// subscribers (pages), but not the <see cref="SubscribeAll"/> listeners — background work such as budget alerts already
    /// ran on the instance that saved the change, so it runs once in the cluster.
    /// </summary>
    public Task DeliverFromOtherInstanceAsync(HouseholdChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Invalidate(change);
        return DeliverToSubscribersAsync(change, includeAll: false);
    }

    /// <summary>
    /// The household id of a change that stands for every household: invalidators get it when changes may have been missed
    /// (<see cref="DeliverMissedAsync"/>) and drop everything they hold.
    /// </summary>
    public const long EveryHousehold = AllHouseholds;

    /// <summary>
    /// Changes made on other instances may have been missed (the backplane's listener was disconnected, and NOTIFYs sent
    /// meanwhile are gone): every invalidator drops what it holds, and every household with subscribers (pages) gets a change
    /// of every kind over all dates, so each page reloads what it shows. Background listeners do not: they ran on the
    /// instance that saved the change. Completes when all are done and never throws.
    /// </summary>
    public Task DeliverMissedAsync(DateTimeOffset at)
    {
        Invalidate(new HouseholdChange(EveryHousehold, HouseholdChangeKind.Any, at));
        var households = subscribers.Where(s => s.Key != AllHouseholds && !s.Value.IsEmpty).Select(s => s.Key).ToList();
        return Task.WhenAll(households.Select(h => DeliverToSubscribersAsync(new HouseholdChange(h, HouseholdChangeKind.Any, at), includeAll: false)));
    }

    private void Invalidate(HouseholdChange change)
    {
        Action<HouseholdChange>[] hooks;
        lock (invalidators)
        {
            hooks = [.. invalidators];
        }

        foreach (var hook in hooks)
        {
            hook(change);
        }
    }

    private async Task DeliverToSubscribersAsync(HouseholdChange change, bool includeAll = true)
    {
        var targets = new List<Subscription>();
        foreach (var key in includeAll ? (long[])[change.HouseholdId, AllHouseholds] : [change.HouseholdId])
        {
            if (subscribers.TryGetValue(key, out var set))
            {
                targets.AddRange(set.Keys);
            }
        }

        await Task.WhenAll(targets.Select(s => InvokeAsync(s, change)));
    }

    private async Task InvokeAsync(Subscription subscription, HouseholdChange change)
    {
        try
        {
            await subscription.OnChange(change);
        }
#pragma warning disable CA1031 // One page's failure must not keep the change from the others.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            logger.LogWarning(exception, "A subscriber of household {HouseholdId} failed on a {Kind} change.", change.HouseholdId, change.Kind);
        }
    }

    private void Remove(Subscription subscription)
    {
        if (subscribers.TryGetValue(subscription.HouseholdId, out var set))
        {
            set.TryRemove(subscription, out _);
        }
    }

    private sealed class Subscription(HouseholdChangeNotifier owner, long householdId, Func<HouseholdChange, Task> onChange) : IDisposable
    {
        public long HouseholdId { get; } = householdId;

        public Func<HouseholdChange, Task> OnChange { get; } = onChange;

        public void Dispose() => owner.Remove(this);
    }
}
