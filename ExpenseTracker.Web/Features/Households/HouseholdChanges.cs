using System.Data.Common;
using System.Runtime.CompilerServices;
using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>What a save changed in one household: the names of the entity types written (e.g. Transaction, MemberShare).</summary>
public sealed record HouseholdChange(long HouseholdId, IReadOnlySet<string> Entities);

/// <summary>
/// The live-update channel: after every successful save, everyone subscribed to that household hears which kinds of
/// rows changed, and reloads through the services (which apply roles and privacy), so nothing private travels here.
/// Handlers run on the saving thread: a Blazor component wraps its work in InvokeAsync.
/// Bulk ExecuteUpdate/ExecuteDelete bypass SaveChanges and are not announced.
/// </summary>
public sealed class HouseholdChanges(ILogger<HouseholdChanges> logger)
{
    private readonly Lock gate = new();
    private readonly List<(long HouseholdId, Action<HouseholdChange> Handler)> subscribers = [];

    public IDisposable Subscribe(long householdId, Action<HouseholdChange> handler)
    {
        var entry = (householdId, handler);
        lock (gate)
        {
            subscribers.Add(entry);
        }

        return new Subscription(() =>
        {
            lock (gate)
            {
                subscribers.Remove(entry);
            }
        });
    }

    internal void Publish(HouseholdChange change)
    {
        List<Action<HouseholdChange>> handlers;
        lock (gate)
        {
            handlers = subscribers.Where(s => s.HouseholdId == change.HouseholdId).Select(s => s.Handler).ToList();
        }

        foreach (var handler in handlers)
        {
            try
            {
                handler(change);
            }
            catch (Exception ex)
            {
                // One broken listener (a closed circuit) must not fail the save that already committed.
                logger.LogWarning(ex, "A household change listener failed");
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref dispose, null)?.Invoke();
    }
}

/// <summary>
/// Notes which households a save touches and announces them on <see cref="HouseholdChanges"/> once it committed:
/// right after SaveChanges, or, inside an explicit transaction, when that transaction commits (listeners reload at
/// once and would otherwise read the state before the commit).
/// </summary>
public sealed class HouseholdChangeInterceptor(HouseholdChanges changes) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Dictionary<long, HashSet<string>>> pending = [];
    private readonly ConditionalWeakTable<DbContext, Dictionary<long, HashSet<string>>> afterCommit = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Announce(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Announce(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            pending.Remove(context);
        }
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var touched = new Dictionary<long, HashSet<string>>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            long? householdId = entry.Entity switch
            {
                IHouseholdOwned owned => owned.HouseholdId,
                Household household when household.Id > 0 => household.Id,
                _ => null,
            };
            if (householdId is { } id)
            {
                if (!touched.TryGetValue(id, out var entities))
                {
                    touched[id] = entities = new HashSet<string>(StringComparer.Ordinal);
                }

                entities.Add(entry.Metadata.ClrType.Name);
            }
        }

        if (touched.Count > 0)
        {
            pending.AddOrUpdate(context, touched);
        }
    }

    private void Announce(DbContext? context)
    {
        if (context is null || !pending.TryGetValue(context, out var touched))
        {
            return;
        }

        pending.Remove(context);
        if (context.Database.CurrentTransaction is not null)
        {
            var waiting = afterCommit.GetValue(context, _ => []);
            foreach (var (householdId, entities) in touched)
            {
                if (!waiting.TryGetValue(householdId, out var all))
                {
                    waiting[householdId] = all = new HashSet<string>(StringComparer.Ordinal);
                }

                all.UnionWith(entities);
            }

            return;
        }

        Publish(touched);
    }

    private void Publish(Dictionary<long, HashSet<string>> touched)
    {
        foreach (var (householdId, entities) in touched)
        {
            changes.Publish(new HouseholdChange(householdId, entities));
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && afterCommit.TryGetValue(context, out var touched))
        {
            afterCommit.Remove(context);
            Publish(touched);
        }
    }

    private void Discard(DbContext? context)
    {
        if (context is not null)
        {
            afterCommit.Remove(context);
        }
    }

    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData.Context);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Discard(eventData.Context);

    Task IDbTransactionInterceptor.TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }
}
