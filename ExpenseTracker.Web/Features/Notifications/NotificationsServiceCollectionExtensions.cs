using ExpenseTracker.Web.Features.Notifications.Delivery;

namespace ExpenseTracker.Web.Features.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>The outbox every notification goes through; jobs and listeners resolve it in a scope of their own.</summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddScoped<NotificationOutbox>();
        builder.Services.AddNotificationDelivery();
        builder.Services.AddScoped<Center.NotificationCenterService>();
        builder.Services.AddScoped<Preferences.NotificationSettingsService>();
        return builder;
    }
}
