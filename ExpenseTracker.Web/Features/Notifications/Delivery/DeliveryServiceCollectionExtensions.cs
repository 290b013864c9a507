using ExpenseTracker.Web.Features.Notifications.Email;
using ExpenseTracker.Web.Features.Notifications.Push;
using ExpenseTracker.Web.Features.Notifications.Unsubscribe;
using ExpenseTracker.Web.Infrastructure.Email;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExpenseTracker.Web.Features.Notifications.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>Outbox delivery (in-app, email, push), unsubscribe links, VAPID keys, push subscriptions, the admin's outbox view.</summary>
    public static IServiceCollection AddNotificationDelivery(this IServiceCollection services)
    {
        services.AddOptions<AppPublicUrlOptions>().BindConfiguration(AppPublicUrlOptions.Section);
        services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section);
        services.AddSingleton<NotificationLinks>();
        services.AddSingleton<UnsubscribeTokens>();
        services.AddSingleton<NotificationEmailComposer>();
        services.AddSingleton<VapidKeys>();
        services.AddSingleton<WebPushSender>();
        services.TryAddSingleton<SmtpEmailSender>();
        services.AddScoped<IOutboxDeliverer, OutboxDelivery>();
        services.AddScoped<UnsubscribeService>();
        services.AddScoped<PushSubscriptionService>();
        services.AddScoped<OutboxStatusService>();
        return services;
    }
}
