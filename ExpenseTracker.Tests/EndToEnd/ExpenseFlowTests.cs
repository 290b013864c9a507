using System.Text.RegularExpressions;
using ExpenseTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>The Foundation's whole flow as a newcomer clicks through it, in Debian's Chromium.</summary>
public sealed partial class ExpenseFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Email = "anna@example.com";
    private const string Password = "plum orchard ledger 42";
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
    public async Task ANewcomerRegistersLogsExpensesFindsEditsDeletesUndoesAndSignsOut()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var page = await browser.NewPageAsync(app.LiveAddress);

        // First run: the setup code from the console (and setup-code.txt) makes the first account the administrator.
        await page.GotoAsync("/");
        Assert.Equal("/Identity/Account/Login", new Uri(page.Url).AbsolutePath);
        await page.GotoAsync("/Identity/Account/Register");
        var setupCode = (await File.ReadAllTextAsync(Path.Combine(app.DataDirectory, "setup-code.txt"))).Trim();
        await page.FillAsync("#Input_Email", Email);
        await page.FillAsync("#Input_DisplayName", "Anna");
        await page.FillAsync("#Input_HouseholdName", "The Millers");
        await page.SelectOptionAsync("#Input_Currency", "EUR");
        await page.FillAsync("#Input_Password", Password);
        await page.FillAsync("#Input_ConfirmPassword", Password);
        await page.FillAsync("[name*='SetupCode']", setupCode);
        await page.ClickAsync("#registerSubmit");
        await SignInIfAskedAsync(page);
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=dashboard-empty]")).ToBeVisibleAsync();

        // Quick add three expenses from the keyboard: amount, category, Enter.
        await page.GotoAsync("/expenses");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await QuickAddAsync(page, "12.50", "Groceries", "Bäckerei Müller");
        await QuickAddAsync(page, "40.00", "Transport", "Fuel station");
        await QuickAddAsync(page, "7.25", "Groceries", "Corner shop");
        await Expect(page.Locator("tr.expense-row")).ToHaveCountAsync(3);
        await ExpectTotalAsync(page, "59.75");

        // Scan once the confirmations have faded: axe measures a half-transparent snackbar mid-animation.
        await Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await BrowserHelpers.ScreenshotAsync(page, "expenses-desktop");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);

        // Filter by category: only the groceries remain, the total follows, and the URL keeps the view.
        await page.Locator("[data-testid=category-filter]").GetByText("Groceries").ClickAsync();
        await Expect(page.Locator("tr.expense-row")).ToHaveCountAsync(2);
        await ExpectTotalAsync(page, "19.75");
        Assert.Matches(CategoryQuery(), page.Url);
        await page.ReloadAsync();
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("tr.expense-row")).ToHaveCountAsync(2);

        // Accent- and case-insensitive text search.
        await page.GotoAsync("/expenses?q=backerei%20muller");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("tr.expense-row")).ToHaveCountAsync(1);

        // Edit one: the corner shop costs 8.25, not 7.25.
        await page.GotoAsync("/expenses");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        var corner = page.Locator("tr.expense-row", new() { HasText = "Corner shop" });
        await corner.Locator("button[aria-label='Edit expense']").ClickAsync();
        await page.FillAsync("#expense-amount", "8.25");
        await page.ClickAsync("[data-testid=expense-save]");
        await Expect(page.Locator("#expense-form")).ToHaveCountAsync(0);
        await ExpectTotalAsync(page, "60.75");

        // Delete one and undo it.
        var fuel = page.Locator("tr.expense-row", new() { HasText = "Fuel station" });
        await fuel.Locator("button[aria-label='Delete expense']").ClickAsync();
        await Expect(page.Locator("tr.expense-row")).ToHaveCountAsync(2);
        await ExpectTotalAsync(page, "20.75");
        await page.Locator(".mud-snackbar").GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Expect(page.Locator("tr.expense-row")).ToHaveCountAsync(3);
        await ExpectTotalAsync(page, "60.75");

        // At phone width nothing scrolls sideways, and the list stays usable.
        await page.SetViewportSizeAsync(360, 780);
        foreach (var path in new[] { "/", "/expenses", "/categories", "/accounts", "/settings" })
        {
            await page.GotoAsync(path);
            await BrowserHelpers.WaitForInteractiveAsync(page);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} scrolls sideways by {overflow} px at 360 px.");
            if (path is "/" or "/expenses")
            {
                await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
            }
        }

        await page.GotoAsync("/expenses");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("tr.expense-row")).ToHaveCountAsync(3);
        await BrowserHelpers.ScreenshotAsync(page, "expenses-phone");

        // Sign out: the drawer is closed on a phone, so open it first.
        await page.ClickAsync("[data-testid=nav-toggle]");
        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(url => !url.Contains("/expenses", StringComparison.Ordinal));
        await page.GotoAsync("/expenses");
        Assert.Equal("/Identity/Account/Login", new Uri(page.Url).AbsolutePath);
    }

    /// <summary>
    /// The quick-add dialog focuses the amount once more after its form rendered (a JS call that can arrive late on a busy
    /// server). It must not pull the caret out of a field the person already moved to: Playwright's fill focuses, then
    /// types, and a focus change in between sent the payee into the amount (two CI failures: a row without its payee, a
    /// split preview of an amount that did not parse).
    /// </summary>
    [SkippableFact]
    public async Task ALateFocusCallLeavesTheCaretInTheFieldThePersonMovedTo()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        await app.CreateUserWithHouseholdAsync(Email, password: Password);
        var page = await browser.NewPageAsync(app.LiveAddress);
        await BrowserHelpers.SignInAsync(page, Email, Password, "/expenses");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=quick-add]");
        await Expect(page.Locator("#expense-amount")).ToBeFocusedAsync();

        // Moved to the payee: a late call leaves it there, and what is typed next lands in the payee.
        await page.FocusAsync("#expense-payee");
        await page.EvaluateAsync("expenseTracker.focusSoon('expense-amount')");
        await page.WaitForTimeoutAsync(200);
        await Expect(page.Locator("#expense-payee")).ToBeFocusedAsync();
        await page.Keyboard.InsertTextAsync("Fuel station");
        await Expect(page.Locator("#expense-payee")).ToHaveValueAsync("Fuel station");
        await Expect(page.Locator("#expense-amount")).ToHaveValueAsync(string.Empty);

        // Focus outside the form (nothing chosen yet): the call still brings the caret to the amount.
        await page.EvaluateAsync("document.activeElement.blur()");
        await page.EvaluateAsync("expenseTracker.focusSoon('expense-amount')");
        await Expect(page.Locator("#expense-amount")).ToBeFocusedAsync();
    }

    [SkippableFact]
    public async Task FiveWrongPasswordsLockTheAccountAndTheSignInPageSaysSo()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        await app.CreateUserWithHouseholdAsync(Email, password: Password);
        var page = await browser.NewPageAsync(app.LiveAddress);

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.GotoAsync("/Identity/Account/Login");
            await page.FillAsync("#Input_Email", Email);
            await page.FillAsync("#Input_Password", "not my password " + attempt);
            await page.ClickAsync("#login-submit");
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        }

        await Expect(page.Locator("body")).ToContainTextAsync("locked");

        // Even the right password is refused while locked.
        await page.GotoAsync("/Identity/Account/Login");
        await page.FillAsync("#Input_Email", Email);
        await page.FillAsync("#Input_Password", Password);
        await page.ClickAsync("#login-submit");
        await Expect(page.Locator("body")).ToContainTextAsync("locked");
        Assert.Equal("/Identity/Account/Login", new Uri(page.Url).AbsolutePath);
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
    }

    private static async Task SignInIfAskedAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        if (new Uri(page.Url).AbsolutePath.EndsWith("/Login", StringComparison.OrdinalIgnoreCase))
        {
            await page.FillAsync("#Input_Email", Email);
            await page.FillAsync("#Input_Password", Password);
            await page.ClickAsync("#login-submit");
        }
    }

    private static async Task QuickAddAsync(IPage page, string amount, string category, string payee)
    {
        await page.ClickAsync("[data-testid=quick-add]");
        var amountField = page.Locator("#expense-amount");
        await Expect(amountField).ToBeFocusedAsync();
        await page.FillAsync("#expense-payee", payee);
        await amountField.FillAsync(amount);
        await page.SelectOptionAsync("#expense-category", new SelectOptionValue { Label = category });
        await amountField.PressAsync("Enter");
        await Expect(page.Locator("#expense-form")).ToHaveCountAsync(0);
        try
        {
            await Expect(page.Locator("tr.expense-row", new() { HasText = payee })).ToHaveCountAsync(1);
        }
        catch (PlaywrightException e)
        {
            // Say what the list showed instead: a missing row and a row saved with other values are different bugs.
            var rows = await page.Locator("tr.expense-row").AllInnerTextsAsync();
            await BrowserHelpers.ScreenshotAsync(page, "quick-add-missing");
            throw new Xunit.Sdk.XunitException($"'{payee}' is not in the list; its rows: [{string.Join(" | ", rows.Select(r => r.ReplaceLineEndings(" ")))}]", e);
        }
    }

    private static Task ExpectTotalAsync(IPage page, string amount) =>
        Expect(page.Locator("[data-testid=spending-total][data-loaded=true]")).ToContainTextAsync(amount);

    [GeneratedRegex(@"[?&]cat=\d+")]
    private static partial Regex CategoryQuery();
}
