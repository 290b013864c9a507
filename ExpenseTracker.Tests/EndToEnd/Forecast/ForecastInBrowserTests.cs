using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd.Forecast;

/// <summary>The month-end card and the forecast chart over the demo history, in Chromium on a desktop and at 360 px.</summary>
public sealed class ForecastInBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Email = "forecast.reader@example.com";
    private const string Password = "copper kettle forecast 7";
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
    public async Task TheCardAndTheChartReadWellOnADesktopAndAPhone()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var (user, household, memberId) = await app.CreateUserWithHouseholdAsync(Email, password: Password);
        await using (var scope = app.ScopeFor(household.Id, memberId, MemberRole.Owner, user.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var categories = await db.Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);
            var cash = await db.Accounts.Select(a => a.Id).FirstAsync();
            var data = DemoDataGenerator.Generate(DemoDataGenerator.DefaultSeed, new DateOnly(2026, 11, 15));
            var inputs = data.Transactions.Where(t => t.Kind is TransactionKind.Expense or TransactionKind.Refund)
                .Select(t => t.ToInput(categories, Enum.GetValues<DemoAccount>().ToDictionary(a => a, _ => cash), Enum.GetValues<DemoMember>().ToDictionary(m => m, _ => memberId)))
                .ToList();
            await using (var bulk = DemoDataWriter.CreateBulkContext(db.Database.GetConnectionString()!, scope.ServiceProvider.GetRequiredService<HouseholdScope>()))
            {
                await DemoDataWriter.InsertAsync(bulk, inputs, app.Time);
            }

            var budgets = scope.ServiceProvider.GetRequiredService<BudgetService>();
            await budgets.SetCategoryBudgetAsync(categories["Groceries"], new BudgetMonth(2026, 11), 550_00);
            await budgets.SetOverallBudgetAsync(new BudgetMonth(2026, 11), 17_000_00);
            await scope.ServiceProvider.GetRequiredService<BillService>().AddAsync(new BillInput
            {
                Name = "Rent", Payee = "Maple Street Apartments", CategoryId = categories["Housing"], AmountMinor = 1_650_00, DayOfMonth = 28, Start = new DateOnly(2026, 11, 1),
            });
        }

        foreach (var (width, height, suffix) in new[] { (1280, 900, "desktop"), (360, 780, "360") })
        {
            var page = await browser.NewPageAsync(app.LiveAddress, width, height);
            await BrowserHelpers.SignInAsync(page, Email, Password);
            await page.GotoAsync("/");
            await BrowserHelpers.WaitForInteractiveAsync(page);
            var card = page.Locator("[data-testid=forecast-card]");
            await Expect(card).ToContainTextAsync("ends near");
            await card.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserHelpers.ScreenshotDirectory, $"forecast-card-{suffix}.png") });

            await page.GotoAsync("/analytics");
            await BrowserHelpers.WaitForInteractiveAsync(page);
            var section = page.Locator("[data-testid=forecast-section]");
            await Expect(section.Locator("[data-testid=chart-forecast] svg").First).ToBeVisibleAsync();
            await section.ScrollIntoViewIfNeededAsync();
            await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserHelpers.ScreenshotDirectory, $"forecast-chart-{suffix}.png") });
            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
            Assert.False(overflow, $"The analytics page scrolls sideways at {width} px.");
            await page.Context.CloseAsync();
        }
    }
}
