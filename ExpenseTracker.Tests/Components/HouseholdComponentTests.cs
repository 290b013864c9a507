using System.Globalization;
using Bunit;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Dashboard;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components;

public sealed class HouseholdComponentTests : MudComponentTest
{
    private async Task<long> AddMemberAsync(string name, MemberRole role = MemberRole.Member)
    {
        var db = AppServices.GetRequiredService<AppDbContext>();
        var member = new Member { DisplayName = name, Role = role, Color = "#D81B60", JoinedAt = App.Time.GetUtcNow().UtcDateTime };
        db.Members.Add(member);
        await db.SaveChangesAsync();
        return member.Id;
    }

    private async Task<long> CategoryIdAsync(string name) =>
        (await AppServices.GetRequiredService<ExpenseService>().GetLookupsAsync()).Categories.Single(c => c.Name == name).Id;

    [Fact]
    public async Task SplittingEquallyShowsEachShareAndTheRemainderRuleAndSavesTheMemberShares()
    {
        var sam = await AddMemberAsync("Sam");
        var groceries = await CategoryIdAsync("Groceries");
        var dialog = await ShowDialogAsync(new DialogParameters<ExpenseEditorDialog> { { d => d.Household, Household } });
        dialog.WaitForElement("#expense-form");

        dialog.Find("input#expense-amount").Input("10.01");
        dialog.Find("#expense-category").Input(groceries.ToString(CultureInfo.InvariantCulture));
        dialog.Find($"[data-testid=share-member-{Household.MemberId}]").Change(true);
        dialog.Find($"[data-testid=share-member-{sam}]").Change(true);

        // The odd cent goes to the payer (me), and the page says so.
        dialog.WaitForAssertion(() => Assert.Equal(Household.FormatMoney(501), dialog.Find($"[data-testid=share-amount-{Household.MemberId}]").TextContent.Trim()));
        Assert.Equal(Household.FormatMoney(500), dialog.Find($"[data-testid=share-amount-{sam}]").TextContent.Trim());
        Assert.Equal(SplitCalculator.RemainderRule, dialog.Find("[data-testid=share-remainder-rule]").TextContent.Trim());

        dialog.Find("#expense-form").Submit();

        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("#expense-form")));
        var db = AppServices.GetRequiredService<AppDbContext>();
        var shares = await db.MemberShares.AsNoTracking().OrderBy(s => s.MemberId).Select(s => new { s.MemberId, s.AmountMinor }).ToListAsync();
        Assert.Equal([new { MemberId = Household.MemberId, AmountMinor = 501L }, new { MemberId = sam, AmountMinor = 500L }], shares);
    }

    [Fact]
    public async Task PercentagesThatDoNotAddUpToAHundredAreShownAndNothingIsSaved()
    {
        var sam = await AddMemberAsync("Sam");
        var groceries = await CategoryIdAsync("Groceries");
        var dialog = await ShowDialogAsync(new DialogParameters<ExpenseEditorDialog> { { d => d.Household, Household } });
        dialog.WaitForElement("#expense-form");

        dialog.Find("input#expense-amount").Input("20.00");
        dialog.Find("#expense-category").Input(groceries.ToString(CultureInfo.InvariantCulture));
        dialog.Find($"[data-testid=share-member-{Household.MemberId}]").Change(true);
        dialog.Find($"[data-testid=share-member-{sam}]").Change(true);
        dialog.Find("[data-testid=share-mode]").Change(nameof(SplitMethod.Percentages));
        dialog.Find($"[data-testid=share-value-{Household.MemberId}]").Input("70");
        dialog.Find($"[data-testid=share-value-{sam}]").Input("20");
        dialog.Find("#expense-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains("not 100%", dialog.Find("[data-testid=share-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal(0, (await AppServices.GetRequiredService<ExpenseService>().ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 10))).TotalCount);
    }

    [Fact]
    public async Task AViewerSeesNoAddEditOrDeleteButtons()
    {
        var groceries = await CategoryIdAsync("Groceries");
        await AppServices.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
        {
            AmountMinor = 700, Date = new DateOnly(2026, 11, 10), AccountId = (await AppServices.GetRequiredService<ExpenseService>().GetLookupsAsync()).Accounts[0].Id,
            Lines = [new LineInput(groceries, 700)],
        });
        var viewer = Household with { Role = MemberRole.Viewer };
        Render<MudPopoverProvider>();

        var list = Render<ExpensesPage>(p => p.AddCascadingValue(viewer));
        list.WaitForAssertion(() => Assert.Single(list.FindAll("tr.expense-row")));
        Assert.Empty(list.FindAll("[data-testid=edit-expense]"));
        Assert.Empty(list.FindAll("[data-testid=delete-expense]"));
        Assert.Empty(list.FindAll("[data-testid=duplicate-expense]"));

        var dashboard = Render<DashboardPage>(p => p.AddCascadingValue(viewer));
        dashboard.WaitForElement("[data-testid=latest-expense-row]");
        Assert.Empty(dashboard.FindAll("[data-testid=edit-expense]"));
    }

    [Fact]
    public async Task TheHouseholdPageListsMembersAndAnOwnersInvitationGivesACopyableLink()
    {
        await AddMemberAsync("Sam", MemberRole.Child);
        Render<MudPopoverProvider>();
        var page = Render<HouseholdPage>(p => p.AddCascadingValue(Household));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=member-row]").Count));
        Assert.Contains("Sam", page.Find("[data-testid=members]").TextContent, StringComparison.Ordinal);

        page.Find("#invite-email").Input("grandma@example.com");
        page.Find("#invite-role").Change(nameof(MemberRole.Viewer));
        page.Find("[data-testid=invite-form]").Submit();

        page.WaitForElement("[data-testid=invite-link]");
        var link = page.Find("[data-testid=invite-link]").GetAttribute("value");
        Assert.Matches("^http://localhost/invite/[A-Za-z0-9_-]{43}$", link);
        // No SMTP in tests: the page says to pass the link on.
        Assert.NotNull(page.Find("[data-testid=invite-not-sent]"));
        page.WaitForAssertion(() => Assert.Contains("grandma@example.com", page.Find("[data-testid=pending-invitations]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnOwnerSeesNoInviteFormNorMemberActions()
    {
        await AddMemberAsync("Sam");
        Render<MudPopoverProvider>();
        var page = Render<HouseholdPage>(p => p.AddCascadingValue(Household with { Role = MemberRole.Member }));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=member-row]").Count));
        Assert.Empty(page.FindAll("[data-testid=invite-form]"));
        Assert.Empty(page.FindAll("[data-testid=member-remove]"));
        Assert.Empty(page.FindAll("[data-testid=delete-household]"));
    }
}
