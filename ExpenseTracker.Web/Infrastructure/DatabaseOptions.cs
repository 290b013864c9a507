using Npgsql;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>The database engine an instance runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file in the data folder, no setup.</summary>
    Sqlite,

    /// <summary>For larger installs and several app instances behind a proxy.</summary>
    Postgres,
}

/// <summary>
/// <c>Database:Provider</c> (Sqlite | Postgres) and, on PostgreSQL, <c>ConnectionStrings:Postgres</c>. The password may be
/// left out of the connection string and given in the environment instead: <c>Database__PostgresPassword</c> (or libpq's
/// <c>PGPASSWORD</c>, which Npgsql reads itself).
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>The full PostgreSQL connection string (password merged in), or null on SQLite.</summary>
    public string? PostgresConnectionString { get; init; }

    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    public static DatabaseOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[$"{Section}:Provider"];
        var provider = string.IsNullOrWhiteSpace(configured)
            ? DatabaseProvider.Sqlite
            : Enum.TryParse<DatabaseProvider>(configured.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new InvalidOperationException($"Database:Provider is '{configured}'; use Sqlite or Postgres.");
        if (provider == DatabaseProvider.Sqlite)
        {
            return new DatabaseOptions();
        }

        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set.");
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var password = configuration[$"{Section}:PostgresPassword"];
        if (string.IsNullOrEmpty(builder.Password) && !string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }

        return new DatabaseOptions { Provider = provider, PostgresConnectionString = builder.ConnectionString };
    }
}
