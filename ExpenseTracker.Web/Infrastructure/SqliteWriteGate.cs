using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>
/// One writer at a time, queued in this process, in arrival order. SQLite has one write lock per database: when many
/// requests begin a write transaction at once, all but one get SQLITE_BUSY and poll for the lock with growing sleeps
/// (1, 2, 5 … 100 ms), so the lock sits idle between a commit and the next poll and the slowest pollers starve until the
/// busy timeout fails them. Here a transaction waits on an async queue instead and starts the moment the previous one
/// ends. Other processes (commands, a second instance) still meet the busy timeout, as before.
/// </summary>
/// <remarks>
/// The gate is released when the transaction commits, rolls back or fails. A transaction disposed without either (an
/// exception between begin and commit) is noticed by a watchdog every 100 ms: the holder's SqliteTransaction has no
/// connection any more once it is completed or disposed, and the gate passes to the next waiter. A waiter that cannot get the gate
/// within <see cref="MaxWait"/> goes ahead without it and meets SQLite's busy timeout as it would without the gate.
/// </remarks>
public sealed class SqliteWriteGate : IDisposable
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Lock sync = new();
    private readonly Timer watchdog;
    private DbConnection? holderConnection;
    private DbTransaction? holderTransaction;
    private long holderSince;

    public SqliteWriteGate()
    {
        watchdog = new Timer(_ => ReleaseAbandoned(), null, Poll, Poll);
    }

    /// <summary>
    /// Waits for the gate on behalf of <paramref name="connection"/>; false when it went ahead without it. One wait per
    /// writer, so the queue stays in arrival order however long it is (a waiter that gave up and queued again every poll
    /// went to the back each time: under a stream of API writes some waited the whole <see cref="MaxWait"/>).
    /// </summary>
    public async ValueTask<bool> EnterAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!await gate.WaitAsync(MaxWait, cancellationToken))
        {
            return false;
        }

        SetHolder(connection);
        return true;
    }

    public bool Enter(DbConnection connection)
    {
        if (!gate.Wait(MaxWait))
        {
            return false;
        }

        SetHolder(connection);
        return true;
    }

    public void Dispose() => watchdog.Dispose();

    /// <summary>Releases the gate if <paramref name="connection"/> holds it for a single statement (no transaction).</summary>
    public void ExitStatement(DbConnection connection)
    {
        lock (sync)
        {
            if (!ReferenceEquals(holderConnection, connection) || holderTransaction is not null)
            {
                return;
            }

            holderConnection = null;
            gate.Release();
        }
    }

    /// <summary>Records the holder's transaction once it has begun.</summary>
    public void Began(DbConnection connection, DbTransaction transaction)
    {
        lock (sync)
        {
            if (ReferenceEquals(holderConnection, connection))
            {
                holderTransaction = transaction;
            }
        }
    }

    /// <summary>Releases the gate if <paramref name="transaction"/> holds it.</summary>
    public void Exit(DbTransaction transaction)
    {
        lock (sync)
        {
            if (!ReferenceEquals(holderTransaction, transaction))
            {
                return;
            }

            holderConnection = null;
            holderTransaction = null;
            gate.Release();
        }
    }

    private void SetHolder(DbConnection connection)
    {
        lock (sync)
        {
            holderConnection = connection;
            holderTransaction = null;
            holderSince = Environment.TickCount64;
        }
    }

    /// <summary>
    /// Checked every <see cref="Poll"/>: the holder's transaction ended without commit or rollback reaching us (disposed),
    /// or its begin failed (busy beyond SQLite's timeout, which ends without an event): the gate passes to the next waiter.
    /// </summary>
    internal void ReleaseAbandoned()
    {
        lock (sync)
        {
            var beginLost = holderConnection is not null && holderTransaction is null
                && Environment.TickCount64 - holderSince > 2 * MaxWait.TotalMilliseconds;
            if (holderTransaction is { Connection: null } || beginLost)
            {
                holderConnection = null;
                holderTransaction = null;
                gate.Release();
            }
        }
    }
}

/// <summary>Puts every EF transaction on a SQLite database through its <see cref="SqliteWriteGate"/>.</summary>
public sealed class SqliteWriteGateInterceptor(SqliteWriteGate gate) : DbTransactionInterceptor
{
    public override InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        gate.Enter(connection);
        return result;
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken = default)
    {
        await gate.EnterAsync(connection, cancellationToken);
        return result;
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        gate.Began(connection, result);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        gate.Began(connection, result);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => gate.Exit(transaction);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        gate.Exit(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => gate.Exit(transaction);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        gate.Exit(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => gate.Exit(transaction);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        gate.Exit(transaction);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Puts the writes that run outside a transaction (EF's ExecuteUpdate and ExecuteDelete, raw SQL) through the same
/// queue. Without it they met the queued transactions at SQLite's lock instead: a busy wait that sleeps a thread, inside
/// someone else's turn (the next holder's BEGIN IMMEDIATE waits out the sleep), and an overtake of everyone queued.
/// </summary>
public sealed class SqliteWriteGateCommandInterceptor(SqliteWriteGate gate) : DbCommandInterceptor
{
    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Enter(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(command, cancellationToken);
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Enter(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(command, cancellationToken);
        return result;
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Exit(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Exit(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Exit(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Exit(command);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Exit(command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(command);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Exit(command);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Exit(command);
        return Task.CompletedTask;
    }

    /// <summary>A statement that writes, on a connection with no transaction of its own (a transaction went through the gate at its begin).</summary>
    internal static bool NeedsGate(DbCommand command) =>
        command.Transaction is null && command.Connection is not null && IsWrite(command.CommandText);

    internal static bool IsWrite(string? sql)
    {
        var text = (sql ?? string.Empty).AsSpan();
        while (true)
        {
            text = text.TrimStart();
            if (!text.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var end = text.IndexOf('\n');
            text = end < 0 ? [] : text[(end + 1)..];
        }

        return text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }

    private void Enter(DbCommand command)
    {
        if (NeedsGate(command))
        {
            gate.Enter(command.Connection!);
        }
    }

    private async ValueTask EnterAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (NeedsGate(command))
        {
            await gate.EnterAsync(command.Connection!, cancellationToken);
        }
    }

    private void Exit(DbCommand command)
    {
        if (command.Transaction is null && command.Connection is { } connection)
        {
            gate.ExitStatement(connection);
        }
    }
}
