using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExpenseTracker.Web.Data.Configurations;

internal sealed class BillConfiguration : IEntityTypeConfiguration<Bill>
{
    public void Configure(EntityTypeBuilder<Bill> builder)
    {
        builder.Property(b => b.Name).HasMaxLength(100);
        builder.Property(b => b.PayeeName).HasMaxLength(200);
        builder.Property(b => b.Currency).HasMaxLength(3);
        builder.HasOne<Household>().WithMany().HasForeignKey(b => b.HouseholdId);
        builder.HasOne(b => b.Payee).WithMany().HasForeignKey(b => b.PayeeId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(b => b.Category).WithMany().HasForeignKey(b => b.CategoryId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<PaymentAccount>().WithMany().HasForeignKey(b => b.AccountId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(b => b.Owner).WithMany().HasForeignKey(b => b.OwnerMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(b => new { b.HouseholdId, b.NextDue });
        // Paying advances NextDue: two concurrent payments (a double click, the auto-create job) cannot both record.
        builder.Property(b => b.NextDue).IsConcurrencyToken();

        // Transaction.BillId predates bills: the relationship is declared here so the bill feature owns it.
        builder.HasMany<Transaction>().WithOne().HasForeignKey(t => t.BillId).OnDelete(DeleteBehavior.SetNull);
    }
}
