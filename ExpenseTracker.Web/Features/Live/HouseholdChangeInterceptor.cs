using System.Runtime.CompilerServices;
using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExpenseTracker.Web.Features.Live;

/// <summary>
/// Announces a household change after every successful SaveChanges that added, changed or deleted its transactions,
/// lines, shares, tags, budgets or categories. What changed is noted while saving (afterwards the change tracker no longer
/// says) and published only once the save succeeded. Bulk ExecuteUpdate/ExecuteDelete bypass this: call
/// <see cref="IHouseholdChangePublisher.Publish"/> after them. Inside an explicit database transaction the change is
/// published when it commits (before that, other connections would still read the old rows), and dropped on rollback.
/// </summary>
public sealed class HouseholdChangeInterceptor(IHouseholdChangePublisher publisher, TimeProvider time) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Dictionary<long, HouseholdChangeKind>> pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Publish(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Publish(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        Publish(eventData.Context, committed: true);

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Publish(eventData.Context, committed: true);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        Forget(eventData.Context);

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>The kind of change a row stands for, or None for rows pages do not show.</summary>
    public static HouseholdChangeKind KindOf(object entity) => entity switch
    {
        Transaction or TransactionLine or TransactionTag or MemberShare => HouseholdChangeKind.Transactions,
        Budget or BudgetAmount => HouseholdChangeKind.Budgets,
        Category => HouseholdChangeKind.Categories,
        Member => HouseholdChangeKind.Members,
        PaymentAccount => HouseholdChangeKind.Accounts,
        _ => HouseholdChangeKind.None,
    };

    private void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        Dictionary<long, HouseholdChangeKind>? changes = null;
        foreach (var entry in context.ChangeTracker.Entries<IHouseholdOwned>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            var kind = KindOf(entry.Entity);
            if (kind != HouseholdChangeKind.None)
            {
                changes ??= [];
                changes[entry.Entity.HouseholdId] = changes.GetValueOrDefault(entry.Entity.HouseholdId) | kind;
            }
        }

        if (changes is null)
        {
            return;
        }

        if (pending.TryGetValue(context, out var earlier))
        {
            // Several saves inside one database transaction: one announcement per household when it commits.
            foreach (var (householdId, kind) in changes)
            {
                earlier[householdId] = earlier.GetValueOrDefault(householdId) | kind;
            }
        }
        else
        {
            pending.AddOrUpdate(context, changes);
        }
    }

    private void Publish(DbContext? context, bool committed = false)
    {
        // EF still reports the transaction as current while its commit is being announced.
        if (context is null || (!committed && context.Database.CurrentTransaction is not null) || !pending.TryGetValue(context, out var changes))
        {
            return;
        }

        pending.Remove(context);
        var at = time.GetUtcNow();
        foreach (var (householdId, kind) in changes)
        {
            publisher.Publish(new HouseholdChange(householdId, kind, at));
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            pending.Remove(context);
        }
    }
}
