using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Features.InstanceBackup;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ExpenseTracker.Tests.Integration.InstanceBackup;

/// <summary>
/// A data folder that outlives the apps started on it (a TestApp deletes only its own), with what the tests compare:
/// every row of every table, files by hash, and commands run in-process.
/// </summary>
public sealed class InstanceFolder : IDisposable
{
    public InstanceFolder()
    {
        Directory.CreateDirectory(Storage.DataDirectory);
    }

    public StorageOptions Storage { get; } = new() { DataDirectory = Path.Combine(Path.GetTempPath(), "et-tests", "instance-" + Guid.NewGuid().ToString("N")) };

    public InstanceBackupOptions Options { get; } = new() { TimeZone = "UTC" };

    /// <summary>An app on this folder; its host (and so the instance lock) starts here.</summary>
    public TestApp StartApp(Action<TestApp>? configure = null)
    {
        var app = new TestApp().With("Storage:DataDirectory", Storage.DataDirectory);
        configure?.Invoke(app);
        _ = app.Services;
        return app;
    }

    public async Task<(int Exit, string Output, string Error)> RunAsync(TimeProvider time, string input, params string[] args)
    {
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var exit = await InstanceBackupCommands.RunAsync(Storage, Options, time, args, new StringReader(input), output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Every row of every table (ordered by all its columns: some FTS shadow tables have no rowid), blobs in hex.</summary>
    public static string DumpDatabase(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            dump.Append("## ").AppendLine(table);
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" LIMIT 0";
            int columns;
            using (var shape = select.ExecuteReader())
            {
                columns = shape.FieldCount;
            }

            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY {string.Join(", ", Enumerable.Range(1, columns))}";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    dump.Append(reader.GetValue(i) switch
                    {
                        DBNull => "NULL",
                        byte[] bytes => Convert.ToHexString(bytes),
                        var value => Convert.ToString(value, CultureInfo.InvariantCulture),
                    }).Append('|');
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }

    public static long Count(string databasePath, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Relative path → SHA-256 of every file under <paramref name="folder"/> (empty when it does not exist).</summary>
    public static SortedDictionary<string, string> HashFiles(string folder)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                hashes[Path.GetRelativePath(folder, file)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
            }
        }

        return hashes;
    }

    /// <summary>The whole data folder (database file bytes included, the lock file not), to show a refused restore changed nothing.</summary>
    public SortedDictionary<string, string> Fingerprint()
    {
        SqliteConnection.ClearAllPools();
        var all = HashFiles(Storage.DataDirectory);
        all.Remove(InstanceLock.FileName);
        return all;
    }

    /// <summary>
    /// Rewrites a backup zip entry by entry through <paramref name="change"/>; with <paramref name="fixManifest"/> the
    /// manifest is recomputed, so only the content (not the checksums) is wrong.
    /// </summary>
    public static void Tamper(string zipPath, Func<string, byte[], byte[]> change, bool fixManifest)
    {
        var entries = new List<(string Name, byte[] Bytes)>();
        using (var zip = ZipFile.OpenRead(zipPath))
        {
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                entries.Add((entry.FullName, change(entry.FullName, copy.ToArray())));
            }
        }

        if (fixManifest)
        {
            var index = entries.FindIndex(e => e.Name == InstanceBackupManifest.FileName);
            var manifest = JsonSerializer.Deserialize<InstanceBackupManifest>(entries[index].Bytes, InstanceBackupManifest.Json)!;
            var fixedEntries = entries.Where(e => e.Name != InstanceBackupManifest.FileName)
                .Select(e => new InstanceBackupEntry(e.Name, e.Bytes.Length, Convert.ToHexStringLower(SHA256.HashData(e.Bytes)))).ToList();
            entries[index] = (InstanceBackupManifest.FileName, JsonSerializer.SerializeToUtf8Bytes(manifest with { Entries = fixedEntries }, InstanceBackupManifest.Json));
        }

        File.Delete(zipPath);
        using var rewritten = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = rewritten.CreateEntry(name).Open();
            stream.Write(bytes);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Storage.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
