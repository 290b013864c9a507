using ExpenseTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>
/// A household's backup downloaded from /household/backup in Debian's Chromium, then restored through the same page by
/// someone who has just registered (a new, empty household): their expense list shows the same expenses.
/// </summary>
public sealed class BackupRestoreInBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string OwnerEmail = "ana@example.com";
    private const string OwnerPassword = "correct horse battery staple";
    private const string NewcomerEmail = "noor@example.com";
    private const string NewcomerPassword = "quince harbour ledger 17";

    private static readonly (DateOnly Date, string Payee, long AmountMinor, string Category)[] Expenses =
    [
        (new DateOnly(2026, 11, 2), "Bäckerei Müller", 3_20, "Groceries"),
        (new DateOnly(2026, 11, 5), "Stadtwerke", 1_234_56, "Utilities"),
        (new DateOnly(2026, 11, 9), "Buchhandlung Ost", 18_90, "Shopping"),
    ];

    private TestApp? app;
    private string? backupPath;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (backupPath is not null)
        {
            File.Delete(backupPath);
        }

        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task ABackupDownloadedFromThePageIsRestoredIntoANewcomersEmptyHouseholdWithTheSameExpenses()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var home = await TestHousehold.CreateAsync(app, OwnerEmail);
        foreach (var (date, payee, amountMinor, category) in Expenses)
        {
            await home.AddExpenseAsync(home.Expense(amountMinor, category, date, payee));
        }

        // The owner downloads the backup.
        var owner = await browser.NewPageAsync(app.LiveAddress);
        await SignInAsync(owner, OwnerEmail, OwnerPassword);
        await owner.GotoAsync("/household/backup");
        await BrowserHelpers.WaitForInteractiveAsync(owner);
        var download = await owner.RunAndWaitForDownloadAsync(() => owner.ClickAsync("[data-testid=download-backup]"));
        Assert.EndsWith(".zip", download.SuggestedFilename, StringComparison.Ordinal);
        backupPath = Path.Combine(app.DataDirectory, "downloaded-" + download.SuggestedFilename);
        await download.SaveAsAsync(backupPath);

        // Someone new registers (their own empty household) and restores the file through the page.
        var newcomer = await browser.NewPageAsync(app.LiveAddress);
        await RegisterAsync(newcomer);
        await newcomer.GotoAsync("/expenses");
        await BrowserHelpers.WaitForInteractiveAsync(newcomer);
        await Expect(newcomer.Locator("tr.expense-row")).ToHaveCountAsync(0);
        await newcomer.GotoAsync("/household/backup");
        await BrowserHelpers.WaitForInteractiveAsync(newcomer);
        await newcomer.SetInputFilesAsync("[data-testid=restore-file]", backupPath);
        await newcomer.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/household", new() { Timeout = 60_000 });
        await Expect(newcomer.Locator("[data-testid=restore-error]")).ToHaveCountAsync(0);

        await newcomer.GotoAsync("/expenses");
        await BrowserHelpers.WaitForInteractiveAsync(newcomer);
        await Expect(newcomer.Locator("tr.expense-row")).ToHaveCountAsync(Expenses.Length);
        foreach (var (_, payee, amountMinor, category) in Expenses)
        {
            var row = newcomer.Locator("tr.expense-row", new() { HasText = payee });
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row).ToContainTextAsync(category);
            await Expect(row).ToContainTextAsync(FormatAmount(amountMinor));
        }
    }

    /// <summary>The list's en-US amount text, e.g. 1,234.56.</summary>
    private static string FormatAmount(long amountMinor) =>
        (amountMinor / 100m).ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture);

    private async Task RegisterAsync(IPage page)
    {
        await page.GotoAsync("/Identity/Account/Register");
        await page.FillAsync("#Input_Email", NewcomerEmail);
        await page.FillAsync("#Input_DisplayName", "Noor");
        await page.FillAsync("#Input_HouseholdName", "Fresh start");
        await page.SelectOptionAsync("#Input_Currency", "EUR");
        await page.FillAsync("#Input_Password", NewcomerPassword);
        await page.FillAsync("#Input_ConfirmPassword", NewcomerPassword);

        // Until an administrator exists, registering needs the first-run setup code.
        var setupCode = page.Locator("[name*='SetupCode']");
        if (await setupCode.CountAsync() > 0)
        {
            await setupCode.FillAsync((await File.ReadAllTextAsync(Path.Combine(app!.DataDirectory, "setup-code.txt"))).Trim());
        }

        await page.ClickAsync("#registerSubmit");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        if (new Uri(page.Url).AbsolutePath.EndsWith("/Login", StringComparison.OrdinalIgnoreCase))
        {
            await SignInAsync(page, NewcomerEmail, NewcomerPassword);
        }

        await BrowserHelpers.WaitForInteractiveAsync(page);
    }

    private static Task SignInAsync(IPage page, string email, string password) => BrowserHelpers.SignInAsync(page, email, password);
}
