using System.Globalization;
using Bunit;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Import.Rules;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components;

public sealed class RulesPageTests : MudComponentTest
{
    private CategoryRuleService? pageRules;

    public override Task InitializeAsync()
    {
        // The page's service is resolved at first render, as the owner's unless RenderPage chose another role.
        Services.AddSingleton(_ => pageRules ?? OwnerRules);
        return base.InitializeAsync();
    }

    private CategoryRuleService OwnerRules => AppServices.GetRequiredService<CategoryRuleService>();

    private async Task<long> CategoryAsync(string name) =>
        (await AppServices.GetRequiredService<ExpenseService>().GetLookupsAsync()).Categories.Single(c => c.Name == name).Id;

    /// <summary>Renders the page as the owner, or as someone with <paramref name="role"/> in the same household.</summary>
    private (IRenderedComponent<RulesPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) RenderPage(MemberRole role = MemberRole.Owner)
    {
        var rules = OwnerRules;
        var household = Household;
        if (role != MemberRole.Owner)
        {
            // The scope lives as long as the app under test, which disposes with the test.
            rules = App.ScopeFor(Household.Id, Household.MemberId, role).ServiceProvider.GetRequiredService<CategoryRuleService>();
            household = Household with { Role = role };
        }

        pageRules = rules;
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        return (Render<RulesPage>(p => p.AddCascadingValue(household)), dialogs);
    }

    [Fact]
    public async Task AnOwnerAddsARuleInTheDialogAndSeesItListed()
    {
        var groceries = await CategoryAsync("Groceries");
        var (page, dialogs) = RenderPage();
        page.WaitForElement("[data-testid=rules-empty]");

        page.Find("[data-testid=add-rule]").Click();
        dialogs.WaitForElement("#rule-pattern").Input("rewe");
        dialogs.Find("#rule-max").Change("80.00");
        dialogs.Find("[data-testid=rule-category]").Change(groceries.ToString(CultureInfo.InvariantCulture));
        dialogs.Find("#rule-tags").Change("food, weekly");
        dialogs.Find("[data-testid=rule-form]").Submit();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=rule-row]")));
        Assert.Equal("1. Payee contains “rewe”", page.Find("[data-testid=rule-condition]").TextContent.Trim());
        Assert.Contains("→ Groceries", page.Find("[data-testid=rule-action]").TextContent, StringComparison.Ordinal);
        var saved = Assert.Single(await OwnerRules.ListAsync());
        Assert.Equal((8000L, "food, weekly"), (saved.MaxAmountMinor, saved.Tags));
    }

    [Fact]
    public async Task AnInvalidRegexIsShownInTheDialogAndNothingIsSaved()
    {
        var (page, dialogs) = RenderPage();
        page.WaitForElement("[data-testid=rules-empty]");

        page.Find("[data-testid=add-rule]").Click();
        dialogs.WaitForElement("[data-testid=rule-operator]").Change(nameof(RuleOperator.Regex));
        dialogs.Find("#rule-pattern").Input("(unclosed");
        dialogs.Find("[data-testid=rule-category]").Change((await CategoryAsync("Other")).ToString(CultureInfo.InvariantCulture));
        dialogs.Find("[data-testid=rule-form]").Submit();

        dialogs.WaitForAssertion(() => Assert.Contains("regular expression is not valid", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(await OwnerRules.ListAsync());
    }

    [Fact]
    public async Task MovingARuleDownChangesWhichIsTriedFirst()
    {
        var other = await CategoryAsync("Other");
        var first = await OwnerRules.CreateAsync(new RuleInput(RuleField.Payee, RuleOperator.Contains, "first", CategoryId: other));
        var second = await OwnerRules.CreateAsync(new RuleInput(RuleField.Notes, RuleOperator.Equals, "second", CategoryId: other));
        var (page, _) = RenderPage();
        page.WaitForElement($"[data-rule-id='{first}']");

        page.Find($"[data-rule-id='{first}'] [data-testid=rule-down]").Click();

        page.WaitForAssertion(() => Assert.Equal(
            [second.ToString(CultureInfo.InvariantCulture), first.ToString(CultureInfo.InvariantCulture)],
            page.FindAll("[data-testid=rule-row]").Select(r => r.GetAttribute("data-rule-id"))));
        Assert.Equal([second, first], (await OwnerRules.ListAsync()).Select(r => r.Id));
    }

    [Fact]
    public async Task ApplyingToExistingExpensesAsksFirstThenChangesThem()
    {
        var expenses = AppServices.GetRequiredService<ExpenseService>();
        var lookups = await expenses.GetLookupsAsync();
        var other = lookups.Categories.Single(c => c.Name == "Other").Id;
        var entertainment = lookups.Categories.Single(c => c.Name == "Entertainment").Id;
        await expenses.CreateAsync(new ExpenseInput { AmountMinor = 1299, Date = new DateOnly(2026, 11, 2), Payee = "NETFLIX.COM", AccountId = lookups.Accounts[0].Id, Lines = [new LineInput(other, 1299)] });
        await OwnerRules.CreateAsync(new RuleInput(RuleField.Payee, RuleOperator.Contains, "netflix", CategoryId: entertainment));
        var (page, dialogs) = RenderPage();
        page.WaitForElement("[data-testid=rule-row]");

        page.Find("[data-testid=apply-rules]").Click();
        var apply = dialogs.WaitForElement("button:not([disabled])", TimeSpan.FromSeconds(5));
        Assert.Contains("cannot be undone in one step", dialogs.Markup, StringComparison.Ordinal);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Apply").Click();

        await page.WaitForAssertionAsync(async () =>
        {
            var listed = Assert.Single((await expenses.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 10))).Items);
            Assert.Equal("Entertainment", Assert.Single(listed.Categories).Name);
        });
    }

    [Theory]
    [InlineData(MemberRole.Viewer, "[data-testid=rule-row]")]
    [InlineData(MemberRole.Child, "[data-testid=rules-refused]")]
    public async Task ViewersSeeTheRulesReadOnlyAndChildrenAreToldTheyAreNotForThem(MemberRole role, string shown)
    {
        await OwnerRules.CreateAsync(new RuleInput(RuleField.Payee, RuleOperator.Contains, "rewe", CategoryId: await CategoryAsync("Groceries")));

        var (page, _) = RenderPage(role);

        page.WaitForElement(shown);
        Assert.Empty(page.FindAll("[data-testid=add-rule], [data-testid=apply-rules], [data-testid=edit-rule], [data-testid=delete-rule], [data-testid=rule-up], [data-testid=rule-down]"));
        Assert.Equal(role == MemberRole.Viewer, page.FindAll("[data-testid=rule-row]").Count == 1);
    }
}
