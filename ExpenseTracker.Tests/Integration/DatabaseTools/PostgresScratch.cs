using Npgsql;

namespace ExpenseTracker.Tests.Integration.DatabaseTools;

/// <summary>
/// An empty PostgreSQL database of its own (<c>et_pgtools_…</c>) on the server of <c>ET_POSTGRES</c>, dropped on dispose.
/// <see cref="SkipUnlessAvailable"/>: skips with a reason without ET_POSTGRES, fails when ET_REQUIRE_POSTGRES=1.
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

    public static string? Server => Environment.GetEnvironmentVariable("ET_POSTGRES") is { Length: > 0 } s ? s : null;

    public static void SkipUnlessAvailable()
    {
        var required = Environment.GetEnvironmentVariable("ET_REQUIRE_POSTGRES") == "1";
        if (Server is null && required)
        {
            Assert.Fail("ET_REQUIRE_POSTGRES=1 but ET_POSTGRES (a PostgreSQL connection string) is not set.");
        }

        Skip.If(Server is null, "ET_POSTGRES is not set: no PostgreSQL server to test against.");
    }

    public static async Task<PostgresScratch> CreateAsync()
    {
        var server = Server ?? throw new InvalidOperationException("ET_POSTGRES is not set.");
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
