using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExpenseTracker.Web.Data;

/// <summary>
/// Writes one ChangeLog row per added, modified or deleted domain row, with before/after JSON of its scalar
/// properties. Rows are added in the same SaveChanges, so the log and the change commit together.
/// </summary>
public sealed class ChangeLogInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    private static readonly HashSet<Type> Logged =
    [
        typeof(Household), typeof(Member), typeof(PaymentAccount), typeof(Category), typeof(Payee), typeof(Tag),
        typeof(Transaction), typeof(TransactionLine), typeof(TransactionTag), typeof(MemberShare), typeof(Invitation), typeof(Budget), typeof(BudgetAmount), typeof(InstanceSetting),
    ];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        AddEntries(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        AddEntries(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void AddEntries(DbContext? context)
    {
        if (context is not AppDbContext db)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entries = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                        && Logged.Contains(e.Entity.GetType()))
            .ToList();
        var pending = new List<(EntityEntry Entry, ChangeLogEntry Log)>();
        foreach (var entry in entries)
        {
            var log = new ChangeLogEntry
            {
                Entity = entry.Metadata.ClrType.Name,
                EntityId = KeyOf(entry),
                Action = ActionOf(entry),
                BeforeJson = entry.State == EntityState.Added ? null : Snapshot(entry, original: true),
                AfterJson = entry.State == EntityState.Deleted ? null : Snapshot(entry, original: false),
                HouseholdId = entry.Entity switch
                {
                    IHouseholdOwned owned => owned.HouseholdId,
                    Household household => household.Id,
                    _ => null,
                },
                UserId = db.Scope.UserId,
                At = now,
            };
            db.ChangeLog.Add(log);
            if (entry.State == EntityState.Added)
            {
                pending.Add((entry, log));
            }
        }

        if (pending.Count > 0)
        {
            // Keys of added rows are known only after the insert: fill them in once the save succeeded.
            db.SavedChanges += OnSaved;

            void OnSaved(object? sender, SavedChangesEventArgs args)
            {
                db.SavedChanges -= OnSaved;
                foreach (var (entry, log) in pending)
                {
                    log.EntityId = KeyOf(entry);
                    log.AfterJson = Snapshot(entry, original: false);
                    if (entry.Entity is Household household)
                    {
                        log.HouseholdId = household.Id;
                    }
                }

                db.SaveChanges();
            }
        }
    }

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
