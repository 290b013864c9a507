using ExpenseTracker.Web.Infrastructure;
using MudBlazor;

namespace ExpenseTracker.Web.Features.Expenses;

/// <summary>
/// The expense actions shared by the shell, the list, the dashboard and the editor: open the editor, duplicate,
/// delete with an Undo snackbar. Each tells <see cref="ExpenseEvents"/> so the visible pages reload.
/// </summary>
public sealed class ExpenseActions(ExpenseService expenses, ExpenseEvents events, IDialogService dialogs, ISnackbar snackbar, TimeProvider time)
{
    /// <summary>Opens the editor for a new expense (<paramref name="expenseId"/> null) or an existing one; true when something was saved.</summary>
    public async Task<bool> OpenEditorAsync(HouseholdInfo household, long? expenseId)
    {
        ExpenseDetails? details = null;
        try
        {
            details = expenseId is { } id ? await expenses.GetAsync(id) : null;
        }
        catch (NotFoundException e)
        {
            snackbar.Add(e.Message, Severity.Error);
            return false;
        }

        var parameters = new DialogParameters<ExpenseEditorDialog>
        {
            { d => d.Household, household },
            { d => d.ExpenseId, expenseId },
            { d => d.Lookups, await expenses.GetLookupsAsync() },
            { d => d.Details, details },
            { d => d.Payees, await expenses.SearchPayeesAsync(null, 200) },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, BackdropClick = false, DefaultFocus = DefaultFocus.FirstChild };
        var dialog = await dialogs.ShowAsync<ExpenseEditorDialog>(expenseId is null ? "Add expense" : "Edit expense", parameters, options);
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    public async Task DuplicateAsync(HouseholdInfo household, long id)
    {
        try
        {
            await expenses.DuplicateAsync(id, household.Today(time));
            snackbar.Add("Copied to today.", Severity.Success);
            await events.NotifyChangedAsync();
        }
        catch (Exception e) when (e is NotFoundException or HouseholdAccessException or ExpenseValidationException)
        {
            snackbar.Add(e.Message, Severity.Error);
        }
    }

    public async Task DeleteWithUndoAsync(long id)
    {
        try
        {
            await expenses.DeleteAsync(id);
        }
        catch (Exception e) when (e is NotFoundException or HouseholdAccessException)
        {
            snackbar.Add(e.Message, Severity.Error);
            return;
        }

        snackbar.Add("Expense deleted.", Severity.Normal, options =>
        {
            options.Action = "Undo";
            options.ActionColor = Color.Inherit;
            options.ActionVariant = Variant.Outlined;
            options.VisibleStateDuration = 10_000;
            options.OnClick = _ => RestoreAsync(id);
        });
        await events.NotifyChangedAsync();
    }

    private async Task RestoreAsync(long id)
    {
        try
        {
            await expenses.RestoreAsync(id);
            snackbar.Add("Expense restored.", Severity.Success);
            await events.NotifyChangedAsync();
        }
        catch (Exception e) when (e is NotFoundException or HouseholdAccessException)
        {
            snackbar.Add(e.Message, Severity.Error);
        }
    }
}
