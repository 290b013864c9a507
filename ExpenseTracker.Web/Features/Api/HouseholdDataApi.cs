namespace ExpenseTracker.Web.Features.Api;

/// <summary>Accounts, categories, tags, members, budgets, bills, monthly totals and imports (helper "api-resources" fills this in).</summary>
public static class HouseholdDataApi
{
    public static RouteGroupBuilder MapHouseholdDataApi(this RouteGroupBuilder api) => api;
}
