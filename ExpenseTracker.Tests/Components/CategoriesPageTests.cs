using Bunit;
using ExpenseTracker.Web.Features.Categories;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components;

public sealed class CategoriesPageTests : MudComponentTest
{
    [Fact]
    public async Task DeletingAUsedCategoryMovesItsExpensesToTheChosenOne()
    {
        var expenses = AppServices.GetRequiredService<ExpenseService>();
        var lookups = await expenses.GetLookupsAsync();
        var kids = lookups.Categories.Single(c => c.Name == "Kids").Id;
        var gifts = lookups.Categories.Single(c => c.Name == "Gifts").Id;
        await expenses.CreateAsync(new ExpenseInput { AmountMinor = 900, Date = new DateOnly(2026, 11, 2), AccountId = lookups.Accounts[0].Id, Lines = [new LineInput(kids, 900)] });

        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<CategoriesPage>(p => p.AddCascadingValue(Household));
        page.WaitForElement($"[data-category-id='{kids}']");

        page.Find($"[data-category-id='{kids}'] [data-testid=delete-category]").Click();
        dialogs.WaitForElement("[data-testid=category-move-to]").Change(gifts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        dialogs.Find("[data-testid=category-delete-confirm]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-category-id='{kids}']")));
        var moved = Assert.Single((await expenses.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 10))).Items);
        Assert.Equal("Gifts", Assert.Single(moved.Categories).Name);
    }

    [Fact]
    public async Task AnUnusedCategoryIsDeletedWithoutAskingWhereItsExpensesGo()
    {
        var categories = AppServices.GetRequiredService<CategoryService>();
        var id = await categories.CreateAsync(new CategoryInput("Pets", CategoryService.Palette[3], "Pets"));

        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<CategoriesPage>(p => p.AddCascadingValue(Household));
        page.WaitForElement($"[data-category-id='{id}']");

        page.Find($"[data-category-id='{id}'] [data-testid=delete-category]").Click();
        dialogs.WaitForElement("[data-testid=category-delete-confirm]");
        Assert.Empty(dialogs.FindAll("[data-testid=category-move-to]"));
        dialogs.Find("[data-testid=category-delete-confirm]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-category-id='{id}']")));
        Assert.DoesNotContain(await categories.ListAsync(), c => c.Id == id);
    }
}
