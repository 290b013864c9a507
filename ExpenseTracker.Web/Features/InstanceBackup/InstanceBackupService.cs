using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ExpenseTracker.Web.Features.InstanceBackup;

/// <summary>The file written and what it holds.</summary>
public sealed record InstanceBackupResult(string Path, long Bytes, InstanceBackupManifest Manifest, IReadOnlyList<string> Deleted);

/// <summary>
/// A backup of the whole instance as one zip: the database copied with SQLite's online backup API (a consistent
/// snapshot that includes pages still in the WAL, taken while the app keeps writing), then the attachments and the Data
/// Protection keys, then <c>manifest.json</c> with a SHA-256 per entry. The database goes first: attachment files are
/// written before the rows that name them, so every attachment row of the snapshot finds its file (later files are
/// merely extra). The zip is written under a dot-name and renamed when complete, so <c>backups/</c> never shows a half
/// backup; then retention runs over the instance backups there.
/// </summary>
public sealed class InstanceBackupService(StorageOptions storage, InstanceBackupOptions options, TimeProvider time, ILogger<InstanceBackupService> logger)
{
    private const string PartialSuffix = ".partial";

    /// <summary>Writes a backup into <c>backups/</c> (or to <paramref name="output"/>, where no retention applies).</summary>
    public async Task<InstanceBackupResult> CreateAsync(string? output = null, CancellationToken cancellationToken = default)
    {
        var started = time.GetUtcNow().UtcDateTime;
        var intoBackups = output is null;
        Directory.CreateDirectory(storage.BackupDirectory);
        var target = output is null ? NextName(started) : Path.GetFullPath(output);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var partial = Path.Combine(directory, "." + Path.GetFileName(target) + PartialSuffix);
        var snapshot = Path.Combine(storage.BackupDirectory, "." + Guid.NewGuid().ToString("N") + ".snapshot.db");
        try
        {
            var migration = Snapshot(snapshot);
            var entries = new List<InstanceBackupEntry>();
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            await using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                entries.Add(await AddFileAsync(zip, snapshot, InstanceBackupManifest.DatabaseEntry, cancellationToken));
                entries.AddRange(await AddFolderAsync(zip, storage.AttachmentsDirectory, InstanceBackupManifest.AttachmentsPrefix, cancellationToken));
                entries.AddRange(await AddFolderAsync(zip, storage.KeysDirectory, InstanceBackupManifest.KeysPrefix, cancellationToken));
                var manifest = new InstanceBackupManifest(InstanceBackupManifest.CurrentFormat, InstanceBackupManifest.CurrentAppVersion, started, migration, entries);
                await using var stream = await zip.CreateEntry(InstanceBackupManifest.FileName).OpenAsync(cancellationToken);
                await JsonSerializer.SerializeAsync(stream, manifest, InstanceBackupManifest.Json, cancellationToken);
            }

            File.Move(partial, target, overwrite: !intoBackups);
            var result = new InstanceBackupResult(target, new FileInfo(target).Length,
                new InstanceBackupManifest(InstanceBackupManifest.CurrentFormat, InstanceBackupManifest.CurrentAppVersion, started, migration, entries),
                intoBackups ? ApplyRetention() : []);
            logger.LogInformation("Instance backup {Path}: {Bytes} bytes, {Entries} entries, in {Elapsed} ms",
                target, result.Bytes, entries.Count, (time.GetUtcNow().UtcDateTime - started).TotalMilliseconds);
            return result;
        }
        finally
        {
            File.Delete(snapshot);
            File.Delete(partial);
        }
    }

    /// <summary>Deletes the instance backups retention no longer keeps; returns their names.</summary>
    public IReadOnlyList<string> ApplyRetention()
    {
        if (!Directory.Exists(storage.BackupDirectory))
        {
            return [];
        }

        var names = Directory.EnumerateFiles(storage.BackupDirectory).Select(Path.GetFileName).OfType<string>();
        var doomed = InstanceBackupRetention.ToDelete(names, options.KeepDaily, options.KeepWeekly);
        foreach (var name in doomed)
        {
            File.Delete(Path.Combine(storage.BackupDirectory, name));
        }

        return doomed;
    }

    /// <summary>A free name for this second (a second backup in the same second gets -1, -2, ...).</summary>
    private string NextName(DateTime takenUtc)
    {
        for (var sequence = 0; ; sequence++)
        {
            var path = Path.Combine(storage.BackupDirectory, InstanceBackupRetention.FileName(takenUtc, sequence));
            if (!File.Exists(path) && !File.Exists(Path.Combine(storage.BackupDirectory, "." + Path.GetFileName(path) + PartialSuffix)))
            {
                return path;
            }
        }
    }

    /// <summary>Online backup of the live database into <paramref name="path"/>; returns its newest applied migration.</summary>
    private string? Snapshot(string path)
    {
        CopyDatabase(storage.ConnectionString, path);
        return NewestMigration(path);
    }

    /// <summary>SQLite's online backup of the database behind <paramref name="sourceConnectionString"/> into a new file.</summary>
    internal static void CopyDatabase(string sourceConnectionString, string target)
    {
        using var source = new SqliteConnection(sourceConnectionString);
        using var destination = new SqliteConnection(Unpooled(target));
        source.Open();
        destination.Open();
        source.BackupDatabase(destination);
        RollbackJournal(destination);
    }

    /// <summary>
    /// The copy keeps the live database's WAL flag; switched back it is one self-contained file, and reading it later
    /// (read-only) leaves no -wal/-shm behind. The app turns WAL on again when it starts on a restored database.
    /// </summary>
    private static void RollbackJournal(SqliteConnection copy)
    {
        using var command = copy.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=DELETE";
        command.ExecuteNonQuery();
    }

    internal static string Unpooled(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = mode }.ToString();

    internal static string? NewestMigration(string databasePath)
    {
        using var connection = new SqliteConnection(Unpooled(databasePath, SqliteOpenMode.ReadOnly));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
        if (command.ExecuteScalar() is null)
        {
            return null;
        }

        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId DESC LIMIT 1";
        return command.ExecuteScalar() as string;
    }

    private static async Task<IReadOnlyList<InstanceBackupEntry>> AddFolderAsync(ZipArchive zip, string folder, string prefix, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var entries = new List<InstanceBackupEntry>();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            try
            {
                entries.Add(await AddFileAsync(zip, file, prefix + relative, cancellationToken));
            }
            catch (FileNotFoundException)
            {
                // Deleted between listing and reading (an attachment removed right now): it is not part of the backup.
            }
        }

        return entries;
    }

    private static async Task<InstanceBackupEntry> AddFileAsync(ZipArchive zip, string path, string name, CancellationToken cancellationToken)
    {
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = File.GetLastWriteTimeUtc(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        await using (var target = await entry.OpenAsync(cancellationToken))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                size += read;
            }
        }

        return new InstanceBackupEntry(name, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    internal static string Stamp(DateTime utc) => utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
