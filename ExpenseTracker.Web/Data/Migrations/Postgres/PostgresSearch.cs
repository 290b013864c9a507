using Microsoft.EntityFrameworkCore.Migrations;

namespace ExpenseTracker.Web.Data.Migrations.Postgres;

/// <summary>
/// Full-text search on PostgreSQL, where SQLite has its FTS5 table: "TransactionSearch" holds each transaction's payee,
/// notes and tag names, and a generated tsvector of them (lower case, accents folded by the unaccent extension — trusted
/// since PostgreSQL 13, so the database's owner may create it) under a GIN index. Triggers keep it in step in the same
/// transaction as every write; inserts and deletes are statement triggers over transition tables, so a bulk import
/// fills it with one statement instead of one per row.
/// </summary>
internal static class PostgresSearch
{
    private const string TagsOf = """(SELECT string_agg(g."Name", ' ') FROM "TransactionTags" x JOIN "Tags" g ON g."Id" = x."TagId" WHERE x."TransactionId" = s.rowid)""";

    public static void Create(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS unaccent;");
        migrationBuilder.Sql("""
            CREATE OR REPLACE FUNCTION et_fold(value text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, coalesce(value, ''))) $$;
            """);
        migrationBuilder.Sql("""
            CREATE TABLE "TransactionSearch" (
                rowid bigint PRIMARY KEY,
                payee text,
                notes text,
                tags text,
                document tsvector GENERATED ALWAYS AS (to_tsvector('simple', et_fold(payee) || ' ' || et_fold(notes) || ' ' || et_fold(tags))) STORED
            );
            CREATE INDEX "IX_TransactionSearch_document" ON "TransactionSearch" USING gin (document);
            """);
        Trigger(migrationBuilder, "TransactionSearch_Insert", """AFTER INSERT ON "Transactions" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT""", """
            INSERT INTO "TransactionSearch" (rowid, payee, notes, tags)
            SELECT t."Id", p."Name", t."Notes", NULL FROM inserted t LEFT JOIN "Payees" p ON p."Id" = t."PayeeId";
            RETURN NULL;
            """);
        Trigger(migrationBuilder, "TransactionSearch_Update", """AFTER UPDATE OF "PayeeId", "Notes" ON "Transactions" FOR EACH ROW""", """
            UPDATE "TransactionSearch" SET payee = (SELECT "Name" FROM "Payees" WHERE "Id" = NEW."PayeeId"), notes = NEW."Notes"
            WHERE rowid = NEW."Id";
            RETURN NULL;
            """);
        Trigger(migrationBuilder, "TransactionSearch_Delete", """AFTER DELETE ON "Transactions" REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT""", """
            DELETE FROM "TransactionSearch" WHERE rowid IN (SELECT "Id" FROM deleted);
            RETURN NULL;
            """);
        Trigger(migrationBuilder, "TransactionSearch_PayeeRename", """AFTER UPDATE OF "Name" ON "Payees" FOR EACH ROW""", """
            UPDATE "TransactionSearch" SET payee = NEW."Name"
            WHERE rowid IN (SELECT "Id" FROM "Transactions" WHERE "HouseholdId" = NEW."HouseholdId" AND "PayeeId" = NEW."Id");
            RETURN NULL;
            """);
        Trigger(migrationBuilder, "TransactionSearch_TagAdded", """AFTER INSERT ON "TransactionTags" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT""", $"""
            UPDATE "TransactionSearch" s SET tags = {TagsOf} WHERE s.rowid IN (SELECT DISTINCT "TransactionId" FROM inserted);
            RETURN NULL;
            """);
        Trigger(migrationBuilder, "TransactionSearch_TagRemoved", """AFTER DELETE ON "TransactionTags" REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT""", $"""
            UPDATE "TransactionSearch" s SET tags = {TagsOf} WHERE s.rowid IN (SELECT DISTINCT "TransactionId" FROM deleted);
            RETURN NULL;
            """);
        Trigger(migrationBuilder, "TransactionSearch_TagRename", """AFTER UPDATE OF "Name" ON "Tags" FOR EACH ROW""", $"""
            UPDATE "TransactionSearch" s SET tags = {TagsOf}
            WHERE s.rowid IN (SELECT "TransactionId" FROM "TransactionTags" WHERE "TagId" = NEW."Id");
            RETURN NULL;
            """);
    }

    public static void Drop(MigrationBuilder migrationBuilder)
    {
        foreach (var (name, table) in Triggers)
        {
            migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{name}" ON "{table}"; DROP FUNCTION IF EXISTS "{name}"();""");
        }

        migrationBuilder.Sql("""DROP TABLE IF EXISTS "TransactionSearch"; DROP FUNCTION IF EXISTS et_fold(text);""");
    }

    private static readonly (string Name, string Table)[] Triggers =
    [
        ("TransactionSearch_Insert", "Transactions"), ("TransactionSearch_Update", "Transactions"), ("TransactionSearch_Delete", "Transactions"),
        ("TransactionSearch_PayeeRename", "Payees"), ("TransactionSearch_TagAdded", "TransactionTags"),
        ("TransactionSearch_TagRemoved", "TransactionTags"), ("TransactionSearch_TagRename", "Tags"),
    ];

    private static void Trigger(MigrationBuilder migrationBuilder, string name, string when, string body) =>
        migrationBuilder.Sql($"""
            CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
            {body}
            END $$;
            CREATE TRIGGER "{name}" {when} EXECUTE FUNCTION "{name}"();
            """);
}
