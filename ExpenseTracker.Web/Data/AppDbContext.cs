using System.Linq.Expressions;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ExpenseTracker.Web.Data;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options, HouseholdScope scope)
    : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public const string HouseholdFilter = "Household";
    public const string SoftDeleteFilter = "SoftDelete";

    public HouseholdScope Scope { get; } = scope;

    /// <summary>Read by the query filters on every query; -1 matches nothing, so no household means no rows.</summary>
    internal long CurrentHouseholdId => Scope.HouseholdId ?? -1;

    public DbSet<Household> Households => Set<Household>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<PaymentAccount> Accounts => Set<PaymentAccount>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Payee> Payees => Set<Payee>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<Transaction> Transactions => Set<Transaction>();
    public DbSet<TransactionLine> TransactionLines => Set<TransactionLine>();
    public DbSet<TransactionTag> TransactionTags => Set<TransactionTag>();
    public DbSet<MemberShare> MemberShares => Set<MemberShare>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Budget> Budgets => Set<Budget>();
    public DbSet<BudgetAmount> BudgetAmounts => Set<BudgetAmount>();
    public DbSet<ChangeLogEntry> ChangeLog => Set<ChangeLogEntry>();
    public DbSet<InstanceSetting> InstanceSettings => Set<InstanceSetting>();
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();
    public DbSet<ImportKey> ImportKeys => Set<ImportKey>();
    public DbSet<ImportProfile> ImportProfiles => Set<ImportProfile>();
    public DbSet<CategoryRule> CategoryRules => Set<CategoryRule>();
    public DbSet<Bill> Bills => Set<Bill>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();
    public DbSet<MemberNotificationSettings> MemberNotificationSettings => Set<MemberNotificationSettings>();
    public DbSet<PushSubscription> PushSubscriptions => Set<PushSubscription>();
    public DbSet<JobCheckpoint> JobCheckpoints => Set<JobCheckpoint>();
    public DbSet<TransactionSearchRow> TransactionSearch => Set<TransactionSearchRow>();
    public DbSet<SavedSearch> SavedSearches => Set<SavedSearch>();
    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();
    public DbSet<BankConnection> BankConnections => Set<BankConnection>();
    public DbSet<BankAccountLink> BankAccountLinks => Set<BankAccountLink>();
    public DbSet<Attachment> Attachments => Set<Attachment>();

    /// <summary>Data Protection's key ring when on PostgreSQL, so every app instance reads and writes the same keys.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        if (Database.IsNpgsql())
        {
            // Stored times are UTC. PostgreSQL keeps them as timestamptz, which Npgsql only writes from DateTimes of kind
            // Utc: values read back from SQLite, parsed or built by hand are Unspecified, and are UTC by this app's rule.
            configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        Configurations.TransactionSearchConfiguration.ForProvider(builder.Entity<TransactionSearchRow>(), Database.IsNpgsql());

        // Foreign keys never cascade into household data: deleting a user or a household is explicit code.
        foreach (var foreignKey in builder.Model.GetEntityTypes().SelectMany(e => e.GetForeignKeys()))
        {
            if (foreignKey.DeleteBehavior == DeleteBehavior.Cascade && !IsIdentityOwned(foreignKey.DeclaringEntityType.ClrType))
            {
                foreignKey.DeleteBehavior = DeleteBehavior.Restrict;
            }
        }

        ApplyHouseholdFilter<Member>(builder);
        ApplyHouseholdFilter<PaymentAccount>(builder);
        ApplyHouseholdFilter<Category>(builder);
        ApplyHouseholdFilter<Payee>(builder);
        ApplyHouseholdFilter<Tag>(builder);
        ApplyHouseholdFilter<TransactionLine>(builder);
        ApplyHouseholdFilter<TransactionTag>(builder);
        ApplyHouseholdFilter<MemberShare>(builder);
        ApplyHouseholdFilter<Invitation>(builder);
        ApplyHouseholdFilter<Budget>(builder);
        ApplyHouseholdFilter<BudgetAmount>(builder);
        ApplyHouseholdFilter<ImportBatch>(builder);
        ApplyHouseholdFilter<ImportKey>(builder);
        ApplyHouseholdFilter<ImportProfile>(builder);
        ApplyHouseholdFilter<CategoryRule>(builder);
        ApplyHouseholdFilter<Bill>(builder);
        ApplyHouseholdFilter<OutboxMessage>(builder);
        ApplyHouseholdFilter<Notification>(builder);
        ApplyHouseholdFilter<NotificationPreference>(builder);
        ApplyHouseholdFilter<MemberNotificationSettings>(builder);
        ApplyHouseholdFilter<PushSubscription>(builder);
        ApplyHouseholdFilter<SavedSearch>(builder);
        ApplyHouseholdFilter<PersonalAccessToken>(builder);
        ApplyHouseholdFilter<BankConnection>(builder);
        ApplyHouseholdFilter<BankAccountLink>(builder);
        ApplyHouseholdFilter<Attachment>(builder);
        builder.Entity<Household>().HasQueryFilter(HouseholdFilter, h => h.Id == CurrentHouseholdId);
        builder.Entity<Transaction>()
            .HasQueryFilter(HouseholdFilter, t => t.HouseholdId == CurrentHouseholdId)
            .HasQueryFilter(SoftDeleteFilter, t => t.DeletedAt == null);
    }

    private void ApplyHouseholdFilter<T>(ModelBuilder builder)
        where T : class, IHouseholdOwned
    {
        Expression<Func<T, bool>> filter = e => e.HouseholdId == CurrentHouseholdId;
        builder.Entity<T>().HasQueryFilter(HouseholdFilter, filter);
    }

    private static bool IsIdentityOwned(Type type) =>
        type.Namespace?.StartsWith("Microsoft.AspNetCore.Identity", StringComparison.Ordinal) == true;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        PrepareForSave();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        PrepareForSave();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Every write is checked against the current household, and transactions get their version bumped.</summary>
    private void PrepareForSave()
    {
        foreach (var entry in ChangeTracker.Entries<IHouseholdOwned>())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            var current = Scope.HouseholdId
                ?? throw new HouseholdAccessException("Writes need a current household.");
            if (entry.State == EntityState.Added && entry.Entity.HouseholdId == 0)
            {
                entry.Entity.HouseholdId = current;
            }

            var original = entry.State == EntityState.Added
                ? entry.Entity.HouseholdId
                : entry.Property(e => e.HouseholdId).OriginalValue;
            if (entry.Entity.HouseholdId != current || original != current)
            {
                throw new HouseholdAccessException("That belongs to another household.");
            }
        }

        foreach (var entry in ChangeTracker.Entries<Transaction>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version = entry.Property(t => t.Version).OriginalValue + 1;
            }
            else if (entry.State == EntityState.Added && entry.Entity.Version == 0)
            {
                entry.Entity.Version = 1;
            }
        }
    }
}

/// <summary>Writes every DateTime as UTC (an Unspecified kind is taken as UTC) and reads it back with kind Utc.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
