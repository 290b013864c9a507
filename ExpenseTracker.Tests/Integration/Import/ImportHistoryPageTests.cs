using System.Text;
using Bunit;
using ExpenseTracker.Tests.Components;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Readers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Integration.Import;

public sealed class ImportHistoryPageTests : MudComponentTest
{
    private IImportService imports = default!;

    public override async Task InitializeAsync()
    {
        Services.AddSingleton(_ => imports);
        await base.InitializeAsync();
        imports = AppServices.GetRequiredService<IImportService>();
        var cash = await AppServices.GetRequiredService<AppDbContext>().Accounts.Select(a => a.Id).SingleAsync();
        var csv = "Date,Amount,Payee\n2026-11-02,-3.50,Corner Coffee\n2026-11-03,-42.10,Supermarket\n";
        await imports.CommitAsync(new ImportRequest("november.csv", Encoding.UTF8.GetBytes(csv), ReaderOptions.Default) { AccountId = cash }, new ImportChoices());
        await imports.CommitAsync(new ImportRequest("november-again.csv", Encoding.UTF8.GetBytes(csv), ReaderOptions.Default) { AccountId = cash }, new ImportChoices());
    }

    [Fact]
    public async Task TheOwnerSeesEachBatchAndUndoesOneAfterConfirming()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ImportHistoryPage>(p => p.AddCascadingValue(Household));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=import-batch]").Count), TimeSpan.FromSeconds(15));
        Assert.Equal(["november-again.csv", "november.csv"], page.FindAll("[data-testid=import-batch-file]").Select(e => e.TextContent));
        Assert.Equal("0 rows added · 2 duplicates skipped", page.FindAll("[data-testid=import-batch-counts]")[0].TextContent.Trim());

        page.FindAll("[data-testid=import-batch-undo]")[1].Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Undo the import of november.csv?", dialogs.Markup, StringComparison.Ordinal));
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Undo import", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=import-batch-undone]")), TimeSpan.FromSeconds(15));
        Assert.Equal(0, await AppServices.GetRequiredService<AppDbContext>().Transactions.CountAsync());
    }

    [Fact]
    public void AViewerSeesTheHistoryWithoutUndo()
    {
        var page = Render<ImportHistoryPage>(p => p.AddCascadingValue(Household with { Role = MemberRole.Viewer }));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=import-batch]").Count), TimeSpan.FromSeconds(15));
        Assert.Empty(page.FindAll("[data-testid=import-batch-undo]"));
    }
}
