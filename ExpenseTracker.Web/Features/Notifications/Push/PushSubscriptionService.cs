using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Push;

/// <summary>A browser's subscription as the page's JavaScript reports it (PushSubscription.toJSON()).</summary>
public sealed record BrowserPushSubscription(string Endpoint, string P256dh, string Auth);

/// <summary>The current member's push subscriptions (this browser's, from the settings page).</summary>
public sealed class PushSubscriptionService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, VapidKeys keys, TimeProvider time)
{
    public const int EndpointMaxLength = 1000;

    /// <summary>The key the browser subscribes with (applicationServerKey).</summary>
    public string PublicKey => keys.PublicKey;

    public async Task<bool> IsSubscribedAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PushSubscriptions.AnyAsync(p => p.MemberId == memberId && p.Endpoint == endpoint, cancellationToken);
    }

    /// <summary>Stores (or refreshes the keys of) this browser's subscription for the current member.</summary>
    public async Task SaveAsync(BrowserPushSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var memberId = RequireMember();
        if (!Uri.TryCreate(subscription.Endpoint, UriKind.Absolute, out var endpoint)
            || endpoint.Scheme is not ("https" or "http")
            || subscription.Endpoint.Length > EndpointMaxLength
            || string.IsNullOrWhiteSpace(subscription.P256dh) || subscription.P256dh.Length > 200
            || string.IsNullOrWhiteSpace(subscription.Auth) || subscription.Auth.Length > 100)
        {
            throw new FieldValidationException("Push", "The browser returned a push subscription this app cannot use.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.PushSubscriptions.FirstOrDefaultAsync(p => p.MemberId == memberId && p.Endpoint == subscription.Endpoint, cancellationToken);
        if (existing is null)
        {
            db.PushSubscriptions.Add(new Data.PushSubscription
            {
                MemberId = memberId,
                Endpoint = subscription.Endpoint,
                P256dh = subscription.P256dh,
                Auth = subscription.Auth,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            });
        }
        else
        {
            existing.P256dh = subscription.P256dh;
            existing.Auth = subscription.Auth;
            existing.FailureCount = 0;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RemoveAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.PushSubscriptions.Where(p => p.MemberId == memberId && p.Endpoint == endpoint).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>How many browsers the current member receives push notifications on.</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PushSubscriptions.CountAsync(p => p.MemberId == memberId, cancellationToken);
    }

    private long RequireMember() =>
        scope.MemberId ?? throw new HouseholdAccessException("Push notifications need a signed-in member of a household.");
}
