using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExpenseTracker.Web.Data.Configurations;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.HasOne<Household>().WithMany().HasForeignKey(u => u.CurrentHouseholdId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class HouseholdConfiguration : IEntityTypeConfiguration<Household>
{
    public void Configure(EntityTypeBuilder<Household> builder)
    {
        builder.Property(h => h.Name).HasMaxLength(100);
        builder.Property(h => h.BaseCurrency).HasMaxLength(3);
        builder.Property(h => h.TimeZoneId).HasMaxLength(64);
        builder.Property(h => h.Culture).HasMaxLength(16);
    }
}

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> builder)
    {
        builder.Property(m => m.DisplayName).HasMaxLength(60);
        builder.Property(m => m.Color).HasMaxLength(9);
        builder.HasOne(m => m.Household).WithMany().HasForeignKey(m => m.HouseholdId);
        builder.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.HouseholdId, m.UserId });
        builder.HasIndex(m => m.UserId);
    }
}

internal sealed class PaymentAccountConfiguration : IEntityTypeConfiguration<PaymentAccount>
{
    public void Configure(EntityTypeBuilder<PaymentAccount> builder)
    {
        builder.ToTable("Accounts");
        builder.Property(a => a.Name).HasMaxLength(60);
        builder.Property(a => a.Currency).HasMaxLength(3);
        builder.Property(a => a.MaskedNumber).HasMaxLength(40);
        builder.HasOne<Household>().WithMany().HasForeignKey(a => a.HouseholdId);
        builder.HasIndex(a => new { a.HouseholdId, a.Name });
    }
}

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(60);
        builder.Property(c => c.Color).HasMaxLength(9);
        builder.Property(c => c.Icon).HasMaxLength(60);
        builder.HasOne<Household>().WithMany().HasForeignKey(c => c.HouseholdId);
        builder.HasIndex(c => new { c.HouseholdId, c.Name });
    }
}

internal sealed class PayeeConfiguration : IEntityTypeConfiguration<Payee>
{
    public void Configure(EntityTypeBuilder<Payee> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Key).HasMaxLength(200);
        builder.HasOne<Household>().WithMany().HasForeignKey(p => p.HouseholdId);
        builder.HasIndex(p => new { p.HouseholdId, p.Key }).IsUnique();
    }
}

internal sealed class TagConfiguration : IEntityTypeConfiguration<Tag>
{
    public void Configure(EntityTypeBuilder<Tag> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(40);
        builder.Property(t => t.Key).HasMaxLength(40);
        builder.HasOne<Household>().WithMany().HasForeignKey(t => t.HouseholdId);
        builder.HasIndex(t => new { t.HouseholdId, t.Key }).IsUnique();
    }
}

internal sealed class TransactionConfiguration : IEntityTypeConfiguration<Transaction>
{
    public void Configure(EntityTypeBuilder<Transaction> builder)
    {
        builder.Property(t => t.Currency).HasMaxLength(3);
        builder.Property(t => t.OriginalCurrency).HasMaxLength(3);
        builder.Property(t => t.Notes).HasMaxLength(1000);
        builder.Property(t => t.NotesKey).HasMaxLength(1000);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasOne<Household>().WithMany().HasForeignKey(t => t.HouseholdId);
        builder.HasOne(t => t.Payee).WithMany().HasForeignKey(t => t.PayeeId);
        builder.HasOne(t => t.Account).WithMany().HasForeignKey(t => t.AccountId);
        builder.HasOne(t => t.ToAccount).WithMany().HasForeignKey(t => t.ToAccountId);
        builder.HasOne(t => t.PaidBy).WithMany().HasForeignKey(t => t.PaidByMemberId);
        builder.HasOne<Member>().WithMany().HasForeignKey(t => t.CreatedByMemberId);
        builder.HasOne<Member>().WithMany().HasForeignKey(t => t.UpdatedByMemberId);
        builder.HasOne<Member>().WithMany().HasForeignKey(t => t.DeletedByMemberId);
        builder.HasMany(t => t.Lines).WithOne(l => l.Transaction!).HasForeignKey(l => l.TransactionId);
        builder.HasMany(t => t.Tags).WithOne(l => l.Transaction!).HasForeignKey(l => l.TransactionId);
        builder.HasMany(t => t.Shares).WithOne(s => s.Transaction!).HasForeignKey(s => s.TransactionId);
        builder.HasIndex(t => new { t.HouseholdId, t.Date });
        // Lets SQLite count and total a household's live transactions from the index alone (no table reads).
        builder.HasIndex(t => new { t.HouseholdId, t.Date, t.Kind, t.AmountMinor, t.PayeeId, t.PaidByMemberId })
            .HasDatabaseName("IX_Transactions_Live_Covering")
            .HasFilter("\"DeletedAt\" IS NULL");
        // The "private (n items)" line of every list, chart and export: a household's few private rows, without a scan.
        builder.HasIndex(t => new { t.HouseholdId, t.Date, t.Kind, t.AmountMinor, t.CreatedByMemberId })
            .HasDatabaseName("IX_Transactions_Private")
            .HasFilter("\"IsPrivate\" AND \"DeletedAt\" IS NULL");
        builder.HasIndex(t => new { t.HouseholdId, t.AccountId, t.Date });
        builder.HasIndex(t => new { t.HouseholdId, t.PayeeId });
        builder.HasOne<ImportBatch>().WithMany().HasForeignKey(t => t.ImportBatchId);
        builder.HasIndex(t => t.ImportBatchId);
    }
}

internal sealed class TransactionLineConfiguration : IEntityTypeConfiguration<TransactionLine>
{
    public void Configure(EntityTypeBuilder<TransactionLine> builder)
    {
        builder.Property(l => l.Note).HasMaxLength(200);
        builder.HasOne(l => l.Category).WithMany().HasForeignKey(l => l.CategoryId);
        // Category first: a query reaching a transaction's lines names the household too (the query filter), and an index
        // that started with HouseholdId let SQLite (no ANALYZE statistics) read every line of the household for each
        // transaction (migration HouseholdChildIndexes). No index on lines, tags or shares starts with HouseholdId.
        builder.HasIndex(l => new { l.CategoryId, l.HouseholdId });
        // Covering: sums by category reach lines through their transaction without reading the table.
        builder.HasIndex(l => new { l.TransactionId, l.CategoryId, l.AmountMinor });
    }
}

internal sealed class TransactionTagConfiguration : IEntityTypeConfiguration<TransactionTag>
{
    public void Configure(EntityTypeBuilder<TransactionTag> builder)
    {
        builder.HasKey(t => new { t.TransactionId, t.TagId });
        builder.HasOne(t => t.Tag).WithMany().HasForeignKey(t => t.TagId);
        builder.HasIndex(t => new { t.TagId, t.HouseholdId }); // tag first, as TransactionLine's category
    }
}

internal sealed class MemberShareConfiguration : IEntityTypeConfiguration<MemberShare>
{
    public void Configure(EntityTypeBuilder<MemberShare> builder)
    {
        builder.HasKey(s => new { s.TransactionId, s.MemberId });
        builder.HasOne(s => s.Member).WithMany().HasForeignKey(s => s.MemberId);
        builder.HasIndex(s => new { s.MemberId, s.HouseholdId }); // member first, as TransactionLine's category
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.TokenHash).HasMaxLength(128);
        builder.HasOne<Household>().WithMany().HasForeignKey(i => i.HouseholdId);
        builder.HasOne<Member>().WithMany().HasForeignKey(i => i.CreatedByMemberId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(i => i.AcceptedByUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => new { i.HouseholdId, i.Email });
    }
}

internal sealed class BudgetConfiguration : IEntityTypeConfiguration<Budget>
{
    public void Configure(EntityTypeBuilder<Budget> builder)
    {
        builder.HasOne<Household>().WithMany().HasForeignKey(b => b.HouseholdId);
        builder.HasOne(b => b.Category).WithMany().HasForeignKey(b => b.CategoryId);
        builder.HasOne(b => b.Member).WithMany().HasForeignKey(b => b.MemberId);
        builder.HasMany(b => b.Amounts).WithOne(a => a.Budget!).HasForeignKey(a => a.BudgetId);
        builder.HasIndex(b => new { b.HouseholdId, b.CategoryId, b.MemberId });
    }
}

internal sealed class BudgetAmountConfiguration : IEntityTypeConfiguration<BudgetAmount>
{
    public void Configure(EntityTypeBuilder<BudgetAmount> builder)
    {
        builder.HasIndex(a => new { a.BudgetId, a.Month, a.IsOverride }).IsUnique();
        builder.HasIndex(a => a.HouseholdId);
    }
}

internal sealed class ChangeLogEntryConfiguration : IEntityTypeConfiguration<ChangeLogEntry>
{
    public void Configure(EntityTypeBuilder<ChangeLogEntry> builder)
    {
        builder.Property(c => c.Entity).HasMaxLength(60);
        builder.Property(c => c.EntityId).HasMaxLength(60);
        builder.Property(c => c.Action).HasMaxLength(20);
        builder.HasIndex(c => new { c.HouseholdId, c.At });
        builder.HasIndex(c => new { c.Entity, c.EntityId });
        // The security audit log (Entity = "Security") is read newest first.
        builder.HasIndex(c => new { c.Entity, c.At });
    }
}

internal sealed class InstanceSettingConfiguration : IEntityTypeConfiguration<InstanceSetting>
{
    public void Configure(EntityTypeBuilder<InstanceSetting> builder)
    {
        builder.HasKey(s => s.Key);
        builder.Property(s => s.Key).HasMaxLength(100);
        builder.Property(s => s.Value).HasMaxLength(2000);
    }
}

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> builder)
    {
        builder.Property(b => b.FileName).HasMaxLength(260);
        builder.Property(b => b.Format).HasMaxLength(16);
        builder.Property(b => b.Currency).HasMaxLength(3);
        builder.HasOne<Household>().WithMany().HasForeignKey(b => b.HouseholdId);
        builder.HasOne(b => b.Account).WithMany().HasForeignKey(b => b.AccountId);
        builder.HasIndex(b => new { b.HouseholdId, b.CreatedAt });
        builder.HasOne<BankConnection>().WithMany().HasForeignKey(b => b.BankConnectionId);
        builder.HasIndex(b => b.BankConnectionId);
    }
}

internal sealed class ImportKeyConfiguration : IEntityTypeConfiguration<ImportKey>
{
    public void Configure(EntityTypeBuilder<ImportKey> builder)
    {
        builder.Property(k => k.Key).HasMaxLength(200);
        builder.HasOne<Household>().WithMany().HasForeignKey(k => k.HouseholdId);
        builder.HasOne<PaymentAccount>().WithMany().HasForeignKey(k => k.AccountId);
        builder.HasOne<ImportBatch>().WithMany().HasForeignKey(k => k.ImportBatchId);
        builder.HasIndex(k => new { k.HouseholdId, k.AccountId, k.Key }).IsUnique();
        builder.HasIndex(k => k.ImportBatchId);
    }
}

internal sealed class ImportProfileConfiguration : IEntityTypeConfiguration<ImportProfile>
{
    public void Configure(EntityTypeBuilder<ImportProfile> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(60);
        builder.Property(p => p.MappingJson).HasMaxLength(4000);
        builder.Property(p => p.Encoding).HasMaxLength(40);
        builder.Property(p => p.SheetName).HasMaxLength(100);
        builder.HasOne<Household>().WithMany().HasForeignKey(p => p.HouseholdId);
        builder.HasIndex(p => new { p.HouseholdId, p.Name }).IsUnique();
    }
}

internal sealed class CategoryRuleConfiguration : IEntityTypeConfiguration<CategoryRule>
{
    public void Configure(EntityTypeBuilder<CategoryRule> builder)
    {
        builder.Property(r => r.Pattern).HasMaxLength(200);
        builder.Property(r => r.RenamePayee).HasMaxLength(200);
        builder.Property(r => r.Tags).HasMaxLength(400);
        builder.HasOne<Household>().WithMany().HasForeignKey(r => r.HouseholdId);
        builder.HasOne(r => r.Category).WithMany().HasForeignKey(r => r.CategoryId);
        builder.HasIndex(r => new { r.HouseholdId, r.Order });
    }
}
