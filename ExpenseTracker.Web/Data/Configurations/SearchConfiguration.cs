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
    }

    /// <summary>
    /// SQLite: an FTS5 virtual table, matched through its table-named hidden column. PostgreSQL: a plain table with a
    /// tsvector of the same text (accents folded by unaccent), matched with @@ and served by a GIN index.
    /// </summary>
    public static void ForProvider(EntityTypeBuilder<TransactionSearchRow> builder, bool postgres)
    {
        if (postgres)
        {
            builder.Ignore(s => s.Match);
            builder.Property(s => s.Document).HasColumnName("document");
        }
        else
        {
            builder.Ignore(s => s.Document);
            builder.Property(s => s.Match).HasColumnName(Table);
        }
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
