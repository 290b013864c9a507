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
