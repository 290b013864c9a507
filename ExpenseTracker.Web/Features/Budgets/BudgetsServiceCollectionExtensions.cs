using ExpenseTracker.Web.Features.Analytics;

namespace ExpenseTracker.Web.Features.Budgets;

public static class BudgetsServiceCollectionExtensions
{
    /// <summary>Budgets and the analytics built on them (scoped: they read the request's or circuit's household).</summary>
    public static WebApplicationBuilder AddBudgetsAndAnalytics(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<BudgetService>();
        builder.Services.AddScoped<AnalyticsService>();
        return builder;
    }
}
