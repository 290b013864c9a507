using System.Text;
using Bunit;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Mapping;
using ExpenseTracker.Web.Features.Import.Rules;
using ExpenseTracker.Web.Features.PaymentAccounts;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Tests.Components;

public sealed class ImportPageTests : MudComponentTest
{
    private const string Ofx = "OFXHEADER:100\nDATA:OFXSGML\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";

    private readonly ImportFakeService importer = new();
    private long cashId;
    private long groceriesId;

    public override async Task InitializeAsync()
    {
        // Registered before the base renders anything (bUnit refuses registrations after that); resolved lazily.
        Services.AddSingleton<IImportService>(importer);
        Services.AddSingleton(_ => AppServices.GetRequiredService<ImportProfileService>());
        Services.AddSingleton(_ => AppServices.GetRequiredService<CategoryRuleService>());
        Services.AddSingleton(Options.Create(new ImportOptions { MaxUploadMb = 1 }));
        await base.InitializeAsync();
        cashId = (await AppServices.GetRequiredService<PaymentAccountService>().ListAsync()).First().Id;
        groceriesId = (await AppServices.GetRequiredService<ExpenseTracker.Web.Features.Categories.CategoryService>().ListAsync()).First(c => c.Name == "Groceries").Id;
    }

    private IRenderedComponent<ImportPage> RenderPage(MemberRole role = MemberRole.Owner)
    {
        Render<MudBlazor.MudPopoverProvider>();
        return Render<ImportPage>(p => p.AddCascadingValue(Household with { Role = role }));
    }

    private static void Upload(IRenderedComponent<ImportPage> page, string fileName, byte[] content) =>
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, fileName));

    [Theory]
    [InlineData(MemberRole.Viewer)]
    [InlineData(MemberRole.Child)]
    public void ViewersAndChildrenAreToldImportingIsNotForThem(MemberRole role)
    {
        var page = RenderPage(role);

        Assert.Contains("owners and members", page.Find("[data-testid=import-refused]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=import-file]"));
    }

    [Fact]
    public void AFileAboveTheUploadLimitIsRefusedWithItsSizeAndTheLimit()
    {
        var page = RenderPage();

        Upload(page, "huge.csv", new byte[1536 * 1024]);

        var error = page.WaitForElement("[data-testid=import-error]").TextContent;
        Assert.Contains("1.5 MB", error, StringComparison.Ordinal);
        Assert.Contains("up to 1 MB", error, StringComparison.Ordinal);
        Assert.Empty(importer.Previews);
    }

    [Fact]
    public void AStatementGoesStraightToThePreviewWithStatusesErrorsAndDuplicatesUnticked()
    {
        importer.Preview = r => ImportFakeService.OneStatement(r.FileName,
            [
                ImportFakeService.Row(0, "Bakery", -320, categoryId: groceriesId),
                ImportFakeService.Row(1, "Rent", -120000, PreviewRowStatus.Duplicate),
                ImportFakeService.Row(2, "Rent", -120000, PreviewRowStatus.NearDuplicate),
                ImportFakeService.Row(3, "Card payment", -5000, PreviewRowStatus.Transfer),
            ],
            cashId, errors: [new PreviewError(7, "Amount", "'12,x' is not an amount.")]);
        var page = RenderPage();

        Upload(page, "march.ofx", Encoding.ASCII.GetBytes(Ofx));

        page.WaitForElement("[data-testid=import-preview]");
        Assert.Empty(page.FindAll("[data-testid=mapping-wizard]"));
        Assert.Equal("march.ofx", Assert.Single(importer.Previews).FileName);
        var rows = page.FindAll("[data-testid=preview-row]");
        Assert.Equal(4, rows.Count);
        Assert.Equal([true, false, true, true], rows.Select(r => r.QuerySelector("[data-testid=row-tick]")!.HasAttribute("checked")));
        Assert.Equal(["Duplicate", "Near duplicate", "Transfer"], page.FindAll("[data-testid=row-status]").Select(c => c.TextContent.Trim()));
        Assert.Equal("Row 7, column Amount: '12,x' is not an amount.", page.Find("[data-testid=preview-error]").TextContent);
        Assert.Equal(groceriesId.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[0].QuerySelector("[data-testid=row-category]")!.GetAttribute("value"));
        Assert.Contains(ExpenseTracker.Web.Infrastructure.Money.Format(-320, "EUR", Household.CultureInfo), rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("Import 3 rows", page.Find("[data-testid=import-confirm]").TextContent.Trim());
    }

    [Fact]
    public void ConfirmingSendsTheChoicesShowsProgressWhileItRunsAndThenTheResultWithLinks()
    {
        importer.Preview = r => ImportFakeService.OneStatement(r.FileName,
            [ImportFakeService.Row(0, "Bakery", -320), ImportFakeService.Row(1, "Cafe", -450), ImportFakeService.Row(2, "Rent", -120000, PreviewRowStatus.Duplicate)], cashId);
        importer.HoldCommit = new TaskCompletionSource();
        importer.Result = new ImportResult([7], 1, 1, 0);
        var page = RenderPage();
        Upload(page, "march.ofx", Encoding.ASCII.GetBytes(Ofx));
        page.WaitForElement("[data-testid=import-preview]");

        page.FindAll("[data-testid=row-tick]")[1].Change(false);
        page.FindAll("[data-testid=row-category]")[0].Change(groceriesId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Import 1 row", page.Find("[data-testid=import-confirm]").TextContent.Trim());
        page.Find("[data-testid=import-confirm]").Click();

        // The commit is held after reporting 2 of 5: the page shows that progress while it waits.
        page.WaitForAssertion(() => Assert.Contains("2 of 5", page.Find("[data-testid=import-progress]").TextContent, StringComparison.Ordinal));
        Assert.Equal("40", page.Find("[data-testid=import-progress-bar]").GetAttribute("aria-valuenow"));
        importer.HoldCommit.SetResult();

        page.WaitForElement("[data-testid=import-result]");
        Assert.Equal("Imported 1 transaction. 1 duplicate skipped.", page.Find("[data-testid=import-result-text]").TextContent);
        Assert.Equal("expenses", page.Find("a[data-testid=result-expenses]").GetAttribute("href"));
        Assert.Equal("import/history", page.Find("a[data-testid=result-history]").GetAttribute("href"));
        var (request, choices) = Assert.Single(importer.Commits);
        Assert.Equal(cashId, request.AccountId);
        Assert.Equal([(0, 1), (0, 2)], choices.Excluded.Order());
        Assert.Equal(groceriesId, choices.Categories[(0, 0)]);
        Assert.Equal(cashId, choices.Accounts[0]);
    }

    [Fact]
    public async Task AStatementWithoutAMatchedAccountAsksForOneAndIsReadAgainAgainstIt()
    {
        var accounts = AppServices.GetRequiredService<PaymentAccountService>();
        var giro = await accounts.CreateAsync(new AccountInput("Giro", AccountKind.Checking, "EUR", "DE12345678"));
        importer.Preview = r => ImportFakeService.OneStatement(r.FileName, [ImportFakeService.Row(0, "Bakery", -320)], null);
        var page = RenderPage();
        Upload(page, "march.ofx", Encoding.ASCII.GetBytes(Ofx));
        page.WaitForElement("[data-testid=import-preview]");

        Assert.Equal("Choose the account these transactions belong to.", page.Find("[data-testid=preview-problem]").TextContent);
        Assert.True(page.Find("[data-testid=import-confirm]").HasAttribute("disabled"));
        page.Find("[data-testid=statement-account]").Change(giro.ToString(System.Globalization.CultureInfo.InvariantCulture));

        page.WaitForAssertion(() => Assert.Equal(2, importer.Previews.Count));
        Assert.Equal(giro, importer.Previews[1].AccountId);
        Assert.False(page.Find("[data-testid=import-confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public void AForeignCurrencyStatementNeedsARateBeforeItCanBeImported()
    {
        importer.Preview = r => ImportFakeService.OneStatement(r.FileName, [ImportFakeService.Row(0, "Hotel", -10000)], cashId, needsRate: true, currency: "USD");
        var page = RenderPage();
        Upload(page, "trip.ofx", Encoding.ASCII.GetBytes(Ofx));
        page.WaitForElement("[data-testid=import-preview]");
        Assert.Contains("exchange rate", page.Find("[data-testid=preview-problem]").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid=statement-rate]").Change("0,92");

        page.WaitForAssertion(() => Assert.Equal(0.92m, importer.Previews[^1].ExchangeRate));
        Assert.Empty(page.FindAll("[data-testid=preview-problem]"));
    }

    [Fact]
    public void ALargePreviewIsShownAPageAtATime()
    {
        importer.Preview = r => ImportFakeService.OneStatement(r.FileName, [.. Enumerable.Range(0, 120).Select(i => ImportFakeService.Row(i, $"Shop {i}", -100 - i))], cashId);
        var page = RenderPage();
        Upload(page, "year.ofx", Encoding.ASCII.GetBytes(Ofx));
        page.WaitForElement("[data-testid=import-preview]");

        Assert.Equal(50, page.FindAll("[data-testid=preview-row]").Count);
        Assert.Equal("Rows 1–50 of 120", page.Find("[data-testid=page-info]").TextContent);
        page.Find("[data-testid=page-next]").Click();
        page.Find("[data-testid=page-next]").Click();

        Assert.Equal(20, page.FindAll("[data-testid=preview-row]").Count);
        Assert.Equal("Rows 101–120 of 120", page.Find("[data-testid=page-info]").TextContent);
        Assert.Equal("Import 120 rows", page.Find("[data-testid=import-confirm]").TextContent.Trim());
    }

    [Fact]
    public void ACsvGoesThroughTheWizardAndItsMappingReachesThePreview()
    {
        importer.Preview = r => ImportFakeService.OneStatement(r.FileName, [ImportFakeService.Row(0, "Bakery", -320)], cashId, format: "CSV");
        var page = RenderPage();

        Upload(page, "bank.csv", Encoding.UTF8.GetBytes("Date;Payee;Amount\n01.11.2026;Bakery;-3,20\n"));
        page.WaitForElement("[data-testid=mapping-wizard]");
        Assert.Empty(importer.Previews);
        page.Find("[data-testid=wizard-continue]").Click();

        page.WaitForElement("[data-testid=import-preview]");
        var mapping = Assert.Single(importer.Previews).Options.CsvMapping;
        Assert.Equal((0, 1, 2, ';', ','), (mapping!.Date, mapping.Payee, mapping.Amount, mapping.Delimiter, mapping.DecimalSeparator));
    }

    [Fact]
    public async Task ARuleCreatedFromARowIsSavedAndTheFileIsReadAgain()
    {
        importer.Preview = r => ImportFakeService.OneStatement(r.FileName, [ImportFakeService.Row(0, "Bakery Schmidt", -320)], cashId);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = RenderPage();
        Upload(page, "march.ofx", Encoding.ASCII.GetBytes(Ofx));
        page.WaitForElement("[data-testid=import-preview]");

        page.Find("[data-testid=row-create-rule]").Click();
        var pattern = dialogs.WaitForElement("[data-testid=create-rule-pattern]");
        Assert.Equal("Bakery Schmidt", pattern.GetAttribute("value"));
        pattern.Input("Bakery");
        dialogs.Find("[data-testid=create-rule-category]").Change(groceriesId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        dialogs.Find("[data-testid=create-rule-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal(2, importer.Previews.Count));
        var rule = Assert.Single(await AppServices.GetRequiredService<CategoryRuleService>().ListAsync());
        Assert.Equal(("Bakery", (long?)groceriesId, RuleField.Payee, RuleOperator.Contains), (rule.Pattern, rule.CategoryId, rule.Field, rule.Operator));
    }

    [Fact]
    public void ARefusedFileIsExplainedAndNothingElseHappens()
    {
        importer.Preview = _ => throw new ExpenseTracker.Web.Features.Import.Readers.ImportRefusedException("This XML file uses a DTD, which is not allowed.");
        var page = RenderPage();

        Upload(page, "evil.ofx", Encoding.ASCII.GetBytes(Ofx));

        Assert.Equal("This XML file uses a DTD, which is not allowed.", page.WaitForElement("[data-testid=import-error]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=import-file]"));
        Assert.Empty(importer.Commits);
    }
}
