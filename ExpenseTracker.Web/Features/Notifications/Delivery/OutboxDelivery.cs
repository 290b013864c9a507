using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Features.Notifications.Email;
using ExpenseTracker.Web.Features.Notifications.Push;
using ExpenseTracker.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Delivery;

/// <summary>
/// Delivers due outbox messages of every household: in-app as a bell notification, email over MailKit, push over Web Push.
/// Runs without a household scope, so it reads with IgnoreQueryFilters and writes with ExecuteUpdate or plain SQL,
/// each write naming the row it changes. A message is first leased (its NextAttemptAt pushed a few minutes ahead in one
/// conditional UPDATE), so two passes, or two instances, never send the same message at once, and a pass that crashed
/// mid-send is retried after the lease. The email's Message-ID comes from the outbox key: a crash between the SMTP
/// server's acceptance and the status update resends at worst the same message with the same Message-ID.
/// </summary>
public sealed class OutboxDelivery(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider time,
    IHouseholdChangePublisher changes,
    NotificationEmailComposer composer,
    SmtpEmailSender email,
    WebPushSender push,
    NotificationLinks links,
    ILogger<OutboxDelivery> logger) : IOutboxDeliverer
{
    /// <summary>What became of one message in this pass.</summary>
    private abstract record Outcome;

    private sealed record Delivered : Outcome;

    private sealed record Skipped(string Reason) : Outcome;

    private sealed record Deferred(DateTime Until) : Outcome;

    private sealed record Failure(string Error) : Outcome;

    /// <summary>An upper bound on batches in one pass, so a pass always ends.</summary>
    private const int MaxBatches = 100;

    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        for (var batch = 0; batch < MaxBatches; batch++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            List<OutboxMessage> due;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                due = await db.OutboxMessages.IgnoreQueryFilters().AsNoTracking()
                    .Where(o => o.Status == OutboxStatus.Pending && o.NextAttemptAt <= now)
                    .OrderBy(o => o.NextAttemptAt).ThenBy(o => o.Id)
                    .Take(DeliveryPolicy.BatchSize)
                    .ToListAsync(cancellationToken);
            }

            foreach (var message in due)
            {
                if (await DeliverOneAsync(message, cancellationToken))
                {
                    handled++;
                }
            }

            if (due.Count < DeliveryPolicy.BatchSize)
            {
                break;
            }
        }

        return handled;
    }

    /// <summary>True when the message reached an end state (delivered, skipped, failed for good).</summary>
    private async Task<bool> DeliverOneAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leased = await db.OutboxMessages.IgnoreQueryFilters()
            .Where(o => o.Id == message.Id && o.Status == OutboxStatus.Pending && o.NextAttemptAt == message.NextAttemptAt)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.NextAttemptAt, now + DeliveryPolicy.Lease), cancellationToken);
        if (leased == 0)
        {
            return false; // another pass took it
        }

        Outcome outcome;
        try
        {
            outcome = await DispatchAsync(db, message, now, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the lease runs out and the next pass retries it
        }
#pragma warning disable CA1031 // Any failure of one message is recorded on it; the others still go.
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = new Failure(e.GetType().Name + ": " + e.Message);
        }

        var row = db.OutboxMessages.IgnoreQueryFilters().Where(o => o.Id == message.Id);
        switch (outcome)
        {
            case Delivered:
                await row.ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Status, OutboxStatus.Delivered)
                    .SetProperty(o => o.DeliveredAt, now)
                    .SetProperty(o => o.LastError, (string?)null), CancellationToken.None);
                return true;
            case Skipped skipped:
                await row.ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Status, OutboxStatus.Skipped)
                    .SetProperty(o => o.LastError, skipped.Reason), CancellationToken.None);
                return true;
            case Deferred deferred:
                await row.ExecuteUpdateAsync(s => s.SetProperty(o => o.NextAttemptAt, deferred.Until), CancellationToken.None);
                return false;
            case Failure failure:
                var attempts = message.Attempts + 1;
                var gaveUp = attempts >= DeliveryPolicy.MaxAttempts;
                var error = failure.Error.Length > 1000 ? failure.Error[..1000] : failure.Error;
                await row.ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Attempts, attempts)
                    .SetProperty(o => o.LastError, error)
                    .SetProperty(o => o.Status, gaveUp ? OutboxStatus.Failed : OutboxStatus.Pending)
                    .SetProperty(o => o.NextAttemptAt, now + DeliveryPolicy.Backoff(attempts)), CancellationToken.None);
                logger.LogWarning("Delivering outbox message {Key} failed (attempt {Attempts}{GaveUp}): {Error}",
                    message.Key, attempts, gaveUp ? ", giving up" : string.Empty, error);
                return gaveUp;
            default:
                throw new InvalidOperationException("Unknown outcome.");
        }
    }

    private async Task<Outcome> DispatchAsync(AppDbContext db, OutboxMessage message, DateTime now, CancellationToken cancellationToken)
    {
        var member = await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.Id == message.MemberId)
            .Select(m => new
            {
                m.HouseholdId, m.LeftAt, m.UserId, m.DisplayName, Email = m.User!.Email,
                HouseholdName = m.Household!.Name, HouseholdZone = m.Household.TimeZoneId,
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (member is null || member.LeftAt is not null || member.UserId is null || member.HouseholdId != message.HouseholdId)
        {
            return new Skipped("the member has left the household");
        }

        var choice = await db.NotificationPreferences.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.MemberId == message.MemberId && p.Type == message.Type && p.Channel == message.Channel)
            .Select(p => (bool?)p.Enabled)
            .FirstOrDefaultAsync(cancellationToken);
        if (!(choice ?? NotificationDefaults.IsEnabled(message.Type, message.Channel)))
        {
            return new Skipped("switched off by the member");
        }

        if (message.Channel == NotificationChannel.InApp)
        {
            return await DeliverInAppAsync(db, message, now, cancellationToken);
        }

        var settings = await db.MemberNotificationSettings.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.MemberId == message.MemberId)
            .Select(s => new { s.TimeZoneId, s.QuietHoursStart, s.QuietHoursEnd })
            .FirstOrDefaultAsync(cancellationToken);
        var zoneId = settings?.TimeZoneId ?? member.HouseholdZone;
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        if (DeliveryPolicy.QuietUntil(now, zone, settings?.QuietHoursStart, settings?.QuietHoursEnd) is { } until)
        {
            return new Deferred(until);
        }

        return message.Channel switch
        {
            NotificationChannel.Email when string.IsNullOrWhiteSpace(member.Email) => new Skipped("the member has no email address"),
            NotificationChannel.Email => await SendEmailAsync(message,
                new EmailRecipient(message.MemberId, member.Email, member.DisplayName, member.HouseholdName), now, cancellationToken),
            NotificationChannel.Push => await SendPushAsync(db, message, now, cancellationToken),
            _ => new Skipped("unknown channel"),
        };
    }

    private async Task<Outcome> DeliverInAppAsync(AppDbContext db, OutboxMessage message, DateTime now, CancellationToken cancellationToken)
    {
        // The notification's key is the outbox key without its channel; ON CONFLICT makes a retried insert a no-op.
        var key = BaseKeyOf(message.Key);
        await db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO "Notifications" ("HouseholdId", "MemberId", "Key", "Type", "Rule", "Title", "Body", "Link", "CreatedAt")
             VALUES ({message.HouseholdId}, {message.MemberId}, {key}, {(int)message.Type}, {message.Rule}, {message.Title}, {message.Body}, {message.Link}, {now})
             ON CONFLICT ("MemberId", "Key") DO NOTHING
             """,
            cancellationToken);
        changes.Publish(new HouseholdChange(message.HouseholdId, HouseholdChangeKind.Notifications, time.GetUtcNow()));
        return new Delivered();
    }

    private async Task<Outcome> SendEmailAsync(OutboxMessage message, EmailRecipient recipient, DateTime now, CancellationToken cancellationToken)
    {
        using var mime = await composer.ComposeAsync(message, recipient, new DateTimeOffset(now, TimeSpan.Zero));
        await email.SendAsync(mime, cancellationToken);
        return new Delivered();
    }

    private async Task<Outcome> SendPushAsync(AppDbContext db, OutboxMessage message, DateTime now, CancellationToken cancellationToken)
    {
        var subscriptions = await db.PushSubscriptions.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.MemberId == message.MemberId)
            .ToListAsync(cancellationToken);
        if (subscriptions.Count == 0)
        {
            return new Skipped("no browser subscribed to push notifications");
        }

        var payload = new PushPayload(message.Title, message.Body, links.To(message.Link).AbsoluteUri, BaseKeyOf(message.Key));
        var delivered = 0;
        var errors = new List<string>();
        foreach (var subscription in subscriptions)
        {
            var (outcome, error) = await push.SendAsync(subscription, payload, cancellationToken);
            var row = db.PushSubscriptions.IgnoreQueryFilters().Where(p => p.Id == subscription.Id);
            switch (outcome)
            {
                case PushOutcome.Delivered:
                    delivered++;
                    await row.ExecuteUpdateAsync(s => s.SetProperty(p => p.LastSuccessAt, now).SetProperty(p => p.FailureCount, 0), CancellationToken.None);
                    break;
                case PushOutcome.Gone:
                    await row.ExecuteDeleteAsync(CancellationToken.None);
                    break;
                default:
                    errors.Add(error ?? "push failed");
                    await row.ExecuteUpdateAsync(s => s.SetProperty(p => p.FailureCount, p => p.FailureCount + 1), CancellationToken.None);
                    break;
            }
        }

        // One browser that took it is enough: retrying would repeat the push on that browser.
        return delivered > 0 ? new Delivered()
            : errors.Count > 0 ? new Failure(string.Join("; ", errors))
            : new Skipped("every push subscription had expired (removed)");
    }

    /// <summary>"bill-due:bill:12:2026-12-01:m3:email" → "bill-due:bill:12:2026-12-01:m3".</summary>
    public static string BaseKeyOf(string outboxKey)
    {
        ArgumentNullException.ThrowIfNull(outboxKey);
        var cut = outboxKey.LastIndexOf(':');
        return cut < 0 ? outboxKey : outboxKey[..cut];
    }
}
