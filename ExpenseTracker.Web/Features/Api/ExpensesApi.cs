namespace ExpenseTracker.Web.Features.Api;

/// <summary><c>/api/v1/expenses</c> and <c>/api/v1/exports</c> (helper "api-expenses" fills this in).</summary>
public static class ExpensesApi
{
    public static RouteGroupBuilder MapExpensesApi(this RouteGroupBuilder api) => api;
}
