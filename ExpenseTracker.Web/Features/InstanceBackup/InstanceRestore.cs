using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ExpenseTracker.Web.Features.InstanceBackup;

/// <summary>A backup that must not be restored, with the one line that says why.</summary>
public sealed class RestoreRefusedException(string message) : Exception(message);

/// <summary>What a restore did.</summary>
public sealed record RestoreResult(InstanceBackupManifest Manifest, string? PreviousDatabase, string? PreviousFiles);

/// <summary>
/// Puts an instance backup back. Everything is checked before anything is touched: the zip opens, the manifest lists
/// exactly the entries there are with the right sizes and SHA-256, the packed database passes
/// <c>PRAGMA integrity_check</c> and has no migration this version does not know, and the app is not running (it holds
/// <see cref="InstanceLock"/>). Then the current database is copied aside with the online backup API to
/// <c>backups/pre-restore-STAMP.db</c> (a plain move could lose pages still in its WAL), the current attachments and keys
/// move to <c>backups/pre-restore-STAMP-files/</c>, and the backup's database (no -wal/-shm), attachments and keys take
/// their places. An older backup is fine: the app migrates it when it starts.
/// </summary>
public sealed class InstanceRestore(StorageOptions storage, TimeProvider time)
{
    /// <summary>
    /// Restores <paramref name="backupPath"/>; <paramref name="confirm"/> sees the verified manifest and may still say no
    /// (then nothing changes and the result is null).
    /// </summary>
    public async Task<RestoreResult?> RestoreAsync(string backupPath, Func<InstanceBackupManifest, bool>? confirm = null, CancellationToken cancellationToken = default)
    {
        using var held = InstanceLock.TryAcquire(storage)
            ?? throw new RestoreRefusedException("The app is running on this data folder (it holds instance.lock): stop it, then restore.");
        var stamp = InstanceBackupService.Stamp(time.GetUtcNow().UtcDateTime);
        var staging = Path.Combine(storage.DataDirectory, ".restore-" + stamp + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(staging);
        try
        {
            var manifest = await UnpackVerifiedAsync(backupPath, staging, cancellationToken);
            if (confirm is not null && !confirm(manifest))
            {
                return null;
            }

            var (previousDatabase, previousFiles) = MoveCurrentAside(stamp);
            SqliteConnection.ClearAllPools();
            File.Move(Path.Combine(staging, InstanceBackupManifest.DatabaseEntry), storage.DatabasePath);
            ReplaceFolder(Path.Combine(staging, "attachments"), storage.AttachmentsDirectory);
            ReplaceFolder(Path.Combine(staging, "keys"), storage.KeysDirectory);
            return new RestoreResult(manifest, previousDatabase, previousFiles);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Checks <paramref name="backupPath"/> and unpacks it into <paramref name="staging"/>; refuses a damaged or newer backup.</summary>
    public static async Task<InstanceBackupManifest> UnpackVerifiedAsync(string backupPath, string staging, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(backupPath))
        {
            throw new RestoreRefusedException($"There is no file {backupPath}.");
        }

        InstanceBackupManifest manifest;
        try
        {
            await using var file = new FileStream(backupPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            await using var zip = new ZipArchive(file, ZipArchiveMode.Read);
            manifest = await ReadManifestAsync(zip, cancellationToken);
            await UnpackAsync(zip, manifest, staging, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException or NotSupportedException)
        {
            throw new RestoreRefusedException($"{Path.GetFileName(backupPath)} is damaged (not a readable instance backup: {e.Message}). Nothing was changed.");
        }

        var database = Path.Combine(staging, InstanceBackupManifest.DatabaseEntry);
        CheckDatabase(database, Path.GetFileName(backupPath));
        return manifest;
    }

    private static async Task<InstanceBackupManifest> ReadManifestAsync(ZipArchive zip, CancellationToken cancellationToken)
    {
        var entry = zip.GetEntry(InstanceBackupManifest.FileName) ?? throw new InvalidDataException("it has no manifest.json");
        await using var stream = await entry.OpenAsync(cancellationToken);
        var manifest = await JsonSerializer.DeserializeAsync<InstanceBackupManifest>(stream, InstanceBackupManifest.Json, cancellationToken)
            ?? throw new InvalidDataException("its manifest is empty");
        if (manifest.Format != InstanceBackupManifest.CurrentFormat || manifest.Entries is null)
        {
            throw new InvalidDataException($"manifest format {manifest.Format} is not {InstanceBackupManifest.CurrentFormat}");
        }

        var listed = manifest.Entries.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var present = zip.Entries.Where(e => e.FullName != InstanceBackupManifest.FileName).Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        if (!listed.Contains(InstanceBackupManifest.DatabaseEntry) || !listed.SetEquals(present) || listed.Count != manifest.Entries.Count)
        {
            throw new InvalidDataException("its entries do not match the manifest");
        }

        return manifest;
    }

    private static async Task UnpackAsync(ZipArchive zip, InstanceBackupManifest manifest, string staging, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(staging) + Path.DirectorySeparatorChar;
        foreach (var expected in manifest.Entries)
        {
            var isFolderEntry = expected.Path.StartsWith(InstanceBackupManifest.AttachmentsPrefix, StringComparison.Ordinal)
                || expected.Path.StartsWith(InstanceBackupManifest.KeysPrefix, StringComparison.Ordinal);
            var target = Path.GetFullPath(Path.Combine(staging, expected.Path));
            if ((!isFolderEntry && expected.Path != InstanceBackupManifest.DatabaseEntry) || !target.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"entry '{expected.Path}' is outside the backup's folders");
            }

            var entry = zip.GetEntry(expected.Path)!;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var source = await entry.OpenAsync(cancellationToken))
            await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > expected.Size)
                    {
                        break; // longer than the manifest says (a zip bomb stops here)
                    }

                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            if (size != expected.Size || !string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), expected.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"the checksum of '{expected.Path}' does not match the manifest");
            }
        }
    }

    private static void CheckDatabase(string database, string name)
    {
        string integrity;
        IReadOnlyList<string> migrations;
        try
        {
            using var connection = new SqliteConnection(InstanceBackupService.Unpooled(database, SqliteOpenMode.ReadOnly));
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            integrity = Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory";
            using var reader = command.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            migrations = ids;
        }
        catch (SqliteException e)
        {
            throw new RestoreRefusedException($"{name} is damaged: its database cannot be read ({e.Message}). Nothing was changed.");
        }

        if (integrity != "ok")
        {
            throw new RestoreRefusedException($"{name} is damaged: its database fails the integrity check ({integrity}). Nothing was changed.");
        }

        if (migrations.FirstOrDefault(m => !InstanceBackupManifest.KnownMigrations.Contains(m)) is { } unknown)
        {
            throw new RestoreRefusedException(
                $"{name} comes from a newer version of ExpenseTracker (its database has migration {unknown}, unknown here): upgrade the app first. Nothing was changed.");
        }
    }

    private (string? Database, string? Files) MoveCurrentAside(string stamp)
    {
        Directory.CreateDirectory(storage.BackupDirectory);
        while (File.Exists(Path.Combine(storage.BackupDirectory, $"pre-restore-{stamp}.db")) || Directory.Exists(Path.Combine(storage.BackupDirectory, $"pre-restore-{stamp}-files")))
        {
            stamp += "x"; // a second restore within the same second
        }

        string? database = null;
        if (File.Exists(storage.DatabasePath))
        {
            database = Path.Combine(storage.BackupDirectory, $"pre-restore-{stamp}.db");
            InstanceBackupService.CopyDatabase(InstanceBackupService.Unpooled(storage.DatabasePath), database);
            SqliteConnection.ClearAllPools();
        }

        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(storage.DatabasePath + suffix);
        }

        string? files = null;
        foreach (var folder in new[] { storage.AttachmentsDirectory, storage.KeysDirectory })
        {
            if (Directory.Exists(folder))
            {
                files = Path.Combine(storage.BackupDirectory, $"pre-restore-{stamp}-files");
                Directory.CreateDirectory(files);
                Directory.Move(folder, Path.Combine(files, Path.GetFileName(folder)));
            }
        }

        return (database, files);
    }

    private static void ReplaceFolder(string unpacked, string target)
    {
        if (Directory.Exists(unpacked))
        {
            Directory.Move(unpacked, target);
        }
        else
        {
            Directory.CreateDirectory(target);
        }
    }
}
