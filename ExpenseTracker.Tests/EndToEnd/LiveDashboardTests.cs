using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
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

    /// <summary>
    /// The demo history ends last month: give this month the family's own pace (last month's expenses up to today's day of
    /// the month, a month later) and budgets at each category's median month, so the README's dashboard tells a
    /// believable story: spending near the budget, a month-end forecast in line with it, a category or two at risk.
    /// </summary>
    private static async Task AddThisMonthAsync(TestApp app)
    {
        await using var lookup = app.Services.CreateAsyncScope();
        var db = lookup.ServiceProvider.GetRequiredService<AppDbContext>();
        var owner = await db.Members.IgnoreQueryFilters().Where(m => m.Household!.Name == DemoSeeder.HouseholdName && m.UserId != null)
            .Select(m => new { m.Id, m.HouseholdId, m.UserId }).SingleAsync();
        await using var scope = app.ScopeFor(owner.HouseholdId, owner.Id, MemberRole.Owner, owner.UserId);
        var sp = scope.ServiceProvider;
        var data = sp.GetRequiredService<AppDbContext>();
        var budgets = sp.GetRequiredService<BudgetService>();
        var month = await budgets.CurrentMonthAsync();
        var range = BudgetPeriods.RangeOf(month, 1);

        // Budgets: each category's median month of the 24, rounded up to 50; the overall budget is their sum.
        var lines = await data.TransactionLines.AsNoTracking()
            .Where(l => l.Transaction!.Kind == TransactionKind.Expense && l.Transaction.DeletedAt == null && l.Transaction.Date < range.From)
            .Select(l => new { l.CategoryId, l.Transaction!.Date, l.AmountMinor })
            .ToListAsync();
        var overall = 0L;
        foreach (var category in lines.GroupBy(l => l.CategoryId))
        {
            var months = category.GroupBy(l => (l.Date.Year, l.Date.Month)).Select(g => g.Sum(l => l.AmountMinor)).Order().ToList();
            var median = months[months.Count / 2];
            var budget = (median + 50_00 - 1) / 50_00 * 50_00;
            await budgets.SetCategoryBudgetAsync(category.Key, month, budget);
            overall += budget;
        }

        await budgets.SetOverallBudgetAsync(month, overall);

        // This month so far: last month's expenses on the days that have passed, a month later.
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        var lastMonth = await data.Transactions.AsNoTracking()
            .Where(t => t.Kind == TransactionKind.Expense && t.DeletedAt == null && t.Date >= range.From.AddMonths(-1) && t.Date < range.From)
            .Include(t => t.Lines).Include(t => t.Payee)
            .OrderBy(t => t.Date).ThenBy(t => t.Id)
            .ToListAsync();
        var expenses = sp.GetRequiredService<ExpenseService>();
        var bills = sp.GetRequiredService<BillService>();
        var dueBills = (await data.Bills.AsNoTracking().Where(b => b.Payee != null).Select(b => new { b.Id, b.Payee!.Name, b.NextDue }).ToListAsync())
            .ToDictionary(b => b.Name, b => (b.Id, b.NextDue), StringComparer.Ordinal);
        foreach (var t in lastMonth)
        {
            var date = t.Date.AddMonths(1);
            if (t.Payee is { } payee && dueBills.TryGetValue(payee.Name, out var bill) && bill.NextDue <= date && date <= today)
            {
                // A bill due by today is paid as the family would: from the bill, which moves on to its next month.
                await bills.MarkPaidAsync(bill.Id, t.AmountMinor, date);
            }
            else if (date <= today && date <= range.To)
            {
                await expenses.CreateAsync(new ExpenseInput
                {
                    AmountMinor = t.AmountMinor,
                    Date = date,
                    AccountId = t.AccountId,
                    Payee = t.Payee?.Name,
                    PaidByMemberId = t.PaidByMemberId,
                    Lines = [.. t.Lines.Select(l => new LineInput(l.CategoryId, l.AmountMinor, l.Note))],
                });
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
