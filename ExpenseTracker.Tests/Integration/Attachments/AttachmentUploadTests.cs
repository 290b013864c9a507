using System.Security.Cryptography;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Attachments;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace ExpenseTracker.Tests.Integration.Attachments;

/// <summary>
/// Uploading receipts through <see cref="AttachmentService"/>: JPEG, PNG and PDF are kept (file in the household's
/// folder, row with hash, type and thumbnail); everything else, and anything too large or over the quota, is refused with a
/// message that says why and leaves no row and no file behind.
/// </summary>
public sealed class AttachmentUploadTests(AttachmentUploadTests.RefusalApps refusalApps) : IAsyncLifetime, IClassFixture<AttachmentUploadTests.RefusalApps>
{
    private const long MaxFileBytes = 200_000;
    private const long Quota = 300_000;

    private TestApp app = null!;
    private Family family = null!;
    private long expenseId;
    private bool ownsApp;

    /// <summary>
    /// Refusals leave nothing behind, so their tests share one app per provider (and assert that it still holds no
    /// attachment); the tests that store files get an app of their own.
    /// </summary>
    public sealed class RefusalApps : ProviderFixture<Seeded>
    {
        protected override async Task<Seeded> SeedAsync(TestApp app) => await SeedAppAsync(app);
    }

    public sealed record Seeded(TestApp App, long ExpenseId)
    {
        internal Family Family { get; init; } = null!;
    }

    private static async Task<Seeded> SeedAppAsync(TestApp app)
    {
        app.With("Attachments:MaxFileBytes", MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Attachments:QuotaBytesPerHousehold", Quota.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var family = await Family.CreateAsync(app);
        return new Seeded(app, await family.AddAsync("Ana", 12_50)) { Family = family };
    }

    private void Use(Seeded seeded) => (app, family, expenseId) = (seeded.App, seeded.Family, seeded.ExpenseId);

    /// <summary>This test's own app on <paramref name="provider"/>, with the family and Ana's expense.</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        ownsApp = true;
        var own = new TestApp(provider);
        app = own;
        Use(await SeedAppAsync(own));
    }

    private async Task UseSharedAsync(DatabaseProvider provider) => Use(await refusalApps.ForAsync(provider));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (ownsApp)
        {
            await app.DisposeAsync();
        }
    }

    internal static async Task<AttachmentInfo> UploadAsync(Family family, string person, long expenseId, byte[] bytes, string fileName)
    {
        await using var scope = family.As(person);
        return await scope.ServiceProvider.GetRequiredService<AttachmentService>().UploadAsync(expenseId, fileName, new MemoryStream(bytes));
    }

    private string AttachmentsFolder => app.Services.GetRequiredService<StorageOptions>().AttachmentsDirectory;

    /// <summary>Every file under the attachments folder and the upload staging folder.</summary>
    private List<string> StoredFiles()
    {
        var store = app.Services.GetRequiredService<AttachmentStore>();
        return new[] { store.Root, store.IncomingDirectory }.Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*", SearchOption.AllDirectories)).ToList();
    }

    private async Task<List<Attachment>> RowsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Attachments.IgnoreQueryFilters().AsNoTracking().ToListAsync();
    }

    [ProviderTheory]
    public async Task JpegPngAndPdfAreStoredInTheHouseholdsFolderWithTheirTypeHashAndThumbnail(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var jpeg = ReceiptFiles.Jpeg(640, 480);
        var png = ReceiptFiles.Png(64, 48);
        var pdf = ReceiptFiles.Pdf();

        var photo = await UploadAsync(family, "Ana", expenseId, jpeg, "IMG_0001.jpeg");
        var screenshot = await UploadAsync(family, "Ana", expenseId, png, "../../etc/passwd.png");
        var invoice = await UploadAsync(family, "Ana", expenseId, pdf, "Invoice \"March\".pdf");

        Assert.Equal((AttachmentTypes.Jpeg, "IMG_0001.jpg", jpeg.LongLength, true), (photo.ContentType, photo.FileName, photo.SizeBytes, photo.HasThumbnail));
        Assert.Equal((AttachmentTypes.Png, "passwd.png", true), (screenshot.ContentType, screenshot.FileName, screenshot.HasThumbnail));
        Assert.Equal((AttachmentTypes.Pdf, "Invoice _March_.pdf", false), (invoice.ContentType, invoice.FileName, invoice.HasThumbnail));
        Assert.Equal("ana", photo.UploadedBy);

        var rows = await RowsAsync();
        Assert.Equal(3, rows.Count);
        foreach (var (row, bytes) in rows.OrderBy(r => r.Id).Zip([jpeg, png, pdf]))
        {
            Assert.Equal(family.HouseholdId, row.HouseholdId);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), row.Sha256);
            Assert.Matches($"^{family.HouseholdId}/[0-9a-f]{{32}}$", row.StorageKey);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(AttachmentsFolder, row.StorageKey!)));
        }

        // Thumbnails fit in 240 px and keep the aspect ratio; the staging folder is empty again.
        using var thumbnail = SKBitmap.Decode(rows[0].Thumbnail);
        Assert.Equal((240, 180), (thumbnail.Width, thumbnail.Height));
        Assert.Equal(AttachmentTypes.Jpeg, rows[0].ThumbnailContentType);
        Assert.Equal(3, StoredFiles().Count);

        await using var scope = family.As("Vic");
        var list = await scope.ServiceProvider.GetRequiredService<AttachmentService>().ListAsync(expenseId);
        Assert.Equal([photo.Id, screenshot.Id, invoice.Id], list.Select(a => a.Id));
    }

    public static TheoryData<string, string> RefusedFiles => new()
    {
        { "gif", "animation.gif" },
        { "svg", "receipt.jpg" },
        { "html", "receipt.jpg" },
        { "exe", "receipt.jpg" },
        { "fake-jpeg", "receipt.jpg" },
        { "empty", "receipt.png" },
        { "oversize", "scan.pdf" },
    };

    [ProviderTheory]
#pragma warning disable xUnit1037 // [ProviderTheory] gives the provider, the rows give the rest
    [MemberData(nameof(RefusedFiles))]
#pragma warning restore xUnit1037
    public async Task AFileThatIsNotAJpegPngOrPdfOrTooLargeIsRefusedClearlyAndNothingIsWritten(DatabaseProvider provider, string kind, string fileName)
    {
        await UseSharedAsync(provider);
        var bytes = kind switch
        {
            "gif" => ReceiptFiles.Gif(),
            "svg" => ReceiptFiles.Svg(),
            "html" => ReceiptFiles.Html(),
            "exe" => ReceiptFiles.Exe(),
            "fake-jpeg" => ReceiptFiles.FakeJpeg(),
            "empty" => [],
            _ => ReceiptFiles.Pdf(padding: (int)MaxFileBytes),
        };

        var refusal = await Assert.ThrowsAsync<FieldValidationException>(() => UploadAsync(family, "Ana", expenseId, bytes, fileName));

        var expected = kind switch
        {
            "empty" => "The file is empty.",
            "oversize" => "larger than 195 KB",
            "fake-jpeg" => "cannot be read as one",
            _ => "Allowed: JPEG or PNG photos and PDF documents.",
        };
        Assert.Contains(expected, refusal.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was saved.", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("File", refusal.Field);
        Assert.Empty(await RowsAsync());
        Assert.Empty(StoredFiles());
    }

    [ProviderTheory]
    public async Task ADeclaredSizeOverTheLimitIsRefusedBeforeReading(DatabaseProvider provider)
    {
        await UseSharedAsync(provider);
        await using var scope = family.As("Ana");
        var service = scope.ServiceProvider.GetRequiredService<AttachmentService>();

        var refusal = await Assert.ThrowsAsync<FieldValidationException>(() =>
            service.UploadAsync(expenseId, "big.jpg", new MemoryStream(ReceiptFiles.Jpeg()), declaredSize: MaxFileBytes + 1));

        Assert.Contains("larger than", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(StoredFiles());
    }

    [ProviderTheory]
    public async Task AnUploadOverTheHouseholdQuotaIsRefusedAndTheUsageShowsWhatIsStored(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var file = ReceiptFiles.Pdf(padding: 140_000);
        await UploadAsync(family, "Ana", expenseId, file, "a.pdf");
        await UploadAsync(family, "Ben", expenseId, file, "b.pdf");

        var refusal = await Assert.ThrowsAsync<FieldValidationException>(() => UploadAsync(family, "Ana", expenseId, file, "c.pdf"));

        Assert.Contains("go over the household's storage for receipts", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await RowsAsync()).Count);
        Assert.Equal(2, StoredFiles().Count);
        await using var scope = family.As("Ana");
        var usage = await scope.ServiceProvider.GetRequiredService<AttachmentService>().UsageAsync();
        Assert.Equal((2 * file.LongLength, Quota, 2), (usage.UsedBytes, usage.QuotaBytes, usage.Count));
        Assert.Equal("274 KB of 293 KB used", usage.Text);
    }

    [ProviderTheory]
    public async Task ViewersCannotAttachAndChildrenOnlyToTheirOwnExpenses(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var viewer = await Assert.ThrowsAsync<HouseholdAccessException>(() => UploadAsync(family, "Vic", expenseId, ReceiptFiles.Png(), "r.png"));
        Assert.Equal("Viewers can look but not change anything.", viewer.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => UploadAsync(family, "Kim", expenseId, ReceiptFiles.Png(), "r.png"));
        var own = await family.AddAsync("Kim", 2_00);

        var attached = await UploadAsync(family, "Kim", own, ReceiptFiles.Png(), "r.png");

        Assert.Equal(own, attached.TransactionId);
        Assert.Single(await RowsAsync());
    }

    [ProviderTheory]
    public async Task AnExpenseOfAnotherHouseholdIsNotFound(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (_, other, otherMember) = await app.CreateUserWithHouseholdAsync("eve@example.com");
        await using var scope = app.ScopeFor(other.Id, otherMember, MemberRole.Owner);

        await Assert.ThrowsAsync<NotFoundException>(() =>
            scope.ServiceProvider.GetRequiredService<AttachmentService>().UploadAsync(expenseId, "r.png", new MemoryStream(ReceiptFiles.Png())));

        Assert.Empty(await RowsAsync());
    }

    [ProviderTheory]
    public async Task DeletingAnAttachmentRemovesItsRowAndFileAndOnlyEditorsMayDoIt(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var attached = await UploadAsync(family, "Ana", expenseId, ReceiptFiles.Png(), "r.png");

        await using (var vic = family.As("Vic"))
        {
            await Assert.ThrowsAsync<HouseholdAccessException>(() => vic.ServiceProvider.GetRequiredService<AttachmentService>().DeleteAsync(attached.Id));
        }

        await using (var kim = family.As("Kim"))
        {
            await Assert.ThrowsAsync<NotFoundException>(() => kim.ServiceProvider.GetRequiredService<AttachmentService>().DeleteAsync(attached.Id));
        }

        Assert.Single(StoredFiles());
        await using (var ben = family.As("Ben"))
        {
            await ben.ServiceProvider.GetRequiredService<AttachmentService>().DeleteAsync(attached.Id);
        }

        Assert.Empty(await RowsAsync());
        Assert.Empty(StoredFiles());
    }

    [ProviderTheory]
    public async Task ASoftDeletedExpenseKeepsItsFilesAndDeletingTheHouseholdRemovesThem(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var attached = await UploadAsync(family, "Ana", expenseId, ReceiptFiles.Png(), "r.png");
        await using (var ana = family.As("Ana"))
        {
            var expenses = ana.ServiceProvider.GetRequiredService<ExpenseService>();
            await expenses.DeleteAsync(expenseId);
            Assert.Null(await ana.ServiceProvider.GetRequiredService<AttachmentService>().OpenAsync(attached.Id));
        }

        Assert.Single(await RowsAsync());
        Assert.Single(StoredFiles());

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HouseholdDeletion>().DeleteAsync(family.HouseholdId);
        }

        Assert.Empty(await RowsAsync());
        Assert.Empty(StoredFiles());
        Assert.False(Directory.Exists(Path.Combine(AttachmentsFolder, family.HouseholdId.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Theory]
    [InlineData(null, AttachmentTypes.Jpeg, "receipt.jpg")]
    [InlineData("C:\\Users\\ana\\Desktop\\Bon.PNG", AttachmentTypes.Png, "Bon.png")]
    [InlineData("..", AttachmentTypes.Pdf, "document.pdf")]
    [InlineData("evil\r\nHeader: x.jpg", AttachmentTypes.Jpeg, "evil__Header_ x.jpg")]
    public void FileNamesAreCleanedAndTakeTheExtensionOfTheirRealType(string? uploaded, string type, string expected) =>
        Assert.Equal(expected, AttachmentTypes.CleanFileName(uploaded, type));
}
