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
    private readonly ConditionalWeakTable<DbContext, Dictionary<long, Pending>> pending = [];

    /// <summary>What one household's rows went through in this save: kinds, and the transaction dates touched.</summary>
    private sealed class Pending
    {
        public HouseholdChangeKind Kind { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public bool DatesUnknown { get; set; }

        public void AddDate(DateOnly date)
        {
            From = From is { } from && from < date ? from : date;
            To = To is { } to && to > date ? to : date;
        }

        public void Merge(Pending other)
        {
            Kind |= other.Kind;
            DatesUnknown |= other.DatesUnknown;
            if (other.From is { } from)
            {
                AddDate(from);
            }

            if (other.To is { } to)
            {
                AddDate(to);
            }
        }
    }

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
        Member or Invitation => HouseholdChangeKind.Members,
        PaymentAccount => HouseholdChangeKind.Accounts,
        _ => HouseholdChangeKind.None,
    };

    private void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        Dictionary<long, Pending>? changes = null;
        var entries = context.ChangeTracker.Entries<IHouseholdOwned>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        var savedTransactions = entries.Where(e => e.Entity is Transaction).Select(e => ((Transaction)e.Entity).Id).ToHashSet();
        foreach (var entry in entries)
        {
            var kind = KindOf(entry.Entity);
            if (kind == HouseholdChangeKind.None)
            {
                continue;
            }

            changes ??= [];
            var household = entry.Entity.HouseholdId;
            if (!changes.TryGetValue(household, out var change))
            {
                changes[household] = change = new Pending();
            }

            change.Kind |= kind;
            switch (entry.Entity)
            {
                case Transaction transaction:
                    change.AddDate(transaction.Date);
                    if (entry.State != EntityState.Added)
                    {
                        change.AddDate((DateOnly)entry.Property(nameof(Transaction.Date)).OriginalValue!);
                    }

                    break;
                case TransactionLine line when savedTransactions.Contains(line.TransactionId):
                case TransactionTag tag when savedTransactions.Contains(tag.TransactionId):
                case MemberShare share when savedTransactions.Contains(share.TransactionId):
                    break;
                default:
                    // A line, tag or share saved without its transaction: which dates it touches is not known here.
                    change.DatesUnknown |= kind == HouseholdChangeKind.Transactions;
                    break;
            }
        }

        if (changes is null)
        {
            return;
        }

        if (pending.TryGetValue(context, out var earlier))
        {
            // Several saves inside one database transaction: one announcement per household when it commits.
            foreach (var (householdId, change) in changes)
            {
                if (earlier.TryGetValue(householdId, out var before))
                {
                    before.Merge(change);
                }
                else
                {
                    earlier[householdId] = change;
                }
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
        foreach (var (householdId, change) in changes)
        {
            var known = !change.DatesUnknown && change.Kind.HasFlag(HouseholdChangeKind.Transactions);
            publisher.Publish(new HouseholdChange(householdId, change.Kind, at, known ? change.From : null, known ? change.To : null));
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
