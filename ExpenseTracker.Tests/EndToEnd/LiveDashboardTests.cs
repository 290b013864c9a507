using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>Budgets, analytics and the dashboard in Chromium: live updates across members, screenshots, axe, phone widths.</summary>
public sealed class LiveDashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Password = "plum orchard ledger 42";
    private static readonly LocatorAssertionsToContainTextOptions Generous = new() { Timeout = 15_000 };
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
    public async Task AnExpenseOneMemberAddsShowsOnTheOtherMembersDashboardAndBudgetPageWithoutAReload()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var (owner, household, ownerMemberId) = await app.CreateUserWithHouseholdAsync("olga@example.com", password: Password);
        long groceries;
        await using (var scope = app.ScopeFor(household.Id, ownerMemberId, MemberRole.Owner, owner.Id))
        {
            groceries = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Categories.Where(c => c.Name == "Groceries").Select(c => c.Id).SingleAsync();
            var budgets = scope.ServiceProvider.GetRequiredService<BudgetService>();
            var month = await budgets.CurrentMonthAsync();
            await budgets.SetCategoryBudgetAsync(groceries, month, 300_00);
            await budgets.SetOverallBudgetAsync(month, 1_000_00);
            var link = (await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync("ben@example.com", MemberRole.Member, new Uri("http://localhost/"))).Link;
            await using var anonymous = app.Services.CreateAsyncScope();
            var ben = new AppUser { UserName = "ben@example.com", Email = "ben@example.com", EmailConfirmed = true, CreatedAt = app.Clock.GetUtcNow().UtcDateTime };
            Assert.True((await anonymous.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(ben, Password)).Succeeded);
            await anonymous.ServiceProvider.GetRequiredService<InvitationService>().AcceptAsync(link[(link.LastIndexOf('/') + 1)..], ben.Id, "Ben");
        }

        var olga = await SignInAsync(await browser.NewPageAsync(app.LiveAddress), "olga@example.com");
        var benDashboard = await SignInAsync(await browser.NewPageAsync(app.LiveAddress), "ben@example.com");
        var benBudgets = await benDashboard.Context.NewPageAsync();
        await benBudgets.GotoAsync("/budgets");
        await BrowserHelpers.WaitForInteractiveAsync(benBudgets);
        var groceriesRow = benBudgets.Locator($"[data-testid=budget-row][data-category-id='{groceries}']");
        await Expect(groceriesRow.Locator("[data-testid=budget-spent]")).ToContainTextAsync("0.00");
        await Expect(groceriesRow).ToHaveAttributeAsync("data-state", "under-pace");

        // Olga logs 123.45 of groceries with quick add: amount, category, Enter.
        await olga.ClickAsync("[data-testid=quick-add]");
        var amount = olga.Locator("#expense-amount");
        await Expect(amount).ToBeFocusedAsync();
        await amount.FillAsync("123.45");
        await olga.SelectOptionAsync("#expense-category", new SelectOptionValue { Label = "Groceries" });
        await amount.PressAsync("Enter");
        await Expect(olga.Locator("#expense-form")).ToHaveCountAsync(0);

        // Ben's open pages follow without a reload.
        await Expect(benDashboard.Locator("[data-testid=month-spending]")).ToContainTextAsync("123.45", Generous);
        await Expect(benDashboard.Locator("[data-testid=overall-remaining]")).ToContainTextAsync("876.55", Generous);
        await Expect(benDashboard.Locator("[data-testid=latest-expense-row]")).ToHaveCountAsync(1);
        await Expect(groceriesRow.Locator("[data-testid=budget-spent]")).ToContainTextAsync("123.45", Generous);
        await Expect(groceriesRow.Locator("[data-testid=budget-remaining]")).ToContainTextAsync("176.55", Generous);
        await Expect(benBudgets.Locator("[data-testid=overall-budget] [data-testid=budget-spent]")).ToContainTextAsync("123.45", Generous);
    }

    [SkippableFact]
    public async Task TheDashboardWithDemoDataLooksRightOnDesktopAndPhoneAndTheChartPagesPassAxe()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        await DemoSeeder.SeedOnceAsync(app.Services, TextWriter.Null);
        await AddThisMonthAsync(app);

        var page = await SignInAsync(await browser.NewPageAsync(app.LiveAddress), DemoSeeder.Email, DemoSeeder.Password);
        await Expect(page.Locator("[data-testid=month-spending]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=by-category] svg").First).ToBeVisibleAsync();
        // Axis charts draw once the browser has reported their box: wait for the pace chart's axis labels.
        await Expect(page.Locator("[data-testid=cumulative] svg text").First).ToBeVisibleAsync();
        var desktop = await BrowserHelpers.ScreenshotAsync(page, "dashboard-desktop");
        CopyToDocs(desktop, "dashboard.png");
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);

        // A phone loads the page at its own width (charts measure their box when they first render).
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=month-spending]")).ToBeVisibleAsync();
        await BrowserHelpers.ScreenshotAsync(page, "dashboard-phone");

        await page.SetViewportSizeAsync(1280, 800);
        foreach (var (path, name) in new[] { ("/budgets", "budgets"), ("/analytics", "analytics") })
        {
            await page.GotoAsync(path);
            await BrowserHelpers.WaitForInteractiveAsync(page);
            await Expect(page.Locator(path == "/budgets" ? "[data-testid=budget-row]" : "[data-testid=analytics-charts]").First).ToBeVisibleAsync();
            await BrowserHelpers.ScreenshotAsync(page, name + "-desktop");
            await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
        }

        // The analytics table view: every cell is a link to the expense list.
        await page.Locator("[data-testid=chart-by-category] [data-testid=table-toggle]").ClickAsync();
        var cells = page.Locator("[data-testid=chart-by-category] [data-testid=chart-table] td");
        await Expect(cells.First).ToBeVisibleAsync();
        Assert.True(await cells.CountAsync() > 3);
        Assert.Equal(await cells.CountAsync(), await page.Locator("[data-testid=chart-by-category] [data-testid=chart-table] td > a[href^='expenses?']").CountAsync());

        await page.SetViewportSizeAsync(360, 740);
        foreach (var path in new[] { "/", "/budgets", "/analytics" })
        {
            await page.GotoAsync(path);
            await BrowserHelpers.WaitForInteractiveAsync(page);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            if (path != "/")
            {
                await BrowserHelpers.ScreenshotAsync(page, path.TrimStart('/') + "-phone");
            }

            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} scrolls sideways by {overflow} px at 360 px wide.");
        }
    }

    /// <summary>The demo history ends last month: add this month's spending and budgets so the dashboard has a story.</summary>
    private static async Task AddThisMonthAsync(TestApp app)
    {
        await using var lookup = app.Services.CreateAsyncScope();
        var db = lookup.ServiceProvider.GetRequiredService<AppDbContext>();
        var owner = await db.Members.IgnoreQueryFilters().Where(m => m.Household!.Name == DemoSeeder.HouseholdName && m.UserId != null)
            .Select(m => new { m.Id, m.HouseholdId, m.UserId }).SingleAsync();
        await using var scope = app.ScopeFor(owner.HouseholdId, owner.Id, MemberRole.Owner, owner.UserId);
        var sp = scope.ServiceProvider;
        var categories = await sp.GetRequiredService<AppDbContext>().Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);
        var account = await sp.GetRequiredService<AppDbContext>().Accounts.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        var budgets = sp.GetRequiredService<BudgetService>();
        var month = await budgets.CurrentMonthAsync();
        var range = BudgetPeriods.RangeOf(month, 1);
        await budgets.SetOverallBudgetAsync(month, 3_200_00);
        var budgetAmounts = new Dictionary<string, long> { ["Groceries"] = 700_00, ["Dining out"] = 150_00, ["Transport"] = 250_00, ["Entertainment"] = 80_00 };
        foreach (var (name, amountMinor) in budgetAmounts.Where(b => categories.ContainsKey(b.Key)))
        {
            await budgets.SetCategoryBudgetAsync(categories[name], month, amountMinor);
        }

        var expenses = sp.GetRequiredService<ExpenseService>();
        var spend = new (int Day, string Category, long Minor, string Payee)[]
        {
            (1, "Groceries", 86_40, "Fresh Market"), (2, "Transport", 45_00, "Shell"), (3, "Dining out", 62_80, "Luigi's"),
            (5, "Groceries", 112_15, "Fresh Market"), (6, "Entertainment", 59_99, "Cinema"), (8, "Groceries", 54_30, "Corner shop"),
            (9, "Dining out", 48_50, "Sushi Bar"), (10, "Transport", 38_20, "Shell"), (12, "Groceries", 97_65, "Fresh Market"),
            (13, "Entertainment", 35_00, "Bowling"), (14, "Dining out", 41_90, "Luigi's"),
        };
        foreach (var (day, category, minor, payee) in spend.Where(s => categories.ContainsKey(s.Category)))
        {
            var date = range.From.AddDays(day - 1);
            if (date <= range.To)
            {
                await expenses.CreateAsync(new ExpenseInput { AmountMinor = minor, Date = date, AccountId = account, Payee = payee, Lines = [new LineInput(categories[category], minor)] });
            }
        }
    }

    private static void CopyToDocs(string screenshot, string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExpenseTracker.sln")))
            {
                Directory.CreateDirectory(Path.Combine(dir.FullName, "docs"));
                File.Copy(screenshot, Path.Combine(dir.FullName, "docs", name), overwrite: true);
                return;
            }
        }
    }

    private static async Task<IPage> SignInAsync(IPage page, string email, string password = Password)
    {
        await BrowserHelpers.SignInAsync(page, email, password);
        return page;
    }
}
