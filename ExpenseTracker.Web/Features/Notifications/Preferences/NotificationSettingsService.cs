using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Preferences;

/// <summary>The member's notification choices as the settings page edits them.</summary>
public sealed class NotificationSettingsForm
{
    /// <summary>Every (type, channel) cell that applies (<see cref="NotificationSettingsService.Applies"/>): on or off.</summary>
    public Dictionary<(NotificationType Type, NotificationChannel Channel), bool> Channels { get; init; } = [];

    /// <summary>An IANA id; null follows the household's zone.</summary>
    public string? TimeZoneId { get; set; }
    public TimeOnly? QuietHoursStart { get; set; }
    public TimeOnly? QuietHoursEnd { get; set; }
    public SummaryFrequency Summary { get; set; }

    /// <summary>Read-only: the household's zone, which a null <see cref="TimeZoneId"/> follows.</summary>
    public string HouseholdTimeZoneId { get; init; } = "UTC";
}

/// <summary>
/// The current member's own notification preferences (Settings → Notifications): which types reach them on which channel,
/// their time zone, quiet hours and summary email. Personal, so every role may set them, but only ever for the scope's
/// own member: no method takes a member id. A channel choice equal to <see cref="NotificationDefaults"/> is stored as no
/// row, so "absent = default" holds for everyone who reads the table (the outbox does).
/// </summary>
public sealed class NotificationSettingsService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope)
{
    public static readonly NotificationType[] Types = Enum.GetValues<NotificationType>();
    public static readonly NotificationChannel[] ChannelsInOrder = Enum.GetValues<NotificationChannel>();

    /// <summary>The summary is an email: it has no in-app or push cell.</summary>
    public static bool Applies(NotificationType type, NotificationChannel channel) =>
        type != NotificationType.Summary || channel == NotificationChannel.Email;

    /// <summary>IANA ids this server knows, sorted.</summary>
    public static IReadOnlyList<string> TimeZoneIds { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Where(z => z.HasIanaId).Select(z => z.Id).Order(StringComparer.Ordinal).ToArray();

    public async Task<NotificationSettingsForm> GetAsync(CancellationToken cancellationToken = default)
    {
        var memberId = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var householdZone = await db.Households.Select(h => h.TimeZoneId).SingleAsync(cancellationToken);
        var chosen = await db.NotificationPreferences.AsNoTracking().Where(p => p.MemberId == memberId)
            .ToDictionaryAsync(p => (p.Type, p.Channel), p => p.Enabled, cancellationToken);
        var settings = await db.MemberNotificationSettings.AsNoTracking().SingleOrDefaultAsync(s => s.MemberId == memberId, cancellationToken);
        var channels = new Dictionary<(NotificationType, NotificationChannel), bool>();
        foreach (var type in Types)
        {
            foreach (var channel in ChannelsInOrder.Where(c => Applies(type, c)))
            {
                channels[(type, channel)] = chosen.TryGetValue((type, channel), out var on) ? on : NotificationDefaults.IsEnabled(type, channel);
            }
        }

        return new NotificationSettingsForm
        {
            Channels = channels,
            TimeZoneId = settings?.TimeZoneId,
            QuietHoursStart = settings?.QuietHoursStart,
            QuietHoursEnd = settings?.QuietHoursEnd,
            Summary = settings?.Summary ?? SummaryFrequency.None,
            HouseholdTimeZoneId = householdZone,
        };
    }

    /// <summary>Validates everything first, then writes preferences and settings in one SaveChanges (all or nothing).</summary>
    public async Task SaveAsync(NotificationSettingsForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var memberId = RequireMember();
        var zone = Validate(form);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.NotificationPreferences.Where(p => p.MemberId == memberId).ToDictionaryAsync(p => (p.Type, p.Channel), cancellationToken);
        foreach (var ((type, channel), enabled) in form.Channels)
        {
            if (!Applies(type, channel))
            {
                continue;
            }

            rows.TryGetValue((type, channel), out var row);
            if (enabled == NotificationDefaults.IsEnabled(type, channel))
            {
                if (row is not null)
                {
                    db.NotificationPreferences.Remove(row);
                }
            }
            else if (row is null)
            {
                db.NotificationPreferences.Add(new NotificationPreference { MemberId = memberId, Type = type, Channel = channel, Enabled = enabled });
            }
            else
            {
                row.Enabled = enabled;
            }
        }

        var settings = await db.MemberNotificationSettings.SingleOrDefaultAsync(s => s.MemberId == memberId, cancellationToken);
        if (settings is null)
        {
            settings = new MemberNotificationSettings { MemberId = memberId };
            db.MemberNotificationSettings.Add(settings);
        }

        settings.TimeZoneId = zone;
        settings.QuietHoursStart = form.QuietHoursStart;
        settings.QuietHoursEnd = form.QuietHoursEnd;
        settings.Summary = form.Summary;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Returns the zone to store (null = the household's); throws <see cref="FieldValidationException"/> on bad input.</summary>
    private static string? Validate(NotificationSettingsForm form)
    {
        var zone = string.IsNullOrWhiteSpace(form.TimeZoneId) ? null : form.TimeZoneId.Trim();
        if (zone is not null && !(TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) && found.HasIanaId && found.Id == zone))
        {
            throw new FieldValidationException(nameof(form.TimeZoneId), $"\"{zone}\" is not a time zone this server knows. Pick one from the list, such as Europe/Berlin.");
        }

        if (form.QuietHoursStart.HasValue != form.QuietHoursEnd.HasValue)
        {
            throw new FieldValidationException("QuietHours", "Give quiet hours both a start and an end, or leave both empty.");
        }

        if (form.QuietHoursStart is { } start && start == form.QuietHoursEnd)
        {
            throw new FieldValidationException("QuietHours", "Quiet hours must start and end at different times.");
        }

        if (!Enum.IsDefined(form.Summary))
        {
            throw new FieldValidationException(nameof(form.Summary), "Choose none, weekly or monthly for the summary email.");
        }

        return zone;
    }

    private long RequireMember()
    {
        scope.RequireHousehold();
        return scope.MemberId ?? throw new HouseholdAccessException("Notification settings belong to a member of the household.");
    }
}
