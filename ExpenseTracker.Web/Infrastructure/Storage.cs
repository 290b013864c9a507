using ExpenseTracker.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>Where the app keeps its files: the SQLite database, backups, Data Protection keys, mail drops.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Absolute path. Default: App_Data inside the web project's folder (the content root).</summary>
    public string DataDirectory { get; set; } = string.Empty;

    public string DatabasePath => Path.Combine(DataDirectory, "expensetracker.db");
    public string BackupDirectory => Path.Combine(DataDirectory, "backups");
    public string KeysDirectory => Path.Combine(DataDirectory, "keys");
    public string MailDirectory => Path.Combine(DataDirectory, "mail");

    /// <summary>Receipts and other files attached to expenses (one subfolder per household); part of every instance backup.</summary>
    public string AttachmentsDirectory => Path.Combine(DataDirectory, "attachments");
    public string SetupCodePath => Path.Combine(DataDirectory, "setup-code.txt");

    public string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = DatabasePath,
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();

    public static StorageOptions FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration[$"{Section}:DataDirectory"];
        var directory = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(contentRoot, "App_Data")
            : Path.GetFullPath(configured, contentRoot);
        Directory.CreateDirectory(directory);
        return new StorageOptions { DataDirectory = directory };
    }
}

public static class DatabaseSetup
{
    public const int BackupsKept = 5;

    /// <summary>
    /// Applies pending migrations. When the database already holds data, first takes a consistent copy with
    /// SQLite's online backup API (a file copy could miss pages still in the WAL), keeping the newest five.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var storage = scope.ServiceProvider.GetRequiredService<StorageOptions>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        if (!db.Database.IsSqlite())
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        await using (var connection = new SqliteConnection(storage.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0 && applied.Count > 0)
        {
            var path = Backup(storage, time);
            logger.LogInformation("Backed up the database to {Path} before applying {Count} migration(s)", path, pending.Count);
        }

        await db.Database.MigrateAsync(cancellationToken);

        // Fresh statistics let SQLite's planner pick the covering indexes on its own.
        await db.Database.ExecuteSqlRawAsync("PRAGMA optimize;", cancellationToken);
    }

    public static string Backup(StorageOptions storage, TimeProvider time)
    {
        Directory.CreateDirectory(storage.BackupDirectory);
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", System.Globalization.CultureInfo.InvariantCulture);
        var target = Path.Combine(storage.BackupDirectory, $"expensetracker-{stamp}.db");
        using (var source = new SqliteConnection(storage.ConnectionString))
        using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            source.Open();
            destination.Open();
            source.BackupDatabase(destination);
        }

        foreach (var old in new DirectoryInfo(storage.BackupDirectory).GetFiles("expensetracker-*.db")
                     .OrderByDescending(f => f.Name, StringComparer.Ordinal).Skip(BackupsKept))
        {
            old.Delete();
        }

        return target;
    }
}
