using ExpenseTracker.Tests.Infrastructure;
using Npgsql;

namespace ExpenseTracker.Tests.Integration.DatabaseTools;

/// <summary>
/// An empty, unmigrated PostgreSQL database of its own (<c>et_pgtools_…</c>) on the test server (<see cref="PostgresServer"/>),
/// dropped on dispose: what an operator creates before the first start or a migration. (TestApp's databases are clones
/// of a migrated template.)
/// </summary>
public sealed class PostgresScratch : IAsyncDisposable
{
    private readonly string server;

    private PostgresScratch(string server, string name)
    {
        this.server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostgresScratch> CreateAsync()
    {
        PostgresServer.Require();
        var server = PostgresServer.ConnectionString!;
        var scratch = new PostgresScratch(server, "et_pgtools_" + Guid.NewGuid().ToString("N")[..12]);
        await scratch.AdminAsync($"CREATE DATABASE \"{scratch.Name}\"");
        return scratch;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }
}
