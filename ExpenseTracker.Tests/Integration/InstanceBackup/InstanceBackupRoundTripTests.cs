using System.Diagnostics;
using System.Globalization;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.InstanceBackup;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ExpenseTracker.Tests.Integration.InstanceBackup;

/// <summary>The Backup suite: backup → wipe → restore reproduces every row of the demo household, its attachments and keys.</summary>
public sealed class InstanceBackupRoundTripTests(ITestOutputHelper log) : IDisposable
{
    private readonly InstanceFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task BackupWipeRestoreReproducesEveryRowOfTheDemoHouseholdItsAttachmentsAndItsKeys()
    {
        string dump;
        SortedDictionary<string, string> attachments;
        SortedDictionary<string, string> keys;
        string secret;
        string backup;
        await using (var app = folder.StartApp())
        {
            await DemoSeeder.SeedOnceAsync(app.Services, new StringWriter());
            long householdId;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                householdId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Households.IgnoreQueryFilters()
                    .Where(h => h.Name == DemoSeeder.HouseholdName).Select(h => h.Id).SingleAsync();
            }

            // Receipts as the attachments feature stores them: one folder per household.
            var receipts = Path.Combine(folder.Storage.AttachmentsDirectory, householdId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(Path.Combine(receipts, "2026-10"));
            File.WriteAllBytes(Path.Combine(receipts, "receipt-1.jpg"), RandomNumberGenerator(1, 200_000));
            File.WriteAllBytes(Path.Combine(receipts, "2026-10", "receipt-2.pdf"), RandomNumberGenerator(2, 50_000));
            secret = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("instance-backup-test").Protect("smtp password");

            dump = InstanceFolder.DumpDatabase(folder.Storage.DatabasePath);
            attachments = InstanceFolder.HashFiles(folder.Storage.AttachmentsDirectory);
            keys = InstanceFolder.HashFiles(folder.Storage.KeysDirectory);
            Assert.NotEmpty(keys);
            Assert.True(InstanceFolder.Count(folder.Storage.DatabasePath, "SELECT COUNT(*) FROM Transactions") > 1000);

            // Taken while the app runs, as the nightly job does.
            var watch = Stopwatch.StartNew();
            var (exit, output, error) = await folder.RunAsync(app.Time, "", "backup");
            watch.Stop();
            Assert.Equal(0, exit);
            backup = output.Trim();
            Assert.Equal(folder.Storage.BackupDirectory, Path.GetDirectoryName(backup));
            Assert.Matches(@"^instance-20261115T100000Z\.zip$", Path.GetFileName(backup));
            Assert.Equal([backup], Directory.GetFiles(folder.Storage.BackupDirectory)); // no snapshot, -wal or partial left behind
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"BENCH backup demo household: {watch.ElapsedMilliseconds} ms, {new FileInfo(backup).Length / 1024.0:0} KiB zip, database {new FileInfo(folder.Storage.DatabasePath).Length / 1024.0:0} KiB; {error.Trim()}"));
        }

        // The box is lost: database, attachments and keys gone.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(folder.Storage.DatabasePath + suffix);
        }

        Directory.Delete(folder.Storage.AttachmentsDirectory, recursive: true);
        Directory.Delete(folder.Storage.KeysDirectory, recursive: true);

        var restore = await folder.RunAsync(TimeProvider.System, "", "restore", backup, "--yes");

        Assert.Equal(0, restore.Exit);
        Assert.Contains("Start the app", restore.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Storage.DatabasePath + "-wal"));
        Assert.Equal(dump, InstanceFolder.DumpDatabase(folder.Storage.DatabasePath));
        Assert.Equal(attachments, InstanceFolder.HashFiles(folder.Storage.AttachmentsDirectory));
        Assert.Equal(keys, InstanceFolder.HashFiles(folder.Storage.KeysDirectory));

        // The app starts on the restored folder, reads what the old keys protected, and the demo user is there.
        await using var restarted = folder.StartApp();
        Assert.Equal("smtp password", restarted.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("instance-backup-test").Unprotect(secret));
        await using var check = restarted.Services.CreateAsyncScope();
        Assert.True(await check.ServiceProvider.GetRequiredService<AppDbContext>().Users.AnyAsync(u => u.Email == DemoSeeder.Email));
    }

    [Fact]
    public async Task RestoringOverAnExistingInstanceKeepsThePreviousDatabaseAndFilesAside()
    {
        string backup;
        string before;
        await using (var app = folder.StartApp())
        {
            await app.CreateUserWithHouseholdAsync("ana@example.com");
            backup = (await folder.RunAsync(app.Time, "", "backup")).Output.Trim();
            before = InstanceFolder.DumpDatabase(folder.Storage.DatabasePath);
            await app.CreateUserWithHouseholdAsync("ben@example.com");
            Directory.CreateDirectory(Path.Combine(folder.Storage.AttachmentsDirectory, "1"));
            File.WriteAllText(Path.Combine(folder.Storage.AttachmentsDirectory, "1", "later.txt"), "added after the backup");
        }

        var current = InstanceFolder.DumpDatabase(folder.Storage.DatabasePath);
        var restore = await folder.RunAsync(TimeProvider.System, "", "restore", backup, "--yes");

        Assert.Equal(0, restore.Exit);
        Assert.Equal(before, InstanceFolder.DumpDatabase(folder.Storage.DatabasePath));
        Assert.Empty(InstanceFolder.HashFiles(folder.Storage.AttachmentsDirectory));
        var aside = Assert.Single(Directory.GetFiles(folder.Storage.BackupDirectory, "pre-restore-*.db"));
        Assert.Contains(aside, restore.Output, StringComparison.Ordinal);
        Assert.Equal(current, InstanceFolder.DumpDatabase(aside));
        var files = Assert.Single(Directory.GetDirectories(folder.Storage.BackupDirectory, "pre-restore-*-files"));
        Assert.Equal("added after the backup", File.ReadAllText(Path.Combine(files, "attachments", "1", "later.txt")));
    }

    [Fact]
    public async Task BackupWithOutputWritesThereAndLeavesBackupsAlone()
    {
        await using var app = folder.StartApp();
        var target = Path.Combine(folder.Storage.DataDirectory, "elsewhere", "copy.zip");

        var (exit, output, _) = await folder.RunAsync(app.Time, "", "backup", "--output", target);

        Assert.Equal(0, exit);
        Assert.Equal(target, output.Trim());
        Assert.True(File.Exists(target));
        Assert.Empty(Directory.GetFiles(folder.Storage.BackupDirectory, "instance-*"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(target)!, ".*"));
    }

    [Theory]
    [InlineData("backup", "--bogus")]
    [InlineData("backup", "--output")]
    [InlineData("restore")]
    [InlineData("restore", "a.zip", "b.zip")]
    public async Task WrongUsageExitsWithTwo(params string[] args)
    {
        var (exit, _, error) = await folder.RunAsync(TimeProvider.System, "", args);

        Assert.Equal(InstanceBackupCommands.Refused, exit);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackupWithoutADatabaseSaysSoAndExitsWithOne()
    {
        var (exit, output, error) = await folder.RunAsync(TimeProvider.System, "", "backup");

        Assert.Equal(InstanceBackupCommands.NotDone, exit);
        Assert.Empty(output);
        Assert.Contains("no database", error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Storage.DatabasePath));
    }

    private static byte[] RandomNumberGenerator(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
