using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace ExpenseTracker.Web.Data;

/// <summary>
/// Writes one ChangeLog row per added, modified or deleted domain row, with before/after JSON of its scalar
/// properties, in the same database transaction as the change. Rows of modified and deleted entities are added to the
/// save itself; rows of added entities are written right after it (their keys exist only once inserted), and then the
/// interceptor holds the save in a transaction of its own when the caller has none, so the change and its log still
/// commit together, with one commit (one fsync) per save.
/// </summary>
public sealed class ChangeLogInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    private static readonly HashSet<Type> Logged =
    [
        typeof(Household), typeof(Member), typeof(PaymentAccount), typeof(Category), typeof(Payee), typeof(Tag),
        typeof(Transaction), typeof(TransactionLine), typeof(TransactionTag), typeof(MemberShare), typeof(Invitation), typeof(Budget), typeof(BudgetAmount), typeof(InstanceSetting),
    ];

    private readonly ConditionalWeakTable<DbContext, Pending> pending = [];

    /// <summary>A save whose added rows still need their log rows; <see cref="Owned"/>: the transaction opened for it.</summary>
    private sealed class Pending(List<EntityEntry> added, IDbContextTransaction? owned)
    {
        public List<EntityEntry> Added { get; } = added;
        public IDbContextTransaction? Owned { get; } = owned;
        public bool Writing { get; set; }
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (Start(eventData.Context) is { } db && AddEntries(db) is { Count: > 0 } added)
        {
            pending.AddOrUpdate(db, new Pending(added, db.Database.CurrentTransaction is null ? db.Database.BeginTransaction() : null));
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Start(eventData.Context) is { } db && AddEntries(db) is { Count: > 0 } added)
        {
            pending.AddOrUpdate(db, new Pending(added,
                db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null));
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (Take(eventData.Context) is { } work)
        {
            try
            {
                AddLogsOfAdded(work.Db, work.Pending);
                work.Db.SaveChanges();
                work.Pending.Owned?.Commit();
            }
            finally
            {
                End(work.Db, work.Pending);
            }
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { } work)
        {
            try
            {
                AddLogsOfAdded(work.Db, work.Pending);
                await work.Db.SaveChangesAsync(cancellationToken);
                if (work.Pending.Owned is { } owned)
                {
                    await owned.CommitAsync(cancellationToken);
                }
            }
            finally
            {
                End(work.Db, work.Pending);
            }
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Abandon(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandon(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Abandon(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandon(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>The context to log for, or null for other contexts and for the log rows' own save.</summary>
    private AppDbContext? Start(DbContext? context) =>
        context is AppDbContext db && !(pending.TryGetValue(db, out var running) && running.Writing) ? db : null;

    private (AppDbContext Db, Pending Pending)? Take(DbContext? context)
    {
        if (context is not AppDbContext db || !pending.TryGetValue(db, out var work) || work.Writing)
        {
            return null;
        }

        work.Writing = true;
        return (db, work);
    }

    private void End(AppDbContext db, Pending work)
    {
        pending.Remove(db);
        work.Owned?.Dispose(); // rolls back if the commit did not happen
    }

    private void Abandon(DbContext? context)
    {
        if (context is not null && pending.TryGetValue(context, out var work) && !work.Writing)
        {
            End((AppDbContext)context, work);
        }
    }

    /// <summary>Logs modified and deleted rows into this save; returns the added rows, logged once they have keys.</summary>
    private List<EntityEntry> AddEntries(AppDbContext db)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var added = new List<EntityEntry>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || !Logged.Contains(entry.Entity.GetType()))
            {
                continue;
            }

            if (entry.State == EntityState.Added)
            {
                added.Add(entry);
                continue;
            }

            db.ChangeLog.Add(new ChangeLogEntry
            {
                Entity = entry.Metadata.ClrType.Name,
                EntityId = KeyOf(entry),
                Action = ActionOf(entry),
                BeforeJson = Snapshot(entry, original: true),
                AfterJson = entry.State == EntityState.Deleted ? null : Snapshot(entry, original: false),
                HouseholdId = HouseholdOf(entry),
                UserId = db.Scope.UserId,
                At = now,
            });
        }

        return added;
    }

    private void AddLogsOfAdded(AppDbContext db, Pending work)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var entry in work.Added)
        {
            db.ChangeLog.Add(new ChangeLogEntry
            {
                Entity = entry.Metadata.ClrType.Name,
                EntityId = KeyOf(entry),
                Action = nameof(EntityState.Added),
                AfterJson = Snapshot(entry, original: false),
                HouseholdId = HouseholdOf(entry),
                UserId = db.Scope.UserId,
                At = now,
            });
        }
    }

    private static long? HouseholdOf(EntityEntry entry) => entry.Entity switch
    {
        IHouseholdOwned owned => owned.HouseholdId,
        Household household => household.Id,
        _ => null,
    };

    /// <summary>Bulk operations (ExecuteUpdate/ExecuteDelete) log one row per batch.</summary>
    public static void AddBulkEntry(AppDbContext db, TimeProvider time, string entity, string action, object details)
    {
        db.ChangeLog.Add(new ChangeLogEntry
        {
            Entity = entity,
            EntityId = "*",
            Action = "Bulk" + action,
            AfterJson = JsonSerializer.Serialize(details),
            HouseholdId = db.Scope.HouseholdId,
            UserId = db.Scope.UserId,
            At = time.GetUtcNow().UtcDateTime,
        });
    }

    private static string ActionOf(EntityEntry entry)
    {
        if (entry.State == EntityState.Modified && entry.Entity is Transaction)
        {
            var deletedAt = entry.Property(nameof(Transaction.DeletedAt));
            if (deletedAt.IsModified)
            {
                return deletedAt.CurrentValue is null ? "Restored" : "SoftDeleted";
            }
        }

        return entry.State.ToString();
    }

    private static string KeyOf(EntityEntry entry) =>
        string.Join(",", entry.Metadata.FindPrimaryKey()!.Properties
            .Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, CultureInfo.InvariantCulture)));

    private static string Snapshot(EntityEntry entry, bool original)
    {
        var values = new Dictionary<string, object?>();
        foreach (var property in entry.Properties)
        {
            if (property.Metadata.Name is nameof(Transaction.NotesKey))
            {
                continue;
            }

            values[property.Metadata.Name] = original ? property.OriginalValue : property.CurrentValue;
        }

        return JsonSerializer.Serialize(values);
    }
}
