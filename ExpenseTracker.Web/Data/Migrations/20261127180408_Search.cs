using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExpenseTracker.Web.Data.Migrations
{
    /// <summary>
    /// Full-text search over payee, notes and tags: an FTS5 table (accents folded, prefix indexes for 2 and 3 characters)
    /// kept in step by triggers, so every writer (EF, the importer's prepared inserts, restore) updates it in its own
    /// transaction.
    /// </summary>
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "TransactionSearch" USING fts5(payee, notes, tags, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
                """);
            migrationBuilder.Sql("""
                INSERT INTO "TransactionSearch" (rowid, payee, notes, tags)
                SELECT t."Id", p."Name", t."Notes",
                       (SELECT group_concat(g."Name", ' ') FROM "TransactionTags" x JOIN "Tags" g ON g."Id" = x."TagId" WHERE x."TransactionId" = t."Id")
                FROM "Transactions" t LEFT JOIN "Payees" p ON p."Id" = t."PayeeId";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TransactionSearch_Insert" AFTER INSERT ON "Transactions" BEGIN
                    INSERT INTO "TransactionSearch" (rowid, payee, notes, tags)
                    VALUES (new."Id", (SELECT "Name" FROM "Payees" WHERE "Id" = new."PayeeId"), new."Notes", NULL);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TransactionSearch_Update" AFTER UPDATE OF "PayeeId", "Notes" ON "Transactions" BEGIN
                    UPDATE "TransactionSearch" SET payee = (SELECT "Name" FROM "Payees" WHERE "Id" = new."PayeeId"), notes = new."Notes"
                    WHERE rowid = new."Id";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TransactionSearch_Delete" AFTER DELETE ON "Transactions" BEGIN
                    DELETE FROM "TransactionSearch" WHERE rowid = old."Id";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TransactionSearch_PayeeRename" AFTER UPDATE OF "Name" ON "Payees" BEGIN
                    UPDATE "TransactionSearch" SET payee = new."Name"
                    WHERE rowid IN (SELECT "Id" FROM "Transactions" WHERE "HouseholdId" = new."HouseholdId" AND "PayeeId" = new."Id");
                END;
                """);
            const string tagsOf = """(SELECT group_concat(g."Name", ' ') FROM "TransactionTags" x JOIN "Tags" g ON g."Id" = x."TagId" WHERE x."TransactionId" = {0})""";
            migrationBuilder.Sql($"""
                CREATE TRIGGER "TransactionSearch_TagAdded" AFTER INSERT ON "TransactionTags" BEGIN
                    UPDATE "TransactionSearch" SET tags = {string.Format(System.Globalization.CultureInfo.InvariantCulture, tagsOf, "new.\"TransactionId\"")} WHERE rowid = new."TransactionId";
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "TransactionSearch_TagRemoved" AFTER DELETE ON "TransactionTags" BEGIN
                    UPDATE "TransactionSearch" SET tags = {string.Format(System.Globalization.CultureInfo.InvariantCulture, tagsOf, "old.\"TransactionId\"")} WHERE rowid = old."TransactionId";
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "TransactionSearch_TagRename" AFTER UPDATE OF "Name" ON "Tags" BEGIN
                    UPDATE "TransactionSearch" SET tags = {string.Format(System.Globalization.CultureInfo.InvariantCulture, tagsOf, "\"TransactionSearch\".rowid")}
                    WHERE rowid IN (SELECT "TransactionId" FROM "TransactionTags" WHERE "TagId" = new."Id");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "Insert", "Update", "Delete", "PayeeRename", "TagAdded", "TagRemoved", "TagRename" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"TransactionSearch_{trigger}\";");
            }

            migrationBuilder.Sql("DROP TABLE IF EXISTS \"TransactionSearch\";");
        }
    }
}
