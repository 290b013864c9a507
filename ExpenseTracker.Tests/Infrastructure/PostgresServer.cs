using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ExpenseTracker.Web.Infrastructure;
using Npgsql;

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests' PostgreSQL cases run on: <c>ET_POSTGRES</c> (a connection string to a server where the
/// user may create databases, e.g. <c>Host=127.0.0.1;Port=55433;Username=postgres</c>). Unset, those cases skip with a
/// reason; with <c>ET_REQUIRE_POSTGRES=1</c> (CI) they fail instead. Each <see cref="TestApp"/> on PostgreSQL gets a fresh
/// database cloned from a template migrated once per build of the app, so a test starts on an empty, migrated database
/// in a fraction of a second.
/// </summary>
public static class PostgresServer
{
    public const string ConnectionVariable = "ET_POSTGRES";
    public const string RequireVariable = "ET_REQUIRE_POSTGRES";

    private const string TemplatePrefix = "et_template_";
    private const string TestDatabasePrefix = "et_t_";

    /// <summary>A template of another build is dropped once it is this old (a run using it has long finished).</summary>
    private static readonly TimeSpan StaleTemplateAge = TimeSpan.FromHours(2);

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? template;

    public static string? ConnectionString
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(ConnectionVariable);
            return string.IsNullOrWhiteSpace(configured) ? null : configured.Trim();
        }
    }

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true";

    /// <summary>Why the PostgreSQL cases cannot run here, or null when a server is configured.</summary>
    public static string? SkipReason => ConnectionString is null
        ? $"{ConnectionVariable} is not set: no PostgreSQL server for this test (e.g. {ConnectionVariable}=\"Host=127.0.0.1;Port=5432;Username=postgres\")."
        : null;

    /// <summary>
    /// Skips the running test when no server is configured, or fails it when <c>ET_REQUIRE_POSTGRES=1</c>. A configured
    /// server that does not answer fails the test when it first connects (the developer asked for PostgreSQL).
    /// </summary>
    public static void Require()
    {
        var reason = SkipReason;
        if (reason is null)
        {
            return;
        }

        if (Required)
        {
            throw new InvalidOperationException($"{RequireVariable}=1 but the PostgreSQL tests cannot run: {reason}");
        }

        Skip.If(true, reason);
    }

    /// <summary>A connection string to <paramref name="database"/> on the test server.</summary>
    public static string ConnectionStringFor(string database)
    {
        Require();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>Creates an empty, migrated database (a clone of this build's template) and returns its name.</summary>
    public static async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        Require();
        var source = await EnsureTemplateAsync(cancellationToken);
        var name = TestDatabasePrefix + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE {Quote(name)} TEMPLATE {Quote(source)}", cancellationToken);
        return name;
    }

    /// <summary>Drops a test database, closing whatever connections are still open on it.</summary>
    public static async Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionStringFor(name)));
        await ExecuteAsync($"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)", cancellationToken);
    }

    private static async Task<string> EnsureTemplateAsync(CancellationToken cancellationToken)
    {
        if (template is not null)
        {
            return template;
        }

        // Test classes run in parallel: one of them builds the template, the others wait for it.
        await TemplateGate.WaitAsync(cancellationToken);
        try
        {
            template ??= await BuildTemplateAsync(cancellationToken);
            return template;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>
    /// The template is named after this build of the app (its assembly's MVID changes with any change to it, migrations
    /// included), so a template left by an older build is never reused. Another test process on the same server (a
    /// second worktree, a parallel run) is kept out by an advisory lock while the template is built.
    /// </summary>
    private static async Task<string> BuildTemplateAsync(CancellationToken cancellationToken)
    {
        var name = TemplatePrefix + BuildHash();
        await using var admin = await OpenAdminAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('et-tests-template'))", admin))
        {
            lockCommand.CommandTimeout = 600;
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var existing = await ListDatabasesAsync(admin, TemplatePrefix, cancellationToken);
            await DropStaleTemplatesAsync(admin, existing, name, cancellationToken);
            if (existing.Any(d => d.Name == name))
            {
                return name;
            }

            // Built under another name and renamed when complete: a run that dies half-way leaves no broken template.
            var building = name + "_building";
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Quote(building)} WITH (FORCE)", cancellationToken);
            await ExecuteAsync(admin, $"CREATE DATABASE {Quote(building)}", cancellationToken);
            var buildingConnection = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = building }.ConnectionString;
            await MigrateAsync(buildingConnection);
            NpgsqlConnection.ClearPool(new NpgsqlConnection(buildingConnection));
            await ExecuteAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{building}' AND pid <> pg_backend_pid()", cancellationToken);
            await ExecuteAsync(admin, $"ALTER DATABASE {Quote(building)} RENAME TO {Quote(name)}", cancellationToken);
            var created = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            await ExecuteAsync(admin, $"COMMENT ON DATABASE {Quote(name)} IS 'et-tests template {created}'", cancellationToken);
            return name;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext('et-tests-template'))", admin);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Starts the app once on the database: it applies its PostgreSQL migrations at start-up, as in production.</summary>
    private static async Task MigrateAsync(string connectionString)
    {
        await using var app = TestApp.OnPostgresDatabase(connectionString);
        _ = app.Services;
    }

    private static async Task DropStaleTemplatesAsync(NpgsqlConnection admin, IReadOnlyList<(string Name, string? Comment)> existing, string current, CancellationToken cancellationToken)
    {
        foreach (var (name, comment) in existing)
        {
            if (name == current || name.EndsWith("_building", StringComparison.Ordinal))
            {
                continue;
            }

            var stamp = comment?.Split(' ').LastOrDefault();
            var stale = !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
                || DateTimeOffset.UtcNow - created > StaleTemplateAge;
            if (!stale)
            {
                continue;
            }

            try
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Quote(name)}", cancellationToken);
            }
            catch (PostgresException)
            {
                // Still being cloned by another run: left for a later one.
            }
        }
    }

    private static async Task<List<(string Name, string? Comment)>> ListDatabasesAsync(NpgsqlConnection admin, string prefix, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database WHERE starts_with(datname, @prefix)", admin);
        command.Parameters.AddWithValue("prefix", prefix);
        var found = new List<(string, string?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return found;
    }

    private static string BuildHash()
    {
        var mvid = typeof(DatabaseOptions).Assembly.ManifestModule.ModuleVersionId.ToString("N");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(mvid)))[..16];
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Database = "postgres",
            Pooling = false,
        }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException($"{ConnectionVariable} is set but the PostgreSQL server does not answer: {error.Message}", error);
        }

        return connection;
    }

    private static async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var admin = await OpenAdminAsync(cancellationToken);
        await ExecuteAsync(admin, sql, cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
