using System.Diagnostics;
using System.Reflection;
using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace ExpenseTracker.Web.Features.DatabaseTools;

/// <summary>One table of the model: rows in the SQLite source and, after the copy, in the PostgreSQL target.</summary>
public sealed record TableCount(string Table, long Source, long Target, string? Note = null)
{
    public bool Matches => Source == Target;
}

/// <summary>A household's transactions and lines, counted and summed (AmountMinor), soft-deleted rows included.</summary>
public sealed record HouseholdTotals(long Transactions, long TransactionsMinor, long Lines, long LinesMinor);

public sealed record HouseholdCheck(long HouseholdId, HouseholdTotals Source, HouseholdTotals Target)
{
    public bool Matches => Source == Target;
}

public sealed record CopyReport(IReadOnlyList<TableCount> Tables, IReadOnlyList<HouseholdCheck> Households, int KeysImported, long RowsCopied, TimeSpan Elapsed)
{
    public bool Matches => Tables.All(t => t.Matches) && Households.All(h => h.Matches);
}

/// <summary>The target already holds rows: a migration only fills an empty database.</summary>
public sealed class TargetNotEmptyException(IReadOnlyList<string> tables)
    : Exception($"The PostgreSQL database already holds data (in {string.Join(", ", tables)}). Migrate into a new, empty database.")
{
    public IReadOnlyList<string> Tables { get; } = tables;
}

/// <summary>
/// Copies every table of the EF model from an SQLite database to a migrated, empty PostgreSQL database, ids kept, then
/// checks the copy. The mapping comes from the two providers' relational models of the same <see cref="AppDbContext"/>:
/// each value is read the way EF's SQLite provider reads it (its type mapping and converter: TEXT dates, INTEGER booleans,
/// enums), turned back into the model's CLR value, converted by the PostgreSQL mapping and written by Npgsql's binary COPY
/// with the column's store type — so nothing is tracked or materialised as entities and every row streams through once.
/// Order: parents before children by the model's foreign keys (one COPY per table, so a table's references to itself are
/// checked at the end of its own statement); no <c>session_replication_role</c>, which needs a superuser and would skip
/// the triggers that fill the full-text table. Everything runs in one PostgreSQL transaction that is committed only when
/// the checks match; the SQLite side is read in one read transaction (one consistent snapshot, even beside a running app).
/// </summary>
public sealed class SqliteToPostgresCopier(AppDbContext source, AppDbContext target)
{
    /// <summary>Kept by triggers on both providers (FTS5 on SQLite, a tsvector table on PostgreSQL): counted, never copied.</summary>
    public const string SearchTable = "TransactionSearch";

    private static readonly MethodInfo ReadMethod = typeof(SqliteToPostgresCopier).GetMethod(nameof(Read), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The read transaction on the source: Microsoft.Data.Sqlite wants it on every command of the connection.</summary>
    private SqliteTransaction? snapshot;

    /// <summary>The model's tables that hold data, parents first. Throws if the foreign keys form a cycle across tables.</summary>
    public IReadOnlyList<ITable> TablesInCopyOrder()
    {
        // Which tables migrations leave out is only kept in the design-time model, not the read-optimised one.
        var designTime = target.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>().Model.GetRelationalModel();
        var tables = target.Model.GetRelationalModel().Tables
            .Where(t => designTime.FindTable(t.Name, t.Schema) is { IsExcludedFromMigrations: false } && t.Name != SearchTable)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var ordered = new List<ITable>();
        var done = new HashSet<ITable>();
        while (ordered.Count < tables.Count)
        {
            var ready = tables.FirstOrDefault(t => !done.Contains(t)
                && t.ForeignKeyConstraints.All(fk => fk.PrincipalTable == t || done.Contains(fk.PrincipalTable) || !tables.Contains(fk.PrincipalTable)))
                ?? throw new InvalidOperationException("The model's foreign keys form a cycle between tables: "
                    + string.Join(", ", tables.Where(t => !done.Contains(t)).Select(t => t.Name)));
            ordered.Add(ready);
            done.Add(ready);
        }

        return ordered;
    }

    /// <summary>The tables of the target that already hold rows (Quartz's tables are not part of the model).</summary>
    public async Task<IReadOnlyList<string>> NonEmptyTargetTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var table in TablesInCopyOrder())
        {
            await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {Quote(table.Name)})", connection);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                found.Add(table.Name);
            }
        }

        return found;
    }

    /// <summary>
    /// The copy. <paramref name="keyFiles"/> are Data Protection key XML files (the data folder's keys/) that go into the
    /// DataProtectionKeys table, so cookies, tokens and encrypted secrets issued on SQLite stay readable. Throws
    /// <see cref="TargetNotEmptyException"/> before writing anything when the target holds rows.
    /// </summary>
    public async Task<CopyReport> CopyAsync(
        SqliteConnection sqlite, NpgsqlConnection postgres, IReadOnlyList<FileInfo> keyFiles, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var nonEmpty = await NonEmptyTargetTablesAsync(postgres, cancellationToken);
        if (nonEmpty.Count > 0)
        {
            throw new TargetNotEmptyException(nonEmpty);
        }

        var sourceTables = await SqliteTablesAsync(sqlite, cancellationToken);
        await using var read = sqlite.BeginTransaction(deferred: true);
        snapshot = read;
        await using var write = await postgres.BeginTransactionAsync(cancellationToken);
        var counts = new List<TableCount>();
        long copied = 0;
        foreach (var table in TablesInCopyOrder())
        {
            var rows = sourceTables.Contains(table.Name) ? await CopyTableAsync(table, sqlite, postgres, cancellationToken) : 0;
            copied += rows;
            await progress.WriteLineAsync($"  {table.Name}: {rows:N0} rows");
            counts.Add(new TableCount(table.Name, rows, await CountAsync(postgres, table.Name, cancellationToken)));
        }

        var keys = await ImportKeysAsync(postgres, keyFiles, counts, cancellationToken);
        if (sourceTables.Contains(SearchTable) && target.Model.GetRelationalModel().FindTable(SearchTable, null) is not null)
        {
            counts.Add(new TableCount(SearchTable, await CountAsync(sqlite, SearchTable, cancellationToken),
                await CountAsync(postgres, SearchTable, cancellationToken), "filled by triggers"));
        }

        await ResetIdentitiesAsync(postgres, cancellationToken);
        var households = await CheckTotalsAsync(sqlite, postgres, cancellationToken);
        var report = new CopyReport(counts, households, keys, copied, Stopwatch.GetElapsedTime(started));
        if (report.Matches)
        {
            await write.CommitAsync(cancellationToken);
        }
        else
        {
            await write.RollbackAsync(cancellationToken);
        }

        return report;
    }

    private async Task<long> CopyTableAsync(ITable table, SqliteConnection sqlite, NpgsqlConnection postgres, CancellationToken cancellationToken)
    {
        var sourceTable = source.Model.GetRelationalModel().FindTable(table.Name, table.Schema)
            ?? throw new InvalidOperationException($"The SQLite model has no table {table.Name}.");
        var columns = table.Columns
            .Where(c => c.ComputedColumnSql is null)
            .Select(c => ColumnCopy.For(c, sourceTable.FindColumn(c.Name)
                ?? throw new InvalidOperationException($"The SQLite model has no column {table.Name}.{c.Name}.")))
            .ToList();
        var key = table.PrimaryKey?.Columns.Select(c => Quote(c.Name)).ToList();
        await using var select = (SqliteCommand)Command(sqlite, $"SELECT {string.Join(", ", columns.Select(c => Quote(c.Name)))} FROM {Quote(table.Name)}"
            + (key is { Count: > 0 } ? $" ORDER BY {string.Join(", ", key)}" : string.Empty));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await using var importer = await postgres.BeginBinaryImportAsync(
            $"COPY {Quote(table.Name)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (await reader.IsDBNullAsync(i, cancellationToken))
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(columns[i].Convert(reader, i), columns[i].DataTypeName, cancellationToken);
                }
            }

            rows++;
        }

        await importer.CompleteAsync(cancellationToken);
        return rows;
    }

    /// <summary>How one column's value travels: SQLite provider value → model value → PostgreSQL provider value.</summary>
    private sealed record ColumnCopy(string Name, string DataTypeName, Func<SqliteDataReader, int, object> ReadSource,
        ValueConverter? FromSqlite, ValueConverter? ToPostgres, bool WithTimeZone)
    {
        public static ColumnCopy For(IColumn column, IColumn sourceColumn)
        {
            var sqliteMapping = sourceColumn.StoreTypeMapping;
            var providerType = sqliteMapping.Converter?.ProviderClrType ?? sqliteMapping.ClrType;
            providerType = Nullable.GetUnderlyingType(providerType) ?? providerType;
            var read = ReadMethod.MakeGenericMethod(providerType).CreateDelegate<Func<SqliteDataReader, int, object>>();
            var storeType = column.StoreType;
            // Npgsql names types without facets: "character varying(60)" is "character varying", "numeric(18,2)" "numeric".
            var name = System.Text.RegularExpressions.Regex.Replace(storeType, @"\(\d+(,\s*\d+)?\)", string.Empty).Trim();
            return new ColumnCopy(column.Name, name, read, sqliteMapping.Converter, column.StoreTypeMapping.Converter,
                name.Contains("with time zone", StringComparison.Ordinal));
        }

        public object Convert(SqliteDataReader reader, int ordinal)
        {
            var value = ReadSource(reader, ordinal);
            if (FromSqlite is not null)
            {
                value = FromSqlite.ConvertFromProvider(value)!;
            }

            if (ToPostgres is not null)
            {
                value = ToPostgres.ConvertToProvider(value)!;
            }

            // SQLite keeps times as TEXT without a zone; the app stores UTC, and timestamptz wants DateTimeKind.Utc.
            return value switch
            {
                DateTime { Kind: DateTimeKind.Local } local when WithTimeZone => local.ToUniversalTime(),
                DateTime time when WithTimeZone => DateTime.SpecifyKind(time, DateTimeKind.Utc),
                DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Unspecified),
                DateTimeOffset offset when WithTimeZone => offset.ToUniversalTime(),
                _ => value,
            };
        }
    }

    private static object Read<T>(SqliteDataReader reader, int ordinal) => reader.GetFieldValue<T>(ordinal)!;

    /// <summary>Key XML files not already in the table (by friendly name, as EF's key repository names them).</summary>
    private async Task<int> ImportKeysAsync(NpgsqlConnection postgres, IReadOnlyList<FileInfo> keyFiles, List<TableCount> counts, CancellationToken cancellationToken)
    {
        if (target.Model.FindEntityType(typeof(DataProtectionKey)) is not { } entity || entity.GetTableName() is not { } table)
        {
            return 0;
        }

        var storeObject = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var friendly = entity.FindProperty(nameof(DataProtectionKey.FriendlyName))!.GetColumnName(storeObject)!;
        var xml = entity.FindProperty(nameof(DataProtectionKey.Xml))!.GetColumnName(storeObject)!;
        var imported = 0;
        foreach (var file in keyFiles.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO {Quote(table)} ({Quote(friendly)}, {Quote(xml)}) SELECT @name, @xml " +
                $"WHERE NOT EXISTS (SELECT 1 FROM {Quote(table)} WHERE {Quote(friendly)} = @name)", postgres);
            insert.Parameters.AddWithValue("name", Path.GetFileNameWithoutExtension(file.Name));
            insert.Parameters.AddWithValue("xml", await File.ReadAllTextAsync(file.FullName, cancellationToken));
            imported += await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        var at = counts.FindIndex(c => c.Table == table);
        if (at >= 0)
        {
            counts[at] = counts[at] with
            {
                Source = counts[at].Source + imported,
                Target = await CountAsync(postgres, table, cancellationToken),
                Note = imported > 0 ? $"+{imported} from keys/" : null,
            };
        }

        return imported;
    }

    /// <summary>Every identity (or serial) column's sequence continues after the largest copied id.</summary>
    private static async Task ResetIdentitiesAsync(NpgsqlConnection postgres, CancellationToken cancellationToken)
    {
        var columns = new List<(string Table, string Column)>();
        await using (var find = new NpgsqlCommand("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')
            """, postgres))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (table, column) in columns)
        {
            await using var reset = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence(@table, @column), COALESCE(MAX({Quote(column)}), 0) + 1, false) FROM {Quote(table)}", postgres);
            reset.Parameters.AddWithValue("table", Quote(table));
            reset.Parameters.AddWithValue("column", column);
            await reset.ExecuteScalarAsync(cancellationToken);
        }
    }

    private async Task<IReadOnlyList<HouseholdCheck>> CheckTotalsAsync(SqliteConnection sqlite, NpgsqlConnection postgres, CancellationToken cancellationToken)
    {
        var sourceTotals = await TotalsAsync(sqlite, source, cancellationToken);
        var targetTotals = await TotalsAsync(postgres, target, cancellationToken);
        var empty = new HouseholdTotals(0, 0, 0, 0);
        return sourceTotals.Keys.Union(targetTotals.Keys).Order()
            .Select(id => new HouseholdCheck(id, sourceTotals.GetValueOrDefault(id, empty), targetTotals.GetValueOrDefault(id, empty)))
            .ToList();
    }

    private async Task<Dictionary<long, HouseholdTotals>> TotalsAsync(System.Data.Common.DbConnection connection, AppDbContext model, CancellationToken cancellationToken)
    {
        var transactions = await SumsAsync(connection, model, typeof(Transaction), cancellationToken);
        var lines = await SumsAsync(connection, model, typeof(TransactionLine), cancellationToken);
        return transactions.Keys.Union(lines.Keys).ToDictionary(id => id, id =>
        {
            var (t, tSum) = transactions.GetValueOrDefault(id);
            var (l, lSum) = lines.GetValueOrDefault(id);
            return new HouseholdTotals(t, tSum, l, lSum);
        });
    }

    private async Task<Dictionary<long, (long Count, long Sum)>> SumsAsync(
        System.Data.Common.DbConnection connection, AppDbContext model, Type clrType, CancellationToken cancellationToken)
    {
        var entity = model.Model.FindEntityType(clrType)!;
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var household = Quote(entity.FindProperty(nameof(Transaction.HouseholdId))!.GetColumnName(store)!);
        var amount = Quote(entity.FindProperty(nameof(Transaction.AmountMinor))!.GetColumnName(store)!);
        await using var command = Command(connection, $"SELECT {household}, COUNT(*), COALESCE(SUM({amount}), 0) FROM {Quote(store.Name)} GROUP BY {household}");
        var result = new Dictionary<long, (long, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetInt64(0)] = (reader.GetInt64(1), System.Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
        }

        return result;
    }

    private async Task<long> CountAsync(System.Data.Common.DbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT COUNT(*) FROM {Quote(table)}");
        return System.Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<HashSet<string>> SqliteTablesAsync(SqliteConnection sqlite, CancellationToken cancellationToken)
    {
        await using var command = Command(sqlite, "SELECT name FROM sqlite_master WHERE type = 'table'");
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private System.Data.Common.DbCommand Command(System.Data.Common.DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (connection is SqliteConnection)
        {
            command.Transaction = snapshot;
        }

        return command;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
