using ExpenseTracker.Web.Features.Notifications.Alerts;

namespace ExpenseTracker.Web.Features.Notifications;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>Budget threshold and unusual-expense alerts (a change listener) and the daily category-pace rule.</summary>
    public static WebApplicationBuilder AddNotificationAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SpendingAlerts>();
        builder.Services.AddHostedService<SpendingAlertListener>();
        builder.Services.AddScoped<IPeriodicNotificationRule, CategoryPaceRule>();
        return builder;
    }
}
