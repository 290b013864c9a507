using ExpenseTracker.Tests.Infrastructure;
using Npgsql;

namespace ExpenseTracker.Tests.Integration.Cluster;

/// <summary>
/// One fresh PostgreSQL database (on the server named by ET_POSTGRES) that several <see cref="TestApp"/>s share, as the app
/// instances of one install do. Skips when ET_POSTGRES is unset, unless ET_REQUIRE_POSTGRES=1 (then it fails).
/// </summary>
public sealed class SharedPostgres : IAsyncDisposable
{
    private readonly List<TestApp> instances = [];

    private SharedPostgres(string server, string name)
    {
        Server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Server { get; }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<SharedPostgres> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("ET_POSTGRES");
        var required = Environment.GetEnvironmentVariable("ET_REQUIRE_POSTGRES") == "1";
        if (string.IsNullOrWhiteSpace(server))
        {
            if (required)
            {
                throw new InvalidOperationException("ET_REQUIRE_POSTGRES=1 but ET_POSTGRES is not set.");
            }

            Skip.If(true, "ET_POSTGRES is not set: no PostgreSQL server to run the cluster tests against.");
        }

        var database = new SharedPostgres(server!, "et_pgcluster_" + Guid.NewGuid().ToString("N")[..12]);
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    /// <summary>Another app instance on this database (not yet started; With(...) more settings before using it).</summary>
    public TestApp Instance(bool jobs = false)
    {
        var app = new TestApp()
            .With("Database:Provider", "Postgres")
            .With("ConnectionStrings:Postgres", ConnectionString);
        if (jobs)
        {
            app.With("Jobs:Enabled", "true");
        }

        instances.Add(app);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in instances)
        {
            await app.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
