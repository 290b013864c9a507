namespace ExpenseTracker.Web.Features.Expenses;

public static class ExpensesServiceCollectionExtensions
{
    public static WebApplicationBuilder AddExpenses(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ExpenseService>();
        builder.Services.AddScoped<ExpenseEvents>();
        builder.Services.AddScoped<ExpenseActions>();
        builder.Services.AddScoped<ExpenseTracker.Web.Features.Search.SavedSearchService>();
        builder.Services.AddScoped<ExpenseTracker.Web.Features.Households.HouseholdProvisioning>();
        return builder;
    }
}
