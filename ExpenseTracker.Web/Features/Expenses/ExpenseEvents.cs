namespace ExpenseTracker.Web.Features.Expenses;

/// <summary>
/// Tells the pages of one circuit that expenses changed (quick add, undo), so the list and the dashboard reload.
/// Scoped: one per circuit, never shared between users.
/// </summary>
public sealed class ExpenseEvents
{
    public event Func<Task>? Changed;

    public async Task NotifyChangedAsync()
    {
        if (Changed is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<Task>>())
            {
                await handler();
            }
        }
    }
}
