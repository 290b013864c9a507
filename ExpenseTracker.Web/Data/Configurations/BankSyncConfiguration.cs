using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExpenseTracker.Web.Data.Configurations;

internal sealed class BankConnectionConfiguration : IEntityTypeConfiguration<BankConnection>
{
    public void Configure(EntityTypeBuilder<BankConnection> builder)
    {
        builder.Property(c => c.Provider).HasMaxLength(32);
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.LastError).HasMaxLength(500);
        builder.HasOne<Household>().WithMany().HasForeignKey(c => c.HouseholdId);
        builder.HasIndex(c => c.HouseholdId);
        builder.HasIndex(c => new { c.Status, c.NextAttemptAt });
    }
}

internal sealed class BankAccountLinkConfiguration : IEntityTypeConfiguration<BankAccountLink>
{
    public void Configure(EntityTypeBuilder<BankAccountLink> builder)
    {
        builder.Property(l => l.ExternalId).HasMaxLength(200);
        builder.Property(l => l.ExternalName).HasMaxLength(200);
        builder.Property(l => l.Institution).HasMaxLength(200);
        builder.Property(l => l.Currency).HasMaxLength(3);
        builder.HasOne<Household>().WithMany().HasForeignKey(l => l.HouseholdId);
        builder.HasOne(l => l.Connection).WithMany().HasForeignKey(l => l.ConnectionId);
        builder.HasOne(l => l.Account).WithMany().HasForeignKey(l => l.AccountId);
        builder.HasIndex(l => new { l.ConnectionId, l.ExternalId }).IsUnique();
        builder.HasIndex(l => l.AccountId);
    }
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> builder)
    {
        builder.Property(a => a.FileName).HasMaxLength(260);
        builder.Property(a => a.ContentType).HasMaxLength(64);
        builder.Property(a => a.ThumbnailContentType).HasMaxLength(64);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.Property(a => a.StorageKey).HasMaxLength(200);
        builder.HasOne<Household>().WithMany().HasForeignKey(a => a.HouseholdId);
        builder.HasOne(a => a.Transaction).WithMany().HasForeignKey(a => a.TransactionId);
        builder.HasIndex(a => new { a.HouseholdId, a.TransactionId });
        builder.HasIndex(a => a.TransactionId);
    }
}
