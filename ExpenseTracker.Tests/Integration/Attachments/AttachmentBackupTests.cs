using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Backup;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Attachments;
using ExpenseTracker.Web.Features.Backup;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Attachments;

/// <summary>
/// The household backup carries every attachment's bytes (<c>files/&lt;id&gt;</c>); restore writes them into the new
/// household's folder under new keys, byte for byte. Damaged files are refused with nothing left behind, and a
/// version-3 backup (before attachments) still restores.
/// </summary>
public sealed class AttachmentBackupTests : IAsyncLifetime
{
    private TestApp app = null!;
    private TestHousehold source = null!;
    private readonly Dictionary<string, byte[]> uploaded = new(StringComparer.Ordinal)
    {
        ["photo.jpg"] = ReceiptFiles.Jpeg(800, 600),
        ["screen.png"] = ReceiptFiles.Png(120, 90),
        ["invoice.pdf"] = ReceiptFiles.Pdf(),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Each test restores into a new household of its own app on <paramref name="provider"/>, from Ana's with three receipts.</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        source = await TestHousehold.CreateAsync(app, "ana@example.com");
        var expense = await source.AddExpenseAsync(source.Expense(12_50));
        await using var scope = source.Scope();
        var attachments = scope.ServiceProvider.GetRequiredService<AttachmentService>();
        foreach (var (name, bytes) in uploaded)
        {
            await attachments.UploadAsync(expense, name, new MemoryStream(bytes));
        }
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<RestoreResult> RestoreAsync(TestHousehold target, byte[] backup)
    {
        await using var scope = app.ScopeFor(target.Id, target.OwnerMemberId, MemberRole.Owner, target.OwnerUserId);
        return await scope.ServiceProvider.GetRequiredService<HouseholdRestore>().RestoreAsync(new MemoryStream(backup));
    }

    private async Task<List<Attachment>> RowsOfAsync(long householdId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Attachments.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.HouseholdId == householdId).OrderBy(a => a.Id).ToListAsync();
    }

    private string FolderOf(long householdId) =>
        app.Services.GetRequiredService<AttachmentStore>().HouseholdDirectory(householdId);

    [ProviderTheory]
    public async Task ABackupRoundTripRestoresEveryFileByteForByteUnderTheNewHousehold(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var backup = await BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId);
        var target = await TestHousehold.CreateAsync(app, "zed@example.com");

        var result = await RestoreAsync(target, backup);

        Assert.Equal(3, result.Rows["attachments"]);
        var rows = await RowsOfAsync(target.Id);
        var transaction = await SingleTransactionOfAsync(target.Id);
        Assert.Equal(uploaded.Keys, rows.Select(r => r.FileName));
        foreach (var row in rows)
        {
            var path = Path.Combine(app.Services.GetRequiredService<AttachmentStore>().Root, row.StorageKey!);
            Assert.StartsWith(FolderOf(target.Id), path, StringComparison.Ordinal);
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(uploaded[row.FileName])), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(row.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(transaction, row.TransactionId);
            Assert.Equal(target.OwnerMemberId, row.UploadedByMemberId);
            Assert.Equal(AttachmentTypes.IsImage(row.ContentType), row.Thumbnail is not null);
        }

        // The source's files are untouched and distinct from the copies.
        Assert.Equal(3, Directory.GetFiles(FolderOf(source.Id)).Length);
        Assert.Equal(3, Directory.GetFiles(FolderOf(target.Id)).Length);
    }

    private async Task<long> SingleTransactionOfAsync(long householdId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Transactions.IgnoreQueryFilters()
            .Where(t => t.HouseholdId == householdId).Select(t => t.Id).SingleAsync();
    }

    [ProviderTheory]
    public async Task AFileThatDoesNotMatchItsChecksumIsRefusedAndNothingStays(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var backup = await BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId);
        var damaged = RewriteFiles(backup, (name, bytes) => name.EndsWith(FirstFileId(backup), StringComparison.Ordinal) ? [.. bytes, 0] : bytes);
        var target = await TestHousehold.CreateAsync(app, "zed@example.com");

        var refusal = await Assert.ThrowsAsync<BackupRejectedException>(() => RestoreAsync(target, damaged));

        Assert.Contains("Nothing was changed.", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(await RowsOfAsync(target.Id));
        Assert.False(Directory.Exists(FolderOf(target.Id)) && Directory.GetFiles(FolderOf(target.Id)).Length > 0);
    }

    [ProviderTheory]
    public async Task AMissingFileIsRefused(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var backup = await BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId);
        var incomplete = RewriteFiles(backup, (name, bytes) => name.EndsWith(FirstFileId(backup), StringComparison.Ordinal) ? null : bytes);
        var target = await TestHousehold.CreateAsync(app, "zed@example.com");

        await Assert.ThrowsAsync<BackupRejectedException>(() => RestoreAsync(target, incomplete));

        Assert.Empty(await RowsOfAsync(target.Id));
    }

    [ProviderTheory]
    public async Task AVersion3BackupWithoutAttachmentsStillRestores(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var backup = await BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId);
        var version3 = BackupHousehold.Rewrite(backup, (name, text) => name switch
        {
            BackupFormat.ManifestEntry => Regex.Replace(
                text.Replace($"\"formatVersion\":{BackupFormat.Version}", "\"formatVersion\":3", StringComparison.Ordinal),
                ",?\\{\"name\":\"attachments\\.json\"[^}]*\\}", string.Empty),
            "attachments.json" => "[]",
            _ when name.StartsWith("files/", StringComparison.Ordinal) => "dropped",
            _ => text,
        }, fixChecksums: true);
        Assert.DoesNotContain("\"attachments.json\"", ManifestOf(version3), StringComparison.Ordinal);
        var target = await TestHousehold.CreateAsync(app, "zed@example.com");

        var result = await RestoreAsync(target, version3);

        Assert.Equal(1, result.Rows["transactions"]);
        Assert.False(result.Rows.ContainsKey("attachments"));
        Assert.Empty(await RowsOfAsync(target.Id));
    }

    private static string ManifestOf(byte[] backup)
    {
        using var zip = new ZipArchive(new MemoryStream(backup), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry(BackupFormat.ManifestEntry)!.Open());
        return reader.ReadToEnd();
    }

    private static string FirstFileId(byte[] backup)
    {
        using var zip = new ZipArchive(new MemoryStream(backup), ZipArchiveMode.Read);
        return zip.Entries.Select(e => e.FullName).First(n => n.StartsWith("files/", StringComparison.Ordinal))["files".Length..];
    }

    /// <summary>Copies a backup, passing each attachment file through <paramref name="change"/> (null drops it).</summary>
    private static byte[] RewriteFiles(byte[] backup, Func<string, byte[], byte[]?> change)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(backup), ZipArchiveMode.Read))
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var bytes = new MemoryStream();
                using (var stream = entry.Open())
                {
                    stream.CopyTo(bytes);
                }

                var content = entry.FullName.StartsWith("files/", StringComparison.Ordinal) ? change(entry.FullName, bytes.ToArray()) : bytes.ToArray();
                if (content is not null)
                {
                    using var target = zip.CreateEntry(entry.FullName).Open();
                    target.Write(content);
                }
            }
        }

        return output.ToArray();
    }
}
