using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>Database errors recognised the same way on SQLite and PostgreSQL.</summary>
public static class DbErrors
{
    /// <summary>SQLite's extended result code SQLITE_CONSTRAINT_UNIQUE.</summary>
    private const int SqliteUniqueViolation = 2067;

    /// <summary>
    /// True when a save failed on a unique index, optionally only on the one of <paramref name="table"/> that ends with
    /// <paramref name="column"/> (SQLite names the columns in its message; PostgreSQL names the index, IX_Table_..._Column).
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException error, string? table = null, string? column = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        return IsUniqueViolation(error.InnerException, table, column);
    }

    /// <inheritdoc cref="IsUniqueViolation(DbUpdateException, string?, string?)"/>
    public static bool IsUniqueViolation(Exception? error, string? table = null, string? column = null) => error switch
    {
        SqliteException { SqliteExtendedErrorCode: SqliteUniqueViolation } sqlite =>
            table is null || sqlite.Message.Contains($"{table}.{column}", StringComparison.Ordinal),
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres =>
            table is null || (postgres.TableName == table
                              && (column is null || (postgres.ConstraintName?.EndsWith("_" + column, StringComparison.Ordinal) ?? false))),
        _ => false,
    };
}
