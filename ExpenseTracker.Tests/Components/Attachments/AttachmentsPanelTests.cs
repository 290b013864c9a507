using Bunit;
using ExpenseTracker.Tests.Integration.Attachments;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Attachments;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Components.Attachments;

/// <summary>The receipts panel of the expense editor: tiles with thumbnails and links, adding through the file inputs, deleting with a confirmation.</summary>
public sealed class AttachmentsPanelTests : MudComponentTest
{
    private long expenseId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var expenses = AppServices.GetRequiredService<ExpenseService>();
        var lookups = await expenses.GetLookupsAsync();
        var groceries = lookups.Categories.Single(c => c.Name == "Groceries").Id;
        expenseId = await expenses.CreateAsync(new ExpenseInput
        {
            AmountMinor = 12_50,
            Date = new DateOnly(2026, 11, 10),
            AccountId = lookups.Accounts[0].Id,
            Lines = [new LineInput(groceries, 12_50)],
        });
    }

    private Task<AttachmentInfo> AttachAsync(byte[] bytes, string name) =>
        AppServices.GetRequiredService<AttachmentService>().UploadAsync(expenseId, name, new MemoryStream(bytes));

    private IRenderedComponent<AttachmentsPanel> RenderPanel(MemberRole role = MemberRole.Owner) =>
        Render<AttachmentsPanel>(p => p.Add(x => x.TransactionId, expenseId).Add(x => x.Household, Household with { Role = role }));

    [Fact]
    public async Task EachReceiptIsATileWithItsThumbnailOrIconAndLinksToOpenAndDownload()
    {
        var photo = await AttachAsync(ReceiptFiles.Png(), "till.png");
        var invoice = await AttachAsync(ReceiptFiles.Pdf(), "invoice.pdf");

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=attachment]").Count));
        Assert.Equal(["till.png", "invoice.pdf"], panel.FindAll("[data-testid=attachment-name]").Select(e => e.TextContent));
        var thumbnail = Assert.Single(panel.FindAll("[data-testid=attachment-thumbnail]"));
        Assert.Equal($"attachments/{photo.Id}/thumbnail", thumbnail.GetAttribute("src"));
        Assert.Equal("Open till.png", thumbnail.GetAttribute("alt"));
        var links = panel.FindAll("[data-testid=attachment-open]");
        Assert.Equal([$"attachments/{photo.Id}", $"attachments/{invoice.Id}"], links.Select(a => a.GetAttribute("href")));
        Assert.All(links, a => Assert.Equal("noopener", a.GetAttribute("rel")));
        Assert.Equal($"attachments/{invoice.Id}?download=true", panel.FindAll("[data-testid=attachment-download]")[1].GetAttribute("href"));
        Assert.Contains("of 1 GB used", panel.Find("[data-testid=attachments-usage]").TextContent, StringComparison.Ordinal);
        Assert.Equal("image/jpeg,image/png,application/pdf", panel.Find("#attachment-file").GetAttribute("accept"));
        Assert.Equal("environment", panel.Find("#attachment-camera").GetAttribute("capture"));
    }

    [Fact]
    public void AChosenFileIsAttachedAndShown()
    {
        var panel = RenderPanel();
        panel.WaitForElement("[data-testid=attachments-empty]");

        panel.FindComponents<InputFile>()[1].UploadFiles(InputFileContent.CreateFromBinary(ReceiptFiles.Png(), "shop.png"));

        panel.WaitForAssertion(() => Assert.Equal("shop.png", panel.Find("[data-testid=attachment-name]").TextContent));
        Assert.Single(panel.FindAll("[data-testid=attachment-thumbnail]"));
    }

    [Fact]
    public void ARefusedFileShowsWhyAndAddsNothing()
    {
        var panel = RenderPanel();
        panel.WaitForElement("[data-testid=attachments-empty]");

        panel.FindComponents<InputFile>()[1].UploadFiles(InputFileContent.CreateFromBinary(ReceiptFiles.Html(), "receipt.jpg"));

        panel.WaitForAssertion(() => Assert.Contains("receipt.jpg: This type of file cannot be attached. Allowed: JPEG or PNG photos and PDF documents.",
            panel.Find("[data-testid=attachments-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(panel.FindAll("[data-testid=attachment]"));
    }

    [Fact]
    public async Task DeletingAsksFirstThenRemovesTheTile()
    {
        await AttachAsync(ReceiptFiles.Png(), "till.png");
        var panel = RenderPanel();
        panel.WaitForElement("[data-testid=attachment]");

        panel.Find("[data-testid=attachment-delete]").Click();
        panel.Find("[data-testid=attachment-delete-cancel]").Click();
        Assert.Single(panel.FindAll("[data-testid=attachment]"));
        panel.Find("[data-testid=attachment-delete]").Click();
        panel.Find("[data-testid=attachment-delete-confirm]").Click();

        panel.WaitForElement("[data-testid=attachments-empty]");
        Assert.Empty(await AppServices.GetRequiredService<AttachmentService>().ListAsync(expenseId));
    }

    [Fact]
    public async Task AViewerSeesTheReceiptsButCannotAddOrDelete()
    {
        await AttachAsync(ReceiptFiles.Png(), "till.png");

        var panel = RenderPanel(MemberRole.Viewer);

        panel.WaitForElement("[data-testid=attachment]");
        Assert.Single(panel.FindAll("[data-testid=attachment-download]"));
        Assert.Empty(panel.FindAll("[data-testid=attachment-delete]"));
        Assert.Empty(panel.FindAll("input[type=file]"));
    }
}
