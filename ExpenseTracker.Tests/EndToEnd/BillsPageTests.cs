using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>The bills page in Chromium on a desktop and at 360 px: overdue standing out, calendar, paying, axe.</summary>
public sealed class BillsPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Email = "bill.payer@example.com";
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
    public async Task UpcomingOverdueCalendarAndCandidatesReadWellOnADesktopAndAPhoneAndPayingClearsTheOverdue()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var (user, household, memberId) = await app.CreateUserWithHouseholdAsync(Email, password: Password);
        await using (var scope = app.ScopeFor(household.Id, memberId, MemberRole.Owner, user.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var categories = await db.Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);
            var account = await db.Accounts.Select(a => a.Id).FirstAsync();
            var bills = scope.ServiceProvider.GetRequiredService<BillService>();
            var water = await bills.AddAsync(new BillInput
            {
                Name = "City water", Payee = "City water", CategoryId = categories["Utilities"], AmountMinor = 38_40, DayOfMonth = 12, Start = new DateOnly(2026, 11, 1),
            });
            await bills.AddAsync(new BillInput
            {
                Name = "Maple Street Apartments rent", Payee = "Maple Street", CategoryId = categories["Housing"], AmountMinor = 1_650_00, DayOfMonth = 31,
                Start = new DateOnly(2026, 1, 1), AutoCreate = true,
            });
            await bills.AddAsync(new BillInput
            {
                Name = "Car insurance", CategoryId = categories["Transport"], AmountMinor = 480_00, IsEstimate = true, MinAmountMinor = 450_00,
                MaxAmountMinor = 520_00, Kind = BillScheduleKind.Yearly, Month = 11, DayOfMonth = 28, Start = new DateOnly(2026, 1, 1),
            });

            // The water bill of the 12th was not paid: it is overdue today (the 15th).
            await db.Bills.Where(b => b.Id == water).ExecuteUpdateAsync(s => s.SetProperty(b => b.NextDue, new DateOnly(2026, 11, 12)));
            var expenses = scope.ServiceProvider.GetRequiredService<ExpenseService>();
            foreach (var month in new[] { 7, 8, 9, 10 })
            {
                await expenses.CreateAsync(new ExpenseInput
                {
                    AmountMinor = 19_99, Date = new DateOnly(2026, month, 3), Payee = "Gym Pro", AccountId = account, Lines = [new LineInput(categories["Health"], 19_99)],
                });
            }
        }

        foreach (var (width, height, name) in new[] { (1280, 900, "bills-desktop"), (360, 780, "bills-360") })
        {
            var page = await OpenBillsAsync(app.LiveAddress, width, height);

            await Expect(page.Locator("[data-testid=upcoming-bill]")).ToHaveCountAsync(3);
            await Expect(page.Locator("[data-testid=upcoming-bill][data-overdue=true]")).ToContainTextAsync("City water");
            await Expect(page.Locator("[data-testid=bill-candidate]")).ToContainTextAsync("Gym Pro");
            await Expect(page.Locator("[data-testid=calendar-day-with-bills]")).ToHaveCountAsync(3);
            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
            Assert.False(overflow, $"The page scrolls sideways at {width} px.");
            await BrowserHelpers.ScreenshotAsync(page, name);
            await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
            await page.Context.CloseAsync();
        }

        var phone = await OpenBillsAsync(app.LiveAddress, 360, 780);
        await phone.Locator("[data-testid=upcoming-bill][data-overdue=true] [data-testid=bill-pay]").ClickAsync();
        await phone.FillAsync("#pay-amount", "41.15");
        await BrowserHelpers.ScreenshotAsync(phone, "bills-pay-360");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(phone);
        await phone.ClickAsync("[data-testid=pay-save]");

        await Expect(phone.Locator("[data-testid=upcoming-bill][data-overdue=true]")).ToHaveCountAsync(0);
        await Expect(phone.Locator("[data-testid=upcoming-bill]", new() { HasText = "City water" })).ToContainTextAsync("due");
        await using var check = app.ScopeFor(household.Id, memberId, MemberRole.Owner, user.Id);
        var paid = await check.ServiceProvider.GetRequiredService<AppDbContext>().Transactions.AsNoTracking().SingleAsync(t => t.Source == TransactionSource.Bill);
        Assert.Equal(41_15, paid.AmountMinor);
    }

    private async Task<IPage> OpenBillsAsync(Uri address, int width, int height)
    {
        var page = await browser.NewPageAsync(address, width, height);
        await BrowserHelpers.SignInAsync(page, Email, Password);
        await page.GotoAsync("/bills");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        return page;
    }
}
