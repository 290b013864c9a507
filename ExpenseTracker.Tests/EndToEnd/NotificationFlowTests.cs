using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>
/// Reminders and alerts end to end, with the real Quartz jobs (short intervals), the outbox, the in-app channel and the
/// bell in Chromium: a bill due tomorrow rings the bell; a budget crossed by one member's new expense shows up live in the
/// other member's open page.
/// </summary>
public sealed class NotificationFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Password = "quince harbour ledger 17";
    private static readonly LocatorAssertionsToHaveAttributeOptions Generous = new() { Timeout = 90_000 };
    private TestApp? app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private static TestApp StartWithJobs() => TestApp.StartLive(a => a
        .With("Jobs:Enabled", "true")
        .With("Jobs:ReminderTickInterval", "00:00:02")
        .With("Jobs:DeliveryInterval", "00:00:02"));

    [SkippableFact]
    public async Task ABillDueTomorrowRingsTheBell()
    {
        browser.RequireBrowser();
        app = StartWithJobs();
        var (owner, household, memberId) = await app.CreateUserWithHouseholdAsync("wanda@example.com", password: Password);
        // The app's clock starts on 15 Nov 2026, 10:00 UTC (11:00 in Berlin): the bill is due tomorrow, reminded a day ahead at 09:00.
        await using (var scope = app.ScopeFor(household.Id, memberId, MemberRole.Owner, owner.Id))
        {
            var category = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Categories.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
            await scope.ServiceProvider.GetRequiredService<BillService>().AddAsync(new BillInput
            {
                Name = "Water", CategoryId = category, Payee = "City Water", AmountMinor = 38_40, DayOfMonth = 16, Start = new DateOnly(2026, 11, 16), ReminderLeadDays = 1,
            });
        }

        var page = await browser.NewPageAsync(app.LiveAddress);
        await BrowserHelpers.SignInAsync(page, "wanda@example.com", Password);

        var bell = page.Locator("[data-testid=bell-button]");
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread", Generous);
        await bell.ClickAsync();
        var item = page.Locator("[data-testid=bell-panel] [data-testid=bell-item]");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item).ToContainTextAsync("Water is due in 1 day");
        await Expect(item).ToContainTextAsync("EUR 38.40");
        await BrowserHelpers.ScreenshotAsync(page, "notification-bill-reminder");
    }

    [SkippableFact]
    public async Task ABudgetCrossedByOneMembersExpenseShowsLiveForTheOtherMember()
    {
        browser.RequireBrowser();
        app = StartWithJobs();
        var (owner, household, ownerMemberId) = await app.CreateUserWithHouseholdAsync("olga@example.com", password: Password);
        long groceries, account;
        await using (var scope = app.ScopeFor(household.Id, ownerMemberId, MemberRole.Owner, owner.Id))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            groceries = await db.Categories.Where(c => c.Name == "Groceries").Select(c => c.Id).SingleAsync();
            account = await db.Accounts.Select(a => a.Id).FirstAsync();
            var budgets = scope.ServiceProvider.GetRequiredService<BudgetService>();
            await budgets.SetCategoryBudgetAsync(groceries, await budgets.CurrentMonthAsync(), 100_00);
            var link = (await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync("ben@example.com", MemberRole.Member, new Uri("http://localhost/"))).Link;
            await using var anonymous = app.Services.CreateAsyncScope();
            var ben = new AppUser { UserName = "ben@example.com", Email = "ben@example.com", EmailConfirmed = true, CreatedAt = app.Clock.GetUtcNow().UtcDateTime };
            Assert.True((await anonymous.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(ben, Password)).Succeeded);
            await anonymous.ServiceProvider.GetRequiredService<InvitationService>().AcceptAsync(link[(link.LastIndexOf('/') + 1)..], ben.Id, "Ben");
        }

        var benPage = await browser.NewPageAsync(app.LiveAddress);
        await BrowserHelpers.SignInAsync(benPage, "ben@example.com", Password);
        var bell = benPage.Locator("[data-testid=bell-button]");
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications, none unread");

        // Olga logs 85.00 of groceries: 85% of the budget crosses the 80% threshold (not yet 100%).
        await using (var scope = app.ScopeFor(household.Id, ownerMemberId, MemberRole.Owner, owner.Id))
        {
            var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
            await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
            {
                AmountMinor = 85_00, Date = today, AccountId = account, Payee = "Market Hall", Lines = [new LineInput(groceries, 85_00)],
            });
        }

        await Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread", Generous);
        await bell.ClickAsync();
        var item = benPage.Locator("[data-testid=bell-panel] [data-testid=bell-item]");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item).ToContainTextAsync("Groceries budget at 80%");
        await Expect(item).ToContainTextAsync("EUR 85.00 of EUR 100.00");
        await BrowserHelpers.ScreenshotAsync(benPage, "notification-budget-alert-live");
    }
}
