namespace ExpenseTracker.Web.Features.Notifications.Delivery;

/// <summary>
/// Configuration <c>App:PublicUrl</c>: the address people open the app at, for links in emails and push notifications.
/// Background jobs have no request to take it from (the identity emails use the request's own address).
/// </summary>
public sealed class AppPublicUrlOptions
{
    public const string Section = "App";

    public string PublicUrl { get; set; } = "http://localhost:5000";
}

/// <summary>Absolute links into the app from its public address.</summary>
public sealed class NotificationLinks(Microsoft.Extensions.Options.IOptions<AppPublicUrlOptions> options)
{
    public Uri Base
    {
        get
        {
            var url = options.Value.PublicUrl;
            return new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
        }
    }

    /// <summary>The app-relative <paramref name="link"/> ("bills?bill=12") made absolute; the home page when none.</summary>
    public Uri To(string? link) => new(Base, (link ?? string.Empty).TrimStart('/'));

    public Uri Unsubscribe(string token) => To("notifications/unsubscribe?token=" + Uri.EscapeDataString(token));
}
