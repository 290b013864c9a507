using System.Globalization;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Storage;

public sealed class DatabaseBackupTests : IAsyncLifetime
{
    private readonly TestApp app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    private StorageOptions Storage => app.Services.GetRequiredService<StorageOptions>();

    private static long Scalar(string databasePath, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Text(string databasePath, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
    }

    private static readonly string[] CountedTables = ["AspNetUsers", "Households", "Members", "Categories", "Accounts", "Transactions", "TransactionLines", "ChangeLog", "__EFMigrationsHistory"];

    [Fact]
    public async Task ABackupIsAValidDatabaseWithTheSameRowsIncludingThoseStillInTheWriteAheadLog()
    {
        var home = await TestHousehold.CreateAsync(app, "ana@example.com");
        for (var i = 1; i <= 20; i++)
        {
            await home.AddExpenseAsync(home.Expense(i * 100));
        }

        Assert.Equal("wal", Text(Storage.DatabasePath, "PRAGMA journal_mode"));
        Assert.True(new FileInfo(Storage.DatabasePath + "-wal").Length > 0, "The recent writes should still sit in the WAL file.");

        var backup = DatabaseSetup.Backup(Storage, app.Time);

        Assert.Equal(Storage.BackupDirectory, Path.GetDirectoryName(backup));
        Assert.Equal("ok", Text(backup, "PRAGMA integrity_check"));
        foreach (var table in CountedTables)
        {
            var sql = $"SELECT COUNT(*) FROM \"{table}\"";
            Assert.Equal(Scalar(Storage.DatabasePath, sql), Scalar(backup, sql));
        }

        Assert.Equal(20, Scalar(backup, "SELECT COUNT(*) FROM Transactions"));
        Assert.Equal(21_000, Scalar(backup, "SELECT SUM(AmountMinor) FROM Transactions"));
    }

    [Fact]
    public void OnlyTheFiveNewestBackupsAreKept()
    {
        var made = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            made.Add(DatabaseSetup.Backup(Storage, app.Time));
            app.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var kept = Directory.GetFiles(Storage.BackupDirectory).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(made.Skip(2), kept);
        Assert.All(kept, k => Assert.Equal("ok", Text(k, "PRAGMA quick_check")));
    }

    [Fact]
    public void AFreshDatabaseIsMigratedWithoutABackup()
    {
        Assert.True(Scalar(Storage.DatabasePath, "SELECT COUNT(*) FROM __EFMigrationsHistory") > 0);
        Assert.False(Directory.Exists(Storage.BackupDirectory) && Directory.EnumerateFiles(Storage.BackupDirectory).Any());
    }

    [Fact]
    public async Task RestartingWithNoPendingMigrationTakesNoBackup()
    {
        await TestHousehold.CreateAsync(app, "ana@example.com");
        await using var restarted = new TestApp().With("Storage:DataDirectory", app.DataDirectory);

        Assert.Equal(1, Scalar(restarted.Services.GetRequiredService<StorageOptions>().DatabasePath, "SELECT COUNT(*) FROM AspNetUsers"));
        Assert.False(Directory.Exists(Storage.BackupDirectory) && Directory.EnumerateFiles(Storage.BackupDirectory).Any());
    }
}

/// <summary>Start-up over a database that holds data and lacks a migration: it is backed up first, then migrated.</summary>
public sealed class MigrateOnStartBackupTests : IAsyncLifetime
{
    private readonly TestApp app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public void ANonEmptyDatabaseWithAPendingMigrationIsBackedUpBeforeItIsMigrated()
    {
        // An "older version" of the app: it applied some migration the current code does not know, and holds data.
        var databasePath = Path.Combine(app.DataDirectory, "expensetracker.db");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE "__EFMigrationsHistory" ("MigrationId" TEXT NOT NULL PRIMARY KEY, "ProductVersion" TEXT NOT NULL);
                INSERT INTO "__EFMigrationsHistory" VALUES ('00000000000000_Legacy', '10.0.15');
                CREATE TABLE Legacy (Id INTEGER PRIMARY KEY, Note TEXT);
                INSERT INTO Legacy (Note) VALUES ('one'), ('two'), ('three');
                """;
            command.ExecuteNonQuery();
        }

        var storage = app.Services.GetRequiredService<StorageOptions>();

        var backup = Assert.Single(Directory.GetFiles(storage.BackupDirectory, "expensetracker-*.db"));
        using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backup, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        copy.Open();
        using var command2 = copy.CreateCommand();
        command2.CommandText = "SELECT COUNT(*) FROM Legacy; ";
        Assert.Equal(3L, command2.ExecuteScalar());
        command2.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'AspNetUsers'";
        Assert.Equal(0L, command2.ExecuteScalar());

        using var live = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = storage.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        live.Open();
        using var command3 = live.CreateCommand();
        command3.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('AspNetUsers', 'Transactions')";
        Assert.Equal(2L, command3.ExecuteScalar());
    }
}
