using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static ExpenseTracker.Tests.EndToEnd.HouseholdFlowTests;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.EndToEnd;

/// <summary>
/// Someone in two households switches between them from the app bar; on /household the owner changes a role, hands over
/// ownership, a member leaves and the last owner cannot. Screenshots of /household and /analytics on a 360 px phone.
/// </summary>
public sealed class HouseholdSwitcherTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 15_000 };
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
    public async Task APersonInTwoHouseholdsSwitchesAndTheOwnerManagesRolesOwnershipAndLeaving()
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var (olivia, home, oliviaMember) = await CreateOwnerAsync(app);
        var sam = await JoinAsync(app, home.Id, oliviaMember, olivia.Id, "sam@example.com", "Sam", MemberRole.Member);
        var vic = await JoinAsync(app, home.Id, oliviaMember, olivia.Id, "vic@example.com", "Vic", MemberRole.Member);

        // A second household (Bo's flat) that Olivia joins too.
        var (bo, flat, boMember) = await app.CreateUserWithHouseholdAsync("bo@example.com", password: Password);
        await JoinExistingAsync(app, flat.Id, boMember, bo.Id, olivia.Id);
        await AddExpensesAsync(app, home.Id, oliviaMember, olivia.Id, ("Home groceries", 42_00, false), ("Olivia's secret", 9_99, true), ("Home bakery", 7_50, false));
        await AddExpensesAsync(app, flat.Id, boMember, bo.Id, ("Flat rent", 500_00, false));

        // Olivia switches households from the app bar: the expense list and the dashboard follow.
        var page = await browser.NewPageAsync(app.LiveAddress);
        await SignInAsync(page, OwnerEmail);
        await SwitchToAsync(page, home);
        await page.GotoAsync("/expenses");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("tr.expense-row", new() { HasText = "Home groceries" })).ToHaveCountAsync(1);

        await SwitchToAsync(page, flat);
        Assert.EndsWith("/expenses", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Expect(page.Locator("tr.expense-row")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr.expense-row")).ToContainTextAsync("Flat rent");
        await page.GotoAsync("/");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=latest-expenses]")).ToContainTextAsync("Flat rent");
        await Expect(page.Locator("[data-testid=latest-expenses]")).Not.ToContainTextAsync("Home groceries");
        await Expect(page.Locator("[data-testid=month-spending]")).ToHaveTextAsync(Eur(500_00));

        await SwitchToAsync(page, home);
        await Expect(page.Locator("[data-testid=latest-expenses]")).ToContainTextAsync("Home groceries");
        await Expect(page.Locator("[data-testid=month-spending]")).ToHaveTextAsync(Eur(42_00 + 9_99 + 7_50));

        // Vic, a member, has the add button until the owner makes Vic a viewer; after a reload it is gone.
        var vicPage = await browser.NewPageAsync(app.LiveAddress);
        await SignInAsync(vicPage, "vic@example.com");
        await Expect(vicPage.Locator("[data-testid=quick-add]")).ToHaveCountAsync(1);

        await page.GotoAsync("/household");
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await page.SelectOptionAsync(MemberLocator(vic, "member-role"), "Viewer");
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Vic is now", Live);
        await vicPage.ReloadAsync();
        await BrowserHelpers.WaitForInteractiveAsync(vicPage);
        await Expect(vicPage.Locator("[data-testid=quick-add]")).ToHaveCountAsync(0);

        // Olivia makes Sam the owner (she becomes a member), then leaves the household.
        await page.ClickAsync(MemberLocator(sam, "member-transfer"));
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Make owner" }).ClickAsync();
        // The page reloads: wait for the new page (Olivia no longer manages roles), then for its circuit.
        await Expect(page.Locator($"[data-testid=member-row][data-member-id='{sam}'] [data-testid=member-role-text]")).ToHaveTextAsync("Owner", new() { Timeout = 15_000 });
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=member-transfer]")).ToHaveCountAsync(0);

        await page.ClickAsync("[data-testid=leave-household]");
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/", new() { Timeout = 15_000 });
        await BrowserHelpers.WaitForInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=household-name]")).ToHaveTextAsync(flat.Name);
        await Expect(page.Locator("[data-testid=household-switcher]")).ToHaveCountAsync(0);

        // Sam, now the only owner, cannot leave.
        var samPage = await browser.NewPageAsync(app.LiveAddress, width: 360, height: 780);
        await SignInAsync(samPage, "sam@example.com");
        await samPage.GotoAsync("/household");
        await BrowserHelpers.WaitForInteractiveAsync(samPage);
        await samPage.ClickAsync("[data-testid=leave-household]");
        await samPage.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await Expect(samPage.Locator("[data-testid=leave-error]")).ToContainTextAsync("last owner", Live);
        await Expect(samPage.Locator("[data-testid=household-title]")).ToHaveTextAsync(home.Name);

        // On a 360 px phone: /household and /analytics fit without sideways scrolling (screenshots looked at by hand).
        Assert.Equal(0, await samPage.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        await BrowserHelpers.ScreenshotAsync(samPage, "household-switcher-household-phone");
        await samPage.GotoAsync("/analytics?p=month");
        await BrowserHelpers.WaitForInteractiveAsync(samPage);
        await Expect(samPage.Locator("[data-testid=analytics-charts]")).ToBeVisibleAsync();
        await Expect(samPage.Locator("[data-testid=chart-by-category] [data-testid=private-slice]")).ToContainTextAsync("private (1 item)");
        Assert.Equal(0, await samPage.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        var comparison = samPage.Locator("[data-testid=chart-comparison] [data-testid=chart-table]");
        Assert.Equal(0, await comparison.EvaluateAsync<int>("e => e.scrollWidth - e.clientWidth"));
        await BrowserHelpers.ScreenshotAsync(samPage, "household-switcher-analytics-phone");
        foreach (var card in new[] { "chart-trend", "chart-comparison", "chart-payees" })
        {
            await samPage.Locator($"[data-testid={card}]").ScreenshotAsync(new() { Path = Path.Combine(BrowserHelpers.ScreenshotDirectory, $"analytics-{card}-phone.png") });
        }
    }

    private static string MemberLocator(long memberId, string testId) => $"[data-testid=member-row][data-member-id='{memberId}'] [data-testid={testId}]";

    /// <summary>Picks <paramref name="household"/> in the app bar's switcher (unless it is current) and waits for the reload.</summary>
    private static async Task SwitchToAsync(IPage page, Household household)
    {
        var button = page.Locator("[data-testid=household-switcher-button]");
        if ((await button.TextContentAsync())?.Contains(household.Name, StringComparison.Ordinal) == true)
        {
            return;
        }

        await button.ClickAsync();
        await page.ClickAsync($"[data-testid=household-choice][data-household-id='{household.Id}']");
        await Expect(button).ToContainTextAsync(household.Name, Live);
        await BrowserHelpers.WaitForInteractiveAsync(page);
    }

    /// <summary>An existing user joins another household through a real invitation, as a member.</summary>
    private static async Task JoinExistingAsync(TestApp app, long householdId, long ownerMemberId, string ownerUserId, string userId)
    {
        string token;
        await using (var scope = app.ScopeFor(householdId, ownerMemberId, MemberRole.Owner, ownerUserId))
        {
            var created = await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync("olivia@example.com", MemberRole.Member, app.LiveAddress);
            token = created.Link[(created.Link.LastIndexOf('/') + 1)..];
        }

        await using var join = app.Services.CreateAsyncScope();
        await join.ServiceProvider.GetRequiredService<InvitationService>().AcceptAsync(token, userId, "Olivia");
    }

    private static async Task AddExpensesAsync(TestApp app, long householdId, long memberId, string userId, params (string Payee, long AmountMinor, bool IsPrivate)[] expenses)
    {
        await using var scope = app.ScopeFor(householdId, memberId, MemberRole.Owner, userId);
        var service = scope.ServiceProvider.GetRequiredService<ExpenseService>();
        var lookups = await service.GetLookupsAsync();
        var groceries = lookups.Categories.Single(c => c.Name == "Groceries").Id;
        foreach (var (payee, amount, isPrivate) in expenses)
        {
            await service.CreateAsync(Input(lookups.Accounts[0].Id, groceries, amount, payee) with { IsPrivate = isPrivate, PaidByMemberId = memberId });
        }
    }
}
