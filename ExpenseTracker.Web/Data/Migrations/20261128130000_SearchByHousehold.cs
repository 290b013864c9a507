using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExpenseTracker.Web.Data.Migrations
{
    /// <summary>
    /// The full-text index learns each row's household: a fourth column, <c>household</c>, holds one token (<c>h</c> and the
    /// household id), and every search ANDs it with the words (<see cref="Features.Search.SearchFilter"/>). The index is
    /// shared by all households of the instance; without this a common word matched every household's rows, and each search
    /// had to sort them all out against the household's own (on a 1M-row instance, 54,205 matches of which 13,709 were the
    /// household's). The words themselves are kept to payee, notes and tags, so no word finds the household token. SQLite
    /// only: PostgreSQL's document has its own plan.
    /// </summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261128130000_SearchByHousehold")]
    public partial class SearchByHousehold : Migration
    {
        private const string TagsOf = """(SELECT group_concat(g."Name", ' ') FROM "TransactionTags" x JOIN "Tags" g ON g."Id" = x."TagId" WHERE x."TransactionId" = t."Id")""";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The other triggers name their columns (payee, notes, tags) and stay as they are.
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TransactionSearch_Insert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "TransactionSearch";""");
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "TransactionSearch" USING fts5(payee, notes, tags, household, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
                """);
            migrationBuilder.Sql($"""
                INSERT INTO "TransactionSearch" (rowid, payee, notes, tags, household)
                SELECT t."Id", p."Name", t."Notes", {TagsOf}, 'h' || t."HouseholdId"
                FROM "Transactions" t LEFT JOIN "Payees" p ON p."Id" = t."PayeeId";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TransactionSearch_Insert" AFTER INSERT ON "Transactions" BEGIN
                    INSERT INTO "TransactionSearch" (rowid, payee, notes, tags, household)
                    VALUES (new."Id", (SELECT "Name" FROM "Payees" WHERE "Id" = new."PayeeId"), new."Notes", NULL, 'h' || new."HouseholdId");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TransactionSearch_Insert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "TransactionSearch";""");
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "TransactionSearch" USING fts5(payee, notes, tags, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
                """);
            migrationBuilder.Sql($"""
                INSERT INTO "TransactionSearch" (rowid, payee, notes, tags)
                SELECT t."Id", p."Name", t."Notes", {TagsOf}
                FROM "Transactions" t LEFT JOIN "Payees" p ON p."Id" = t."PayeeId";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TransactionSearch_Insert" AFTER INSERT ON "Transactions" BEGIN
                    INSERT INTO "TransactionSearch" (rowid, payee, notes, tags)
                    VALUES (new."Id", (SELECT "Name" FROM "Payees" WHERE "Id" = new."PayeeId"), new."Notes", NULL);
                END;
                """);
        }
    }
}
