using System.Text;
using ExpenseTracker.Web.Features.InstanceBackup;
using Microsoft.Data.Sqlite;

namespace ExpenseTracker.Tests.Integration.InstanceBackup;

/// <summary>
/// A restore checks everything before it touches anything: a damaged zip, a checksum that does not match, a damaged
/// database, a backup of a newer schema, and a running app are each refused with exit 2 and one line, and the data
/// folder stays exactly as it was.
/// </summary>
public sealed class InstanceRestoreRefusalTests : IAsyncLifetime
{
    private readonly InstanceFolder folder = new();
    private string backup = string.Empty;

    public async Task InitializeAsync()
    {
        await using var app = folder.StartApp();
        await app.CreateUserWithHouseholdAsync("ana@example.com");
        Directory.CreateDirectory(Path.Combine(folder.Storage.AttachmentsDirectory, "1"));
        File.WriteAllText(Path.Combine(folder.Storage.AttachmentsDirectory, "1", "receipt.txt"), "a receipt");
        backup = (await folder.RunAsync(app.Time, "", "backup")).Output.Trim();
        await app.CreateUserWithHouseholdAsync("ben@example.com"); // the current instance differs from the backup
    }

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }

    private async Task AssertRefusedAsync(string expected, string? file = null)
    {
        var before = folder.Fingerprint();

        var (exit, output, error) = await folder.RunAsync(TimeProvider.System, "", "restore", file ?? backup, "--yes");

        Assert.Equal(InstanceBackupCommands.Refused, exit);
        Assert.Empty(output);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal(before, folder.Fingerprint());
        Assert.Empty(Directory.GetFiles(folder.Storage.BackupDirectory, "pre-restore-*"));
        Assert.Empty(Directory.GetDirectories(folder.Storage.DataDirectory, ".restore-*"));
    }

    [Fact]
    public async Task ATruncatedZipIsRefusedAsDamaged()
    {
        var bytes = File.ReadAllBytes(backup);
        File.WriteAllBytes(backup, bytes[..(bytes.Length / 2)]);

        await AssertRefusedAsync("is damaged");
    }

    [Fact]
    public async Task AnAttachmentThatDoesNotMatchItsChecksumIsRefused()
    {
        InstanceFolder.Tamper(backup, (name, bytes) => name.EndsWith("receipt.txt", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes("a forged receipt") : bytes, fixManifest: false);

        await AssertRefusedAsync("checksum of 'attachments/1/receipt.txt' does not match");
    }

    [Fact]
    public async Task AnEntryTheManifestDoesNotListIsRefused()
    {
        using (var zip = System.IO.Compression.ZipFile.Open(backup, System.IO.Compression.ZipArchiveMode.Update))
        {
            using var stream = zip.CreateEntry("attachments/1/smuggled.txt").Open();
            stream.Write("extra"u8);
        }

        await AssertRefusedAsync("do not match the manifest");
    }

    [Fact]
    public async Task ADamagedDatabaseWithMatchingChecksumsIsRefused()
    {
        InstanceFolder.Tamper(backup, (name, bytes) =>
        {
            if (name != InstanceBackupManifest.DatabaseEntry)
            {
                return bytes;
            }

            // Scribble over the middle pages, keeping the header: the file still opens as SQLite.
            var damaged = (byte[])bytes.Clone();
            for (var i = 4096; i < damaged.Length - 4096; i += 7)
            {
                damaged[i] ^= 0x5A;
            }

            return damaged;
        }, fixManifest: true);

        await AssertRefusedAsync("is damaged");
    }

    [Fact]
    public async Task ABackupFromANewerSchemaIsRefused()
    {
        InstanceFolder.Tamper(backup, (name, bytes) =>
        {
            if (name != InstanceBackupManifest.DatabaseEntry)
            {
                return bytes;
            }

            var path = Path.Combine(folder.Storage.DataDirectory, "future.db");
            File.WriteAllBytes(path, bytes);
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode=DELETE; INSERT INTO __EFMigrationsHistory VALUES ('29991231000000_FromTheFuture', '12.0.0');";
                command.ExecuteNonQuery();
            }

            var changed = File.ReadAllBytes(path);
            File.Delete(path);
            return changed;
        }, fixManifest: true);

        await AssertRefusedAsync("newer version of ExpenseTracker (its database has migration 29991231000000_FromTheFuture");
    }

    [Fact]
    public async Task RestoringWhileTheAppRunsIsRefused()
    {
        await using var app = folder.StartApp();
        var rows = InstanceFolder.DumpDatabase(folder.Storage.DatabasePath);

        var (exit, _, error) = await folder.RunAsync(TimeProvider.System, "", "restore", backup, "--yes");

        Assert.Equal(InstanceBackupCommands.Refused, exit);
        Assert.Contains("The app is running", Assert.Single(error.TrimEnd().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(rows, InstanceFolder.DumpDatabase(folder.Storage.DatabasePath));
        Assert.Empty(Directory.GetFiles(folder.Storage.BackupDirectory, "pre-restore-*"));
    }

    [Fact]
    public async Task AMissingFileIsRefused() =>
        await AssertRefusedAsync("There is no file", Path.Combine(folder.Storage.DataDirectory, "nope.zip"));

    [Fact]
    public async Task WithoutYesItAsksAndAnythingButYesChangesNothing()
    {
        var before = folder.Fingerprint();

        var (exit, _, error) = await folder.RunAsync(TimeProvider.System, "no\n", "restore", backup);

        Assert.Equal(InstanceBackupCommands.NotDone, exit);
        Assert.Contains("Type yes to go on", error, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error, StringComparison.Ordinal);
        Assert.Equal(before, folder.Fingerprint());

        var confirmed = await folder.RunAsync(TimeProvider.System, "yes\n", "restore", backup);
        Assert.Equal(0, confirmed.Exit);
        Assert.Equal(1, InstanceFolder.Count(folder.Storage.DatabasePath, "SELECT COUNT(*) FROM AspNetUsers"));
    }
}
