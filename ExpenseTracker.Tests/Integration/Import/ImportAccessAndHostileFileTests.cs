using System.IO.Compression;
using System.Text;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Import;

public sealed class ImportAccessAndHostileFileTests
{
    private static ImportRequest Statement(long accountId) =>
        ImportHousehold.Request("statement.csv", ImportHousehold.Csv("2026-11-02,-3.50,Corner Coffee,", "2026-11-03,-42.10,Supermarket,"), accountId);

    [ProviderTheory]
    [InlineData(MemberRole.Viewer)]
    [InlineData(MemberRole.Child)]
    public async Task ViewersAndChildrenCannotImportOrUndo(DatabaseProvider provider, MemberRole role)
    {
        await using var app = new TestApp(provider).With("Import:MaxUploadMb", "1");
        var home = await ImportHousehold.CreateAsync(app);

        var batch = (await home.CommitAsync(Statement(home.CheckingId))).BatchIds[0];
        var (memberId, userId) = await home.AddMemberAsync(role + "@example.com", role);
        var before = await home.FootprintAsync();

        await using var scope = home.Scope(role, memberId, userId);
        var service = scope.ServiceProvider.GetRequiredService<IImportService>();
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.PreviewAsync(Statement(home.VisaId)));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.CommitAsync(Statement(home.VisaId), new ImportChoices()));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.UndoAsync(batch));

        Assert.Equal(before, await home.FootprintAsync());
    }

    [ProviderTheory]
    public async Task AViewerSeesTheHistoryAndAMemberImports(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider).With("Import:MaxUploadMb", "1");
        var home = await ImportHousehold.CreateAsync(app);

        var viewer = await home.AddMemberAsync("vic@example.com", MemberRole.Viewer);
        var member = await home.AddMemberAsync("ben@example.com", MemberRole.Member);

        var result = await home.CommitAsync(Statement(home.CheckingId), asScope: home.Scope(MemberRole.Member, member.MemberId, member.UserId));

        await using var scope = home.Scope(MemberRole.Viewer, viewer.MemberId, viewer.UserId);
        var history = await scope.ServiceProvider.GetRequiredService<IImportService>().HistoryAsync();
        Assert.Equal((result.BatchIds[0], "ben", 2), (history.Single().Id, history.Single().CreatedBy!, history.Single().RowCount));
    }

    [ProviderTheory]
    public async Task AnotherHouseholdsAccountsAndBatchesAreOutOfReach(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider).With("Import:MaxUploadMb", "1");
        var home = await ImportHousehold.CreateAsync(app);

        var other = await ImportHousehold.CreateAsync(app, "zoe@example.com");
        var theirs = (await other.CommitAsync(Statement(other.CheckingId))).BatchIds[0];
        var before = await other.FootprintAsync();

        await Assert.ThrowsAsync<ImportRefusedException>(() => home.CommitAsync(Statement(other.CheckingId)));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => home.UndoAsync(theirs));

        // The same rows are new to this household: keys are per household and account.
        var mine = await home.CommitAsync(Statement(home.CheckingId));
        Assert.Equal(2, mine.Added);
        Assert.Equal(before, await other.FootprintAsync());
        await using var scope = home.Scope();
        Assert.Equal(["statement.csv"], (await scope.ServiceProvider.GetRequiredService<IImportService>().HistoryAsync()).Select(h => h.FileName));
        Assert.Single(await scope.ServiceProvider.GetRequiredService<IImportService>().HistoryAsync());
    }

    public static TheoryData<string, string> HostileFiles() => new()
    {
        { "binary.csv", "binary" },
        { "dtd.xml", "dtd" },
        { "bomb.xlsx", "zip" },
        { "huge.csv", "huge" },
        { "empty.csv", "no rows" },
        { "zero.csv", "zero rows" },
    };

    // The readers refuse these before the database is touched: one provider is enough.
    [Theory]
    [MemberData(nameof(HostileFiles))]
    public async Task HostileFilesAreRefusedAndChangeNothing(string fileName, string kind)
    {
        await using var app = new TestApp().With("Import:MaxUploadMb", "1");
        var home = await ImportHousehold.CreateAsync(app);

        await home.CommitAsync(Statement(home.CheckingId));
        var before = await home.FootprintAsync();
        var content = kind switch
        {
            "binary" => Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 256)).ToArray(),
            "dtd" => Encoding.UTF8.GetBytes("""
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">&lol2;</Amt></Ntry></Stmt></BkToCstmrStmt></Document>
                """),
            "zip" => ZipBomb(),
            "huge" => Encoding.UTF8.GetBytes(ImportHousehold.Csv([.. Enumerable.Range(0, 40_000).Select(i => $"2026-11-02,-3.50,Coffee number {i},")])),
            "no rows" => Encoding.UTF8.GetBytes("Date,Amount,Payee\n"),
            _ => Encoding.UTF8.GetBytes("Date,Amount,Payee\nyesterday,lots,Shop\n2026-11-02,0.00,Nothing\n"),
        };
        var request = new ImportRequest(fileName, content, ReaderOptions.Default) { AccountId = home.VisaId };

        await using var scope = home.Scope();
        var service = scope.ServiceProvider.GetRequiredService<IImportService>();
        var preview = await Assert.ThrowsAsync<ImportRefusedException>(() => service.PreviewAsync(request));
        var commit = await Assert.ThrowsAsync<ImportRefusedException>(() => service.CommitAsync(request, new ImportChoices()));

        Assert.False(string.IsNullOrWhiteSpace(commit.Message));
        Assert.Equal(preview.Message, commit.Message);
        if (kind == "huge")
        {
            Assert.Contains("1 MB", commit.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await home.FootprintAsync());
    }

    /// <summary>A small zip whose one sheet inflates to 64 MB of zeros.</summary>
    private static byte[] ZipBomb()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml").Open().Dispose();
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                sheet.Write(zeros);
            }
        }

        return buffer.ToArray();
    }
}
