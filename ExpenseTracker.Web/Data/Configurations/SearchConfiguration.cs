using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExpenseTracker.Web.Data.Configurations;

internal sealed class TransactionSearchConfiguration : IEntityTypeConfiguration<TransactionSearchRow>
{
    public const string Table = "TransactionSearch";

    public void Configure(EntityTypeBuilder<TransactionSearchRow> builder)
    {
        // The virtual table and its triggers are SQL of the "Search" migration; EF only reads it.
        builder.ToTable(Table, t => t.ExcludeFromMigrations());
        builder.HasNoKey();
        builder.Property(s => s.RowId).HasColumnName("rowid");
        builder.Property(s => s.Payee).HasColumnName("payee");
        builder.Property(s => s.Notes).HasColumnName("notes");
        builder.Property(s => s.Tags).HasColumnName("tags");
        builder.Property(s => s.Match).HasColumnName(Table);
    }
}

internal sealed class SavedSearchConfiguration : IEntityTypeConfiguration<SavedSearch>
{
    public void Configure(EntityTypeBuilder<SavedSearch> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(60);
        builder.Property(s => s.Url).HasMaxLength(2000);
        builder.HasIndex(s => new { s.HouseholdId, s.MemberId });
        builder.HasOne<Household>().WithMany().HasForeignKey(s => s.HouseholdId);
        builder.HasOne<Member>().WithMany().HasForeignKey(s => s.MemberId);
    }
}
