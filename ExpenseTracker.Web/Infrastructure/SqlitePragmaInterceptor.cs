using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>
/// Every SQLite connection waits for a busy writer instead of failing at once and enforces foreign keys. The pragmas
/// belong to the native connection, which Microsoft.Data.Sqlite pools: they run once per native connection, not on every
/// open (EF opens and closes the connection around each query).
/// </summary>
/// <param name="synchronous">
/// <c>Storage:Synchronous</c>: FULL (the default) syncs the write-ahead log to disk at every commit, so a saved expense
/// survives a power cut. NORMAL syncs it only at checkpoints: as safe against corruption and against the app crashing,
/// but the last commits before a power cut or kernel panic may be lost; it turns a write from a disk flush (milliseconds,
/// tens of them on a busy virtual disk) into a memory copy. Only FULL and NORMAL are accepted.
/// </param>
public sealed class SqlitePragmaInterceptor(string synchronous = SqlitePragmaInterceptor.Full) : DbConnectionInterceptor
{
    public const string Full = "FULL";
    public const string Normal = "NORMAL";
    public const string SynchronousKey = "Storage:Synchronous";

    private readonly string pragmas = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA synchronous=" + Checked(synchronous) + ";";
    // Static: the context options (and so this interceptor) are built per scope, the native connections outlive them.
    private static readonly ConditionalWeakTable<object, string> Configured = [];

    /// <summary>The interceptor for <see cref="SynchronousKey"/> of <paramref name="configuration"/>.</summary>
    public static SqlitePragmaInterceptor From(IConfiguration configuration) =>
        new(configuration[SynchronousKey] is { Length: > 0 } value ? value : Full);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>True the first time this native connection is seen with these pragmas (the pool hands the same handle out again).</summary>
    private bool IsNew(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle })
        {
            return true;
        }

        if (Configured.TryGetValue(handle, out var applied) && string.Equals(applied, pragmas, StringComparison.Ordinal))
        {
            return false;
        }

        Configured.AddOrUpdate(handle, pragmas);
        return true;
    }

    private static string Checked(string value) => value.Trim().ToUpperInvariant() switch
    {
        Full => Full,
        Normal => Normal,
        _ => throw new InvalidOperationException($"{SynchronousKey} must be FULL or NORMAL, not '{value}'."),
    };
}
