using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ExpenseTracker.Tests.Unit.Data;

/// <summary>The in-process queue in front of SQLite's one write lock (real SQLite connections and transactions).</summary>
public sealed class SqliteWriteGateTests : IDisposable
{
    private readonly SqliteWriteGate gate = new();
    private readonly List<SqliteConnection> connections = [];

    [Fact]
    public async Task WritersGetTheGateInArrivalOrderHoweverLongTheyWait()
    {
        var (_, holderTransaction) = await BeginAsync();
        var order = new List<string>();

        // B arrives first, C 60 ms later; both wait longer than one 100 ms poll. A waiter that gave up and queued again
        // every poll lost its place: C, queued again at 160 ms, went ahead of B, queued again at 210 ms.
        var b = WriteAsync("B", order);
        await Task.Delay(60);
        var c = WriteAsync("C", order);
        await Task.Delay(190);
        Assert.Empty(order);

        holderTransaction.Commit();
        gate.Exit(holderTransaction);
        await Task.WhenAll(b, c);
        Assert.Equal(["B", "C"], order);
    }

    [Fact]
    public async Task ATransactionDisposedWithoutCommitOrRollbackEventFreesTheGateForTheNextWriter()
    {
        var (_, abandoned) = await BeginAsync();
        var next = WriteAsync("next", []);
        await Task.Delay(50);
        Assert.False(next.IsCompleted);

        // Disposed without the interceptor hearing of it (an exception between begin and commit).
        abandoned.Dispose();
        var finished = await Task.WhenAny(next, Task.Delay(SqliteWriteGate.MaxWait / 2));
        Assert.Same(next, finished);
        Assert.True(await next, "The next writer held the gate (it did not go ahead without it).");
    }

    [Fact]
    public async Task AWriteOutsideATransactionWaitsItsTurnAndFreesTheGateWhenDone()
    {
        var interceptor = new SqliteWriteGateCommandInterceptor(gate);
        var (_, holderTransaction) = await BeginAsync();
        var connection = Open();
        using var update = connection.CreateCommand();
        update.CommandText = "-- tagged\n  UPDATE \"JobCheckpoints\" SET \"LastRunUtc\" = 1";
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT 1";

        Assert.True(SqliteWriteGateCommandInterceptor.NeedsGate(update));
        Assert.False(SqliteWriteGateCommandInterceptor.NeedsGate(select));
        var waiting = interceptor.NonQueryExecutingAsync(update, null!, default).AsTask();
        await Task.Delay(150);
        Assert.False(waiting.IsCompleted, "The statement went ahead of the transaction holding the gate.");

        holderTransaction.Commit();
        gate.Exit(holderTransaction);
        await waiting.WaitAsync(TimeSpan.FromSeconds(2));
        var next = WriteAsync("next", []);
        await Task.Delay(50);
        Assert.False(next.IsCompleted, "The statement's turn is not over until it has run.");

        await interceptor.NonQueryExecutedAsync(update, null!, 0);
        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData("UPDATE \"Outbox\" SET x = 1", true)]
    [InlineData("  insert into t values (1)", true)]
    [InlineData("-- a tag\n-- another\nDELETE FROM t", true)]
    [InlineData("REPLACE INTO t VALUES (1)", true)]
    [InlineData("SELECT COUNT(*) FROM t", false)]
    [InlineData("PRAGMA busy_timeout=5000", false)]
    [InlineData("WITH x AS (SELECT 1) SELECT * FROM x", false)]
    [InlineData("", false)]
    public void WritesAreToldFromReads(string sql, bool write) =>
        Assert.Equal(write, SqliteWriteGateCommandInterceptor.IsWrite(sql));

    private async Task<bool> WriteAsync(string name, List<string> order)
    {
        var connection = Open();
        var entered = await gate.EnterAsync(connection, CancellationToken.None);
        using var transaction = connection.BeginTransaction();
        gate.Began(connection, transaction);
        lock (order)
        {
            order.Add(name);
        }

        await Task.Delay(20);
        transaction.Commit();
        gate.Exit(transaction);
        return entered;
    }

    private async Task<(SqliteConnection Connection, SqliteTransaction Transaction)> BeginAsync()
    {
        var connection = Open();
        Assert.True(await gate.EnterAsync(connection, CancellationToken.None));
        var transaction = connection.BeginTransaction();
        gate.Began(connection, transaction);
        return (connection, transaction);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        connections.Add(connection);
        return connection;
    }

    public void Dispose()
    {
        gate.Dispose();
        foreach (var connection in connections)
        {
            connection.Dispose();
        }
    }
}
