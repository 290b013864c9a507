using Bunit;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components;

public sealed class ExpenseEditorDialogTests : MudComponentTest
{
    private async Task<IRenderedComponent<MudDialogProvider>> OpenQuickAddAsync() =>
        await ShowDialogAsync(new DialogParameters<ExpenseEditorDialog> { { d => d.Household, Household } });

    [Fact]
    public async Task SavingWithoutAnAmountShowsWhatIsMissingNextToTheField()
    {
        var dialog = await OpenQuickAddAsync();
        dialog.WaitForElement("#expense-form");

        dialog.Find("#expense-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains("Enter an amount.", dialog.Markup, StringComparison.Ordinal));
        Assert.Contains("Choose a category.", dialog.Find("[data-testid=expense-lines-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(0, (await AppServices.GetRequiredService<ExpenseService>().ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 10))).TotalCount);
    }

    [Fact]
    public async Task AZeroAmountIsRejectedWithAClearMessage()
    {
        var dialog = await OpenQuickAddAsync();
        dialog.WaitForElement("#expense-form");
        var groceries = await CategoryIdAsync("Groceries");

        dialog.Find("input#expense-amount").Input("0");
        dialog.Find("#expense-category").Input(groceries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        dialog.Find("#expense-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains("Enter an amount greater than zero.", dialog.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SplitsThatDoNotAddUpToTheAmountAreRejected()
    {
        var dialog = await OpenQuickAddAsync();
        dialog.WaitForElement("#expense-form");
        var groceries = await CategoryIdAsync("Groceries");
        var kids = await CategoryIdAsync("Kids");

        dialog.Find("input#expense-amount").Input("10.00");
        dialog.Find("[data-testid=expense-split-toggle]").Click();
        var categories = dialog.FindAll("[data-testid=expense-split-category]");
        categories[0].Input(groceries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        dialog.FindAll("[data-testid=expense-split-category]")[1].Input(kids.ToString(System.Globalization.CultureInfo.InvariantCulture));
        dialog.FindAll("[data-testid=expense-split-amount]")[0].Input("3.00");
        dialog.FindAll("[data-testid=expense-split-amount]")[1].Input("4.00");
        dialog.Find("#expense-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains("The category splits must add up to the amount.",
            dialog.Find("[data-testid=expense-lines-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal(0, (await AppServices.GetRequiredService<ExpenseService>().ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 10))).TotalCount);
    }

    [Fact]
    public async Task AValidQuickAddIsSavedForTodayInTheDefaultAccountAndClosesTheDialog()
    {
        var dialog = await OpenQuickAddAsync();
        dialog.WaitForElement("#expense-form");
        var groceries = await CategoryIdAsync("Groceries");

        dialog.Find("input#expense-amount").Input("12.50");
        dialog.Find("#expense-category").Input(groceries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        dialog.Find("input#expense-payee").Input("Café Zürich");
        dialog.Find("#expense-form").Submit();

        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("#expense-form")));
        var page = await AppServices.GetRequiredService<ExpenseService>().ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 10));
        var saved = Assert.Single(page.Items);
        Assert.Equal(1250, saved.AmountMinor);
        Assert.Equal("Café Zürich", saved.Payee);
        Assert.Equal("Groceries", Assert.Single(saved.Categories).Name);
        Assert.Equal(new DateOnly(2026, 11, 15), saved.Date);
        Assert.Equal("Cash", saved.Account);
    }

    [Fact]
    public async Task SavingAnEditAfterSomeoneElseChangedTheExpenseShowsTheConflictInsteadOfOverwriting()
    {
        var expenses = AppServices.GetRequiredService<ExpenseService>();
        var groceries = await CategoryIdAsync("Groceries");
        var cash = (await expenses.GetLookupsAsync()).Accounts[0].Id;
        var input = new ExpenseInput { AmountMinor = 500, Date = new DateOnly(2026, 11, 10), AccountId = cash, Payee = "Bakery", Lines = [new LineInput(groceries, 500)] };
        var id = await expenses.CreateAsync(input);

        var dialog = await ShowDialogAsync(new DialogParameters<ExpenseEditorDialog> { { d => d.Household, Household }, { d => d.ExpenseId, id } });
        dialog.WaitForElement("#expense-form");
        await expenses.UpdateAsync(id, 1, input with { Payee = "Their bakery" });

        dialog.Find("input#expense-payee").Input("My bakery");
        dialog.Find("#expense-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains("Someone else changed this expense", dialog.Find("[data-testid=expense-conflict]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Their bakery", (await expenses.GetAsync(id)).Payee);
    }

    private async Task<long> CategoryIdAsync(string name) =>
        (await AppServices.GetRequiredService<ExpenseService>().GetLookupsAsync()).Categories.Single(c => c.Name == name).Id;
}
