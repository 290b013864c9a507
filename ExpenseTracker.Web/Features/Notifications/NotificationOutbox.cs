using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications;

/// <summary>
/// Something a rule found due for one member: "the water bill is due in 3 days". <see cref="Subject"/> names the thing
/// ("bill:12", "budget:4") and <see cref="Period"/> the occurrence ("2026-12-01", "2026-12"), so the same reminder for the
/// same occurrence always has the same key, however often or wherever it is produced.
/// </summary>
public sealed record NotificationRequest(
    long HouseholdId,
    long MemberId,
    NotificationType Type,
    string Rule,
    string Subject,
    string Period,
    string Title,
    string Body,
    string? Link,
    DateTime DueAtUtc)
{
    /// <summary>"{rule}:{subject}:{period}:m{member}" — the in-app notification's key.</summary>
    public string BaseKey => $"{Rule}:{Subject}:{Period}:m{MemberId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The outbox key of one channel's message (unique in the outbox; the email's Message-ID).</summary>
    public string KeyFor(NotificationChannel channel) => $"{BaseKey}:{ChannelName(channel)}";

    public static string ChannelName(NotificationChannel channel) => channel switch
    {
        NotificationChannel.InApp => "app",
        NotificationChannel.Email => "email",
        NotificationChannel.Push => "push",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };
}

/// <summary>"There is something in the outbox": the delivery job runs now instead of at its next tick.</summary>
public sealed class OutboxSignal
{
    public event Action? Woken;

    public void Wake() => Woken?.Invoke();
}

/// <summary>
/// Writes notification requests to the outbox, one message per channel the member has on, each at most once ever
/// (INSERT … ON CONFLICT (Key) DO NOTHING), then wakes delivery. Runs outside any household scope (jobs and listeners
/// cover every household), so it writes with SQL rather than through the scoped context.
/// </summary>
public sealed class NotificationOutbox(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, OutboxSignal signal)
{
    private static readonly NotificationChannel[] Channels = Enum.GetValues<NotificationChannel>();

    /// <summary>Returns how many outbox messages were new.</summary>
    public async Task<int> EnqueueAsync(IReadOnlyCollection<NotificationRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var memberIds = requests.Select(r => r.MemberId).Distinct().ToList();
        var activeMembers = (await db.Members.IgnoreQueryFilters()
                .Where(m => memberIds.Contains(m.Id) && m.LeftAt == null && m.UserId != null)
                .Select(m => new { m.Id, m.HouseholdId })
                .ToListAsync(cancellationToken))
            .ToDictionary(m => m.Id, m => m.HouseholdId);
        var choices = (await db.NotificationPreferences.IgnoreQueryFilters()
                .Where(p => memberIds.Contains(p.MemberId))
                .ToListAsync(cancellationToken))
            .ToDictionary(p => (p.MemberId, p.Type, p.Channel), p => p.Enabled);

        var now = time.GetUtcNow().UtcDateTime;
        var added = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var request in requests)
        {
            if (!activeMembers.TryGetValue(request.MemberId, out var householdId) || householdId != request.HouseholdId)
            {
                continue; // left the household, never signed in, or a producer's mistake: nobody to tell
            }

            foreach (var channel in Channels)
            {
                var enabled = choices.TryGetValue((request.MemberId, request.Type, channel), out var chosen)
                    ? chosen
                    : NotificationDefaults.IsEnabled(request.Type, channel);
                if (!enabled)
                {
                    continue;
                }

                var key = request.KeyFor(channel);
                // A DateTime parameter of unspecified kind would reach PostgreSQL as a timestamp in the session's zone.
                var due = DateTime.SpecifyKind(request.DueAtUtc, DateTimeKind.Utc);
                added += await db.Database.ExecuteSqlAsync(
                    $"""
                    INSERT INTO "OutboxMessages" ("HouseholdId", "MemberId", "Key", "Type", "Channel", "Rule", "Title", "Body", "Link", "CreatedAt", "DueAt", "Status", "Attempts", "NextAttemptAt")
                    VALUES ({request.HouseholdId}, {request.MemberId}, {key}, {(int)request.Type}, {(int)channel}, {request.Rule}, {request.Title}, {request.Body}, {request.Link}, {now}, {due}, {(int)OutboxStatus.Pending}, 0, {due})
                    ON CONFLICT ("Key") DO NOTHING
                    """,
                    cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (added > 0)
        {
            signal.Wake();
        }

        return added;
    }
}
