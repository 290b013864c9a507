using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Attachments;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd.Attachments;

/// <summary>Attaching a receipt in real Chromium: open an expense, pick a PNG, see its thumbnail, open it, see the paperclip in the list; also on a 360 px phone.</summary>
public sealed class ReceiptFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Email = "ana@example.com";
    private const string Password = "correct horse battery staple";
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
    public async Task AReceiptPhotoIsAttachedShownAsAThumbnailAndOpens()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var (user, household, memberId) = await app.CreateUserWithHouseholdAsync(Email, password: Password);
        await using (var scope = app.ScopeFor(household.Id, memberId, MemberRole.Owner, user.Id))
        {
            var expenses = scope.ServiceProvider.GetRequiredService<ExpenseService>();
            var lookups = await expenses.GetLookupsAsync();
            await expenses.CreateAsync(new ExpenseInput
            {
                AmountMinor = 23_40,
                Date = new DateOnly(2026, 11, 12),
                AccountId = lookups.Accounts[0].Id,
                Payee = "Bäckerei Müller",
                Lines = [new LineInput(lookups.Categories.Single(c => c.Name == "Groceries").Id, 23_40)],
            });
        }

        var page = await browser.NewPageAsync(app.LiveAddress);
        BrowserHelpers.WatchContentSecurityPolicy(page);
        await BrowserHelpers.SignInAsync(page, Email, Password, "/expenses");
        await OpenExpenseAsync(page);
        await Expect(page.Locator("[data-testid=attachments-empty]")).ToBeVisibleAsync();

        await page.Locator("#attachment-file").SetInputFilesAsync(new FilePayload
        {
            Name = "till-receipt.png",
            MimeType = "image/png",
            Buffer = ReceiptFiles.Png(480, 640),
        });

        var thumbnail = page.Locator("[data-testid=attachment-thumbnail]");
        await Expect(thumbnail).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=attachment-name]")).ToHaveTextAsync("till-receipt.png");
        // The thumbnail really loaded through the signed-in endpoint (a broken image has no natural width).
        await Expect(thumbnail).ToHaveJSPropertyAsync("naturalHeight", 240);
        await Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await page.Locator("[data-testid=attachments-panel]").ScrollIntoViewIfNeededAsync();
        await BrowserHelpers.ScreenshotAsync(page, "receipt-attached-desktop");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);

        var opened = await page.RunAndWaitForPopupAsync(() => page.Locator("[data-testid=attachment-open]").ClickAsync());
        await opened.WaitForLoadStateAsync();
        Assert.Contains("/attachments/", opened.Url, StringComparison.Ordinal);
        await Expect(opened.Locator("img")).ToHaveJSPropertyAsync("naturalWidth", 480);
        await BrowserHelpers.ScreenshotAsync(opened, "receipt-opened");
        await opened.CloseAsync();

        // Back in the list: the paperclip marks the expense.
        await page.ClickAsync("[data-testid=expense-cancel]");
        await Expect(page.Locator("tr.expense-row [data-testid=expense-attachment-mark]")).ToHaveCountAsync(1);

        // On a phone: the dialog with its receipts fits 360 px without sideways scrolling.
        await page.SetViewportSizeAsync(360, 780);
        await page.ReloadAsync();
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await OpenExpenseAsync(page);
        await Expect(page.Locator("[data-testid=attachment-thumbnail]")).ToBeVisibleAsync();
        await Expect(page.Locator("label[for=attachment-camera]")).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow} px at 360 px.");
        await page.Locator("[data-testid=attachments-panel]").ScrollIntoViewIfNeededAsync();
        await BrowserHelpers.ScreenshotAsync(page, "receipt-attached-360");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
    }

    private static async Task OpenExpenseAsync(IPage page)
    {
        var row = page.Locator("tr.expense-row", new() { HasText = "Bäckerei Müller" });
        await row.Locator("button[aria-label='Edit expense']").ClickAsync();
        await Expect(page.Locator("[data-testid=attachments-panel]")).ToBeVisibleAsync();
    }
}
