using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.Integration.Rules;

/// <summary>The rules page in Debian's Chromium on a phone and a desktop: readable, no sideways scrolling, accessible.</summary>
public sealed class RulesPageInBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Email = "rules@example.com";
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

    [SkippableTheory]
    [InlineData(360, "rules-phone")]
    [InlineData(1280, "rules-desktop")]
    public async Task TheRulesListFitsTheScreen(int width, string shot)
    {
        browser.RequireBrowser();
        app = TestApp.StartLive();
        var (user, household, memberId) = await app.CreateUserWithHouseholdAsync(Email);
        await using (var scope = app.ScopeFor(household.Id, memberId, MemberRole.Owner, user.Id))
        {
            var categories = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Categories.ToDictionaryAsync(c => c.Name, c => c.Id);
            var rules = scope.ServiceProvider.GetRequiredService<CategoryRuleService>();
            await rules.CreateAsync(new RuleInput(RuleField.Payee, RuleOperator.Contains, "rewe", CategoryId: categories["Groceries"], Tags: "food"));
            await rules.CreateAsync(new RuleInput(RuleField.PayeeOrNotes, RuleOperator.Regex, @"^(shell|aral|esso)\b", MinAmountMinor: 2000, MaxAmountMinor: 15000,
                CategoryId: categories["Transport"], RenamePayee: "Fuel"));
            await rules.CreateAsync(new RuleInput(RuleField.Notes, RuleOperator.Equals, "Monthly subscription for the family streaming plan", CategoryId: categories["Entertainment"], Enabled: false));
        }

        var page = await browser.NewPageAsync(app.LiveAddress, width);
        await BrowserHelpers.SignInAsync(page, Email, Password, returnUrl: "/rules");

        await Expect(page.Locator("[data-testid=rule-row]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=rule-condition]").Nth(1)).ToHaveTextAsync(@"2. Payee or notes matches “^(shell|aral|esso)\b”");
        var scrollsSideways = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(scrollsSideways, $"The rules page scrolls sideways at {width} px.");
        await BrowserHelpers.ScreenshotAsync(page, shot);
        await BrowserHelpers.AssertNoSeriousAccessibilityViolationsAsync(page);
    }
}
