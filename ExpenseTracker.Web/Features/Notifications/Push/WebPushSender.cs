using System.Net;
using System.Text.Json;
using ExpenseTracker.Web.Data;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using WebPushSubscription = Lib.Net.Http.WebPush.PushSubscription;

namespace ExpenseTracker.Web.Features.Notifications.Push;

/// <summary>Configuration section <c>Push</c>.</summary>
public sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>The VAPID "sub" claim: a contact for push services ("mailto:admin@example.org" or an https URL).</summary>
    public string Subject { get; set; } = "mailto:admin@localhost";

    /// <summary>How long a push service keeps an undelivered message for an offline browser.</summary>
    public int TimeToLiveSeconds { get; set; } = 24 * 60 * 60;
}

/// <summary>What the service worker shows (wwwroot/sw.js reads these names).</summary>
public sealed record PushPayload(string Title, string Body, string Url, string Tag);

/// <summary>How one subscription took a push.</summary>
public enum PushOutcome
{
    Delivered,
    /// <summary>404/410: the browser dropped the subscription; it should be removed.</summary>
    Gone,
    Failed,
}

/// <summary>Sends encrypted Web Push messages (RFC 8291, aes128gcm) with VAPID authentication (RFC 8292).</summary>
public sealed class WebPushSender : IDisposable
{
    private readonly HttpClient http;
    private readonly PushServiceClient client;
    private readonly Lazy<VapidAuthentication> authentication;
    private readonly PushOptions options;

    public WebPushSender(VapidKeys keys, Microsoft.Extensions.Options.IOptions<PushOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        http = new HttpClient(new OriginAudienceHandler(() => authentication!.Value)) { Timeout = TimeSpan.FromSeconds(30) };
        client = new PushServiceClient(http) { DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid };
        authentication = new Lazy<VapidAuthentication>(() => new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = this.options.Subject });
    }

    public static string Serialize(PushPayload payload) => JsonSerializer.Serialize(payload, JsonSerializerOptions.Web);

    public async Task<(PushOutcome Outcome, string? Error)> SendAsync(Data.PushSubscription subscription, PushPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var target = new WebPushSubscription { Endpoint = subscription.Endpoint };
        target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
        target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
        var message = new PushMessage(Serialize(payload))
        {
            TimeToLive = options.TimeToLiveSeconds,
            Topic = null,
            Urgency = PushMessageUrgency.Normal,
        };

        try
        {
            await client.RequestPushMessageDeliveryAsync(target, message, authentication.Value, cancellationToken);
            return (PushOutcome.Delivered, null);
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return (PushOutcome.Gone, $"{(int)e.StatusCode}: subscription expired");
        }
        catch (PushServiceClientException e)
        {
            return (PushOutcome.Failed, $"push service answered {(int)e.StatusCode}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return (PushOutcome.Failed, "push service unreachable: " + e.Message);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (PushOutcome.Failed, "push service timed out: " + e.Message);
        }
    }

    /// <summary>
    /// The library signs the VAPID token for scheme://host and drops a non-default port; RFC 8292 wants the endpoint's
    /// origin, port included (push services on 443 are unaffected, a self-hosted one on another port is not).
    /// </summary>
    private sealed class OriginAudienceHandler(Func<VapidAuthentication> vapid) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { IsDefaultPort: false } uri
                && string.Equals(request.Headers.Authorization?.Scheme, "vapid", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                    "vapid", vapid().GetVapidSchemeAuthenticationHeaderValueParameter(uri.GetLeftPart(UriPartial.Authority)));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    public void Dispose()
    {
        if (authentication.IsValueCreated)
        {
            authentication.Value.Dispose();
        }

        http.Dispose();
    }
}
