using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Demo;

/// <summary>
/// Inserts many generated transactions into the current household quickly: payees and tags are created once,
/// transactions go in batches through one context inside one database transaction, and the change log gets
/// one row per batch (as for every bulk operation) instead of one per row.
/// </summary>
public static class DemoDataWriter
{
    public const int BatchSize = 2_000;

    /// <summary>
    /// A context over the same database without the per-row change-log interceptor; it shares the caller's
    /// household scope, so the write checks still apply.
    /// </summary>
    public static AppDbContext CreateBulkContext(string connectionString, HouseholdScope scope) =>
        new(new DbContextOptionsBuilder<AppDbContext>()
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmaInterceptor())
            .Options, scope);

    /// <summary>A bulk context (see above) over the same database as <paramref name="source"/>, on SQLite or PostgreSQL.</summary>
    public static AppDbContext CreateBulkContext(AppDbContext source, HouseholdScope scope)
    {
        ArgumentNullException.ThrowIfNull(source);
        var connectionString = source.Database.GetConnectionString()
            ?? throw new InvalidOperationException("The context has no connection string to open a bulk context with.");
        if (!source.Database.IsNpgsql())
        {
            return CreateBulkContext(connectionString, scope);
        }

        var options = new DbContextOptionsBuilder<AppDbContext>();
        DataServiceCollectionExtensions.UsePostgres(options, connectionString);
        return new(options.Options, scope);
    }

    /// <summary>Validates and inserts the inputs; returns how many transactions were written.</summary>
    public static async Task<int> InsertAsync(
        AppDbContext db, IReadOnlyList<ExpenseInput> inputs, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var scope = db.Scope;
        scope.RequireHousehold();
        var household = await db.Households.AsNoTracking().SingleAsync(cancellationToken);
        foreach (var input in inputs)
        {
            var errors = ExpenseValidator.Validate(input, household.BaseCurrency);
            if (errors.Count > 0)
            {
                throw new ExpenseValidationException(errors);
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var payees = await EnsurePayeesAsync(db, inputs, time, cancellationToken);
        var tags = await EnsureTagsAsync(db, inputs, time, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var batch in inputs.Chunk(BatchSize))
            {
                foreach (var input in batch)
                {
                    var notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim();
                    var row = new Transaction
                    {
                        Kind = input.Kind,
                        AmountMinor = input.AmountMinor,
                        Currency = household.BaseCurrency,
                        Date = input.Date,
                        PayeeId = TextKey.Fold(input.Payee) is { Length: > 0 } key ? payees[key] : null,
                        Notes = notes,
                        NotesKey = notes is null ? null : TextKey.Fold(notes),
                        AccountId = input.AccountId,
                        ToAccountId = input.Kind == TransactionKind.Transfer ? input.ToAccountId : null,
                        PaidByMemberId = input.PaidByMemberId ?? scope.MemberId,
                        Source = input.Source,
                        CreatedAt = now,
                        CreatedByMemberId = scope.MemberId,
                        UpdatedAt = now,
                        UpdatedByMemberId = scope.MemberId,
                        Version = 1,
                    };
                    foreach (var line in input.Lines)
                    {
                        row.Lines.Add(new TransactionLine { CategoryId = line.CategoryId, AmountMinor = line.AmountMinor, Note = line.Note });
                    }

                    foreach (var tagKey in input.Tags.Select(TextKey.Fold).Distinct(StringComparer.Ordinal))
                    {
                        row.Tags.Add(new TransactionTag { TagId = tags[tagKey] });
                    }

                    db.Transactions.Add(row);
                }

                ChangeLogInterceptor.AddBulkEntry(db, time, nameof(Transaction), "Insert",
                    new { Count = batch.Length, From = batch.Min(b => b.Date), To = batch.Max(b => b.Date) });
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }

        await transaction.CommitAsync(cancellationToken);
        return inputs.Count;
    }

    private static async Task<Dictionary<string, long>> EnsurePayeesAsync(AppDbContext db, IReadOnlyList<ExpenseInput> inputs, TimeProvider time, CancellationToken cancellationToken)
    {
        var wanted = inputs.Where(i => !string.IsNullOrWhiteSpace(i.Payee))
            .Select(i => (Name: i.Payee!.Trim(), Key: TextKey.Fold(i.Payee)))
            .DistinctBy(p => p.Key)
            .ToList();
        var existing = await db.Payees.ToDictionaryAsync(p => p.Key, cancellationToken);
        foreach (var (name, key) in wanted.Where(w => !existing.ContainsKey(w.Key)))
        {
            var payee = new Payee { Name = name, Key = key };
            db.Payees.Add(payee);
            existing[key] = payee;
        }

        LogAdded<Payee>(db, time);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return existing.ToDictionary(p => p.Key, p => p.Value.Id, StringComparer.Ordinal);
    }

    private static async Task<Dictionary<string, long>> EnsureTagsAsync(AppDbContext db, IReadOnlyList<ExpenseInput> inputs, TimeProvider time, CancellationToken cancellationToken)
    {
        var wanted = inputs.SelectMany(i => i.Tags)
            .Where(t => !string.IsNullOrWhiteSpace(t))
            .Select(t => (Name: t.Trim(), Key: TextKey.Fold(t)))
            .DistinctBy(t => t.Key)
            .ToList();
        var existing = await db.Tags.ToDictionaryAsync(t => t.Key, cancellationToken);
        foreach (var (name, key) in wanted.Where(w => !existing.ContainsKey(w.Key)))
        {
            var tag = new Tag { Name = name, Key = key };
            db.Tags.Add(tag);
            existing[key] = tag;
        }

        LogAdded<Tag>(db, time);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return existing.ToDictionary(t => t.Key, t => t.Value.Id, StringComparer.Ordinal);
    }

    private static void LogAdded<T>(AppDbContext db, TimeProvider time)
        where T : class
    {
        var count = db.ChangeTracker.Entries<T>().Count(e => e.State == EntityState.Added);
        if (count > 0)
        {
            ChangeLogInterceptor.AddBulkEntry(db, time, typeof(T).Name, "Insert", new { Count = count });
        }
    }
}
