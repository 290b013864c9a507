using System.Globalization;
using System.Text;
using CsvHelper;
using ExpenseTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>
/// A bank CSV through the mapping wizard, the preview and the commit, in Debian's Chromium; then the rows in the
/// expense list, downloaded with its Export Excel and Export CSV buttons and compared with <see cref="ImportedRows"/>.
/// </summary>
public sealed class ImportExportFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Email = "ida@example.com";
    private const string Password = "plum orchard ledger 42";

    /// <summary>The rows of <see cref="BankCsv"/> as they must appear after the import: date, payee, signed amount.</summary>
    public static readonly (DateOnly Date, string Payee, decimal Amount)[] ImportedRows =
    [
        (new DateOnly(2026, 11, 2), "Bäckerei Müller", -3.20m),
        (new DateOnly(2026, 11, 5), "Stadtwerke", -1234.56m),
        (new DateOnly(2026, 11, 9), "Buchhandlung Ost", -18.90m),
    ];

    // Column names the guesser does not know, a day-first date and a decimal comma: the user maps them by hand.
    private static readonly byte[] BankCsv = Encoding.UTF8.GetBytes(
        "Wann;Wer;Geld;Info\n" +
        "02.11.2026;Bäckerei Müller;-3,20;Brötchen\n" +
        "05.11.2026;Stadtwerke;-1.234,56;Strom und Gas\n" +
        "09.11.2026;Buchhandlung Ost;-18,90;Kalender\n");

    private TestApp? app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task ACsvIsMappedInTheWizardPreviewedImportedAndListedAsExpenses()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        await app.CreateUserWithHouseholdAsync(Email, password: Password);
        var page = await browser.NewPageAsync(app.LiveAddress);
        await SignInAsync(page);

        await page.GotoAsync("/import");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await BrowserHelpers.ScreenshotAsync(page, "import-upload-desktop");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
        await ImportThroughTheWizardAsync(page, "desktop");

        await page.ClickAsync("[data-testid=result-expenses]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/expenses");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("tr.expense-row")).ToHaveCountAsync(ImportedRows.Length);
        foreach (var (_, payee, _) in ImportedRows)
        {
            await Expect(page.Locator("tr.expense-row", new() { HasText = payee })).ToHaveCountAsync(1);
        }

        // What the list shows comes back out of its export buttons: newest first, dates, payees and signed amounts.
        var expected = ImportedRows.OrderByDescending(r => r.Date).ToList();
        Assert.Equal(expected, ReadXlsx(await DownloadAsync(page, "[data-testid=export-xlsx]", ".xlsx")));
        Assert.Equal(expected, ReadCsv(await DownloadAsync(page, "[data-testid=export-csv]", ".csv")));

        // The same file again at phone width: every row is now a duplicate, unticked, and nothing scrolls sideways.
        await page.SetViewportSizeAsync(360, 780);
        await page.GotoAsync("/import");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await AssertNoSidewaysScrollAsync(page, "/import (upload)");
        await UploadAsync(page);
        await Expect(page.Locator("[data-testid=mapping-wizard]")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page, "/import (wizard)");
        await BrowserHelpers.ScreenshotAsync(page, "import-wizard-phone");
        await page.ClickAsync("[data-testid=wizard-continue]");
        await Expect(page.Locator("[data-testid=preview-row]")).ToHaveCountAsync(ImportedRows.Length);
        await Expect(page.Locator("[data-testid=preview-row][data-status=Duplicate]")).ToHaveCountAsync(ImportedRows.Length);
        await AssertNoSidewaysScrollAsync(page, "/import (preview)");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await BrowserHelpers.ScreenshotAsync(page, "import-preview-phone");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
    }

    private static async Task ImportThroughTheWizardAsync(IPage page, string screenshotSuffix)
    {
        await UploadAsync(page);
        await Expect(page.Locator("[data-testid=mapping-wizard]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=wizard-row]")).ToHaveCountAsync(ImportedRows.Length);

        await page.SelectOptionAsync("[data-testid=column-meaning][data-column='0']", "Date");
        await page.SelectOptionAsync("[data-testid=column-meaning][data-column='1']", "Payee");
        await page.SelectOptionAsync("[data-testid=column-meaning][data-column='2']", "Amount");
        await page.SelectOptionAsync("[data-testid=column-meaning][data-column='3']", "Notes");
        await page.SelectOptionAsync("[data-testid=wizard-date-format]", "d.M.yyyy");
        await page.SelectOptionAsync("[data-testid=wizard-decimal]", ",");
        await Expect(page.Locator("[data-testid=wizard-date-preview]")).ToContainTextAsync("2 Nov 2026");
        await page.FillAsync("[data-testid=profile-name]", "Hausbank");
        await BrowserHelpers.ScreenshotAsync(page, "import-wizard-" + screenshotSuffix);
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
        await page.ClickAsync("[data-testid=wizard-continue]");

        await Expect(page.Locator("[data-testid=preview-row]")).ToHaveCountAsync(ImportedRows.Length);
        var account = page.Locator("[data-testid=statement-account]");
        if (string.IsNullOrEmpty(await account.InputValueAsync()))
        {
            await account.SelectOptionAsync(new SelectOptionValue { Index = 1 });
        }

        await Expect(page.Locator("[data-testid=import-confirm]")).ToBeEnabledAsync();
        await Expect(page.Locator("[data-testid=import-confirm]")).ToHaveTextAsync($"Import {ImportedRows.Length} rows");
        await BrowserHelpers.ScreenshotAsync(page, "import-preview-" + screenshotSuffix);
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
        await page.ClickAsync("[data-testid=import-confirm]");

        await Expect(page.Locator("[data-testid=import-result-text]")).ToContainTextAsync($"Imported {ImportedRows.Length} transactions.");
        await BrowserHelpers.ScreenshotAsync(page, "import-result-" + screenshotSuffix);
    }

    /// <summary>Clicks an export button and returns the file the browser downloaded.</summary>
    private static async Task<byte[]> DownloadAsync(IPage page, string button, string extension)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(button));
        Assert.EndsWith(extension, download.SuggestedFilename, StringComparison.Ordinal);
        await using var stream = await download.CreateReadStreamAsync();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static List<(DateOnly Date, string Payee, decimal Amount)> ReadXlsx(byte[] file) =>
        MiniExcel.Query(new MemoryStream(file), useHeaderRow: true)
            .Cast<IDictionary<string, object?>>()
            .Select(r => (
                DateOnly.FromDateTime(Assert.IsType<DateTime>(r["Date"])),
                Assert.IsType<string>(r["Payee"]),
                Math.Round(Convert.ToDecimal(Assert.IsType<double>(r["Amount"]), CultureInfo.InvariantCulture), 2)))
            .ToList();

    private static List<(DateOnly Date, string Payee, decimal Amount)> ReadCsv(byte[] file)
    {
        Assert.Equal([0xEF, 0xBB, 0xBF], file[..3]);
        using var reader = new StreamReader(new MemoryStream(file), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvParser(reader, CultureInfo.InvariantCulture);
        var rows = new List<(DateOnly, string, decimal)>();
        Assert.True(csv.Read());
        Assert.Equal(["Date", "Payee", "Amount"], new[] { csv.Record![0], csv.Record[1], csv.Record[3] });
        while (csv.Read())
        {
            var r = csv.Record!;
            rows.Add((DateOnly.ParseExact(r[0], "yyyy-MM-dd", CultureInfo.InvariantCulture), r[1], decimal.Parse(r[3], NumberStyles.Number, CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static Task UploadAsync(IPage page) =>
        page.SetInputFilesAsync("[data-testid=import-file]", new FilePayload { Name = "hausbank.csv", MimeType = "text/csv", Buffer = BankCsv });

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{what} scrolls sideways by {overflow} px at 360 px.");
    }

    private static Task SignInAsync(IPage page) => BrowserHelpers.SignInAsync(page, Email, Password);
}
