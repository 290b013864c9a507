using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExpenseTracker.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// A phrase no longer spans two fields: the document of payee, notes and tags was one text, so "gift card" matched a
    /// payee ending in "gift" whose notes began with "card". Between the fields now goes a filler word that the document
    /// then drops (<c>ts_delete</c>), leaving a one-position gap that a phrase cannot cross, as FTS5's columns on SQLite.
    /// The generated column is recomputed for every row.
    /// </summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261128131000_SearchFieldGaps")]
    public partial class SearchFieldGaps : Migration
    {
        /// <summary>The filler between fields: letters and digits (punctuation is a word break), nothing anyone writes.</summary>
        public const string Gap = "x0etgap0x";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => Document(migrationBuilder,
            $"""ts_delete(to_tsvector('simple', et_fold(payee) || ' {Gap} ' || et_fold(notes) || ' {Gap} ' || et_fold(tags)), '{Gap}')""");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => Document(migrationBuilder,
            """to_tsvector('simple', et_fold(payee) || ' ' || et_fold(notes) || ' ' || et_fold(tags))""");

        private static void Document(MigrationBuilder migrationBuilder, string expression) =>
            migrationBuilder.Sql($"""
                DROP INDEX IF EXISTS "IX_TransactionSearch_document";
                ALTER TABLE "TransactionSearch" DROP COLUMN document;
                ALTER TABLE "TransactionSearch" ADD COLUMN document tsvector GENERATED ALWAYS AS ({expression}) STORED;
                CREATE INDEX "IX_TransactionSearch_document" ON "TransactionSearch" USING gin (document);
                """);
    }
}
