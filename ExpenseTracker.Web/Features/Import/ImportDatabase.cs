using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace ExpenseTracker.Web.Features.Import;

/// <summary>
/// What the import writer says differently to SQLite and to PostgreSQL, on the context's own connection and transaction:
/// the bulk row statements (<see cref="JsonRowBatch"/> over <c>json_each</c> or <c>jsonb_array_elements</c>), how new
/// transaction ids are taken, and the payee and tag upserts. Everything else is the same SQL with <c>@name</c> parameters,
/// which both drivers accept.
/// </summary>
internal abstract class ImportDatabase(DbConnection connection, DbTransaction transaction)
{
    /// <summary>The rows of <c>Transactions</c>, in the order <see cref="ImportWriter"/> adds them.</summary>
    protected const string TransactionColumns = """
        "Id", "HouseholdId", "Kind", "AmountMinor", "Currency", "OriginalAmountMinor", "OriginalCurrency", "ExchangeRate",
        "Date", "PayeeId", "Notes", "NotesKey", "AccountId", "ToAccountId", "PaidByMemberId", "Source", "ImportBatchId",
        "CreatedAt", "CreatedByMemberId", "UpdatedAt", "UpdatedByMemberId", "Version", "IsPrivate"
        """;

    public static ImportDatabase For(DbConnection connection, DbTransaction transaction) => connection switch
    {
        SqliteConnection => new SqliteImportDatabase(connection, transaction),
        NpgsqlConnection => new PostgresImportDatabase(connection, transaction),
        _ => throw new NotSupportedException($"Imports do not support {connection.GetType().Name}."),
    };

    protected DbConnection Connection => connection;

    /// <summary>A command in the transaction with the named parameters (<c>@h</c>, ...) added as null.</summary>
    public DbCommand Command(string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }

        Prepare(command);
        return command;
    }

    /// <summary>SQLite compiles the statement once for every chunk; Npgsql sends each with its parameters' types.</summary>
    protected abstract void Prepare(DbCommand command);

    /// <summary>Rows: id, kind, amount, original amount, original currency, rate, date, payee, notes, notes key, account, to account, batch. Set @h, @currency, @member, @source, @now.</summary>
    public abstract JsonRowBatch TransactionRows(int chunkRows);

    /// <summary>Rows: transaction, category, amount, note. Set @h.</summary>
    public abstract JsonRowBatch LineRows();

    /// <summary>Rows: transaction, tag (a pair already there is left alone). Set @h.</summary>
    public abstract JsonRowBatch TagRows();

    /// <summary>Rows: account, key, batch, transaction. A key the account already has fails the statement (the unique index). Set @h.</summary>
    public abstract JsonRowBatch KeyRows(int chunkRows);

    /// <summary>Ids for <paramref name="count"/> new transactions, handed out in increasing order by the returned function.</summary>
    public abstract Task<Func<long>> TransactionIdsAsync(int count, CancellationToken cancellationToken);

    /// <summary>
    /// The id of each (name, key) in Payees or Tags (<paramref name="table"/>), added when the household has no such key.
    /// One statement per name: SQLite runs in the process, so a round trip costs next to nothing.
    /// </summary>
    public virtual async Task UpsertNamedAsync(string table, long householdId, IReadOnlyList<(string Name, string Key)> names, Dictionary<string, long> ids,
        CancellationToken cancellationToken)
    {
        using var insert = Command($"""
            INSERT INTO "{table}" ("HouseholdId", "Name", "Key") VALUES (@h, @n, @k)
            ON CONFLICT ("HouseholdId", "Key") DO UPDATE SET "Key" = excluded."Key" RETURNING "Id"
            """, "@h", "@n", "@k");
        insert.Parameters["@h"].Value = householdId;
        foreach (var (name, key) in names)
        {
            insert.Parameters["@n"].Value = name;
            insert.Parameters["@k"].Value = key;
            ids[key] = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
    }
}

/// <summary>SQLite: rows through <c>json_each</c>, ids after the largest the table ever gave (the transaction holds the write lock).</summary>
internal sealed class SqliteImportDatabase(DbConnection connection, DbTransaction transaction) : ImportDatabase(connection, transaction)
{
    protected override void Prepare(DbCommand command) => command.Prepare();

    public override JsonRowBatch TransactionRows(int chunkRows) => new(Command($"""
        INSERT INTO "Transactions" ({TransactionColumns})
        SELECT value->>0, @h, value->>1, value->>2, @currency, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9,
            value->>10, value->>11, @member, @source, value->>12, @now, @member, @now, @member, 1, 0
        FROM json_each(@rows)
        """, "@rows", "@h", "@currency", "@member", "@source", "@now"), chunkRows);

    public override JsonRowBatch LineRows() => new(Command("""
        INSERT INTO "TransactionLines" ("HouseholdId", "TransactionId", "CategoryId", "AmountMinor", "Note")
        SELECT @h, value->>0, value->>1, value->>2, value->>3 FROM json_each(@rows)
        """, "@rows", "@h"), int.MaxValue);

    public override JsonRowBatch TagRows() => new(Command("""
        INSERT OR IGNORE INTO "TransactionTags" ("HouseholdId", "TransactionId", "TagId") SELECT @h, value->>0, value->>1 FROM json_each(@rows)
        """, "@rows", "@h"), int.MaxValue);

    public override JsonRowBatch KeyRows(int chunkRows) => new(Command("""
        INSERT INTO "ImportKeys" ("HouseholdId", "AccountId", "Key", "ImportBatchId", "TransactionId")
        SELECT @h, value->>0, value->>1, value->>2, value->>3 FROM json_each(@rows)
        """, "@rows", "@h"), chunkRows);

    /// <summary>
    /// Ids are given, not taken from each INSERT: the transaction holds the write lock (BEGIN IMMEDIATE, and the batch row
    /// is already written), so no other writer can take these ids, and SQLite moves the AUTOINCREMENT on. The start is the
    /// larger of the AUTOINCREMENT counter and the largest id.
    /// </summary>
    public override async Task<Func<long>> TransactionIdsAsync(int count, CancellationToken cancellationToken)
    {
        using var command = Command("""
            SELECT max(coalesce((SELECT "seq" FROM "sqlite_sequence" WHERE "name" = 'Transactions'), 0), coalesce((SELECT max("Id") FROM "Transactions"), 0))
            """);
        var last = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return () => ++last;
    }
}

/// <summary>
/// PostgreSQL: rows through <c>jsonb_array_elements</c> with explicit casts, ids reserved from the identity's sequence
/// in one statement (other sessions may take ids meanwhile: the sequence never gives one twice), payees and tags upserted
/// in one statement each (a round trip per name would cost a network hop each).
/// </summary>
internal sealed class PostgresImportDatabase(DbConnection connection, DbTransaction transaction) : ImportDatabase(connection, transaction)
{
    /// <summary>Npgsql infers each parameter's type from its value at execution; a null of unknown type is cast in the SQL.</summary>
    protected override void Prepare(DbCommand command)
    {
    }

    private JsonRowBatch Rows(string sql, int chunkRows, params string[] parameters)
    {
        var command = Command(sql, ["@rows", .. parameters]);
        ((NpgsqlParameter)command.Parameters["@rows"]).NpgsqlDbType = NpgsqlDbType.Jsonb;
        return new JsonRowBatch(command, chunkRows);
    }

    public override JsonRowBatch TransactionRows(int chunkRows) => Rows($"""
        INSERT INTO "Transactions" ({TransactionColumns})
        SELECT (value->>0)::bigint, @h, (value->>1)::integer, (value->>2)::bigint, @currency, (value->>3)::bigint, value->>4, (value->>5)::numeric,
            (value->>6)::date, (value->>7)::bigint, value->>8, value->>9, (value->>10)::bigint, (value->>11)::bigint, @member::bigint, @source,
            (value->>12)::bigint, @now, @member::bigint, @now, @member::bigint, 1, false
        FROM jsonb_array_elements(@rows)
        """, chunkRows, "@h", "@currency", "@member", "@source", "@now");

    public override JsonRowBatch LineRows() => Rows("""
        INSERT INTO "TransactionLines" ("HouseholdId", "TransactionId", "CategoryId", "AmountMinor", "Note")
        SELECT @h, (value->>0)::bigint, (value->>1)::bigint, (value->>2)::bigint, value->>3 FROM jsonb_array_elements(@rows)
        """, int.MaxValue, "@h");

    public override JsonRowBatch TagRows() => Rows("""
        INSERT INTO "TransactionTags" ("HouseholdId", "TransactionId", "TagId")
        SELECT @h, (value->>0)::bigint, (value->>1)::bigint FROM jsonb_array_elements(@rows)
        ON CONFLICT DO NOTHING
        """, int.MaxValue, "@h");

    public override JsonRowBatch KeyRows(int chunkRows) => Rows("""
        INSERT INTO "ImportKeys" ("HouseholdId", "AccountId", "Key", "ImportBatchId", "TransactionId")
        SELECT @h, (value->>0)::bigint, value->>1, (value->>2)::bigint, (value->>3)::bigint FROM jsonb_array_elements(@rows)
        """, chunkRows, "@h");

    public override async Task<Func<long>> TransactionIdsAsync(int count, CancellationToken cancellationToken)
    {
        var ids = new List<long>(count);
        if (count > 0)
        {
            using var command = Command("""
                SELECT nextval(pg_get_serial_sequence('"Transactions"', 'Id')) FROM generate_series(1, @n)
                """, "@n");
            command.Parameters["@n"].Value = count;
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        ids.Sort();
        var next = 0;
        return () => next < ids.Count ? ids[next++] : throw new InvalidOperationException("More new transactions than ids reserved for them.");
    }

    public override async Task UpsertNamedAsync(string table, long householdId, IReadOnlyList<(string Name, string Key)> names, Dictionary<string, long> ids,
        CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return;
        }

        // The keys are distinct (the caller skips known ones), so ON CONFLICT never meets the same row twice.
        using var upsert = Command($"""
            INSERT INTO "{table}" ("HouseholdId", "Name", "Key")
            SELECT @h, n, k FROM unnest(@names, @keys) AS u(n, k)
            ON CONFLICT ("HouseholdId", "Key") DO UPDATE SET "Key" = excluded."Key" RETURNING "Key", "Id"
            """, "@h", "@names", "@keys");
        upsert.Parameters["@h"].Value = householdId;
        upsert.Parameters["@names"].Value = names.Select(n => n.Name).ToArray();
        upsert.Parameters["@keys"].Value = names.Select(n => n.Key).ToArray();
        using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids[reader.GetString(0)] = reader.GetInt64(1);
        }
    }
}
