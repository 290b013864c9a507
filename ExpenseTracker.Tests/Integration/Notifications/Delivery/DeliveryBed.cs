using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Notifications;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Delivery;

/// <summary>
/// One household (owner Ana) in a <see cref="TestApp"/>, with the outbox and the deliverer at hand; reads and writes go
/// around the household scope the way the background jobs do.
/// </summary>
internal sealed class DeliveryBed
{
    private DeliveryBed(TestApp app, long householdId, long memberId, string userId)
    {
        App = app;
        HouseholdId = householdId;
        MemberId = memberId;
        UserId = userId;
    }

    public TestApp App { get; }
    public long HouseholdId { get; }
    public long MemberId { get; }
    public string UserId { get; }

    public static async Task<DeliveryBed> CreateAsync(TestApp app, string email = "ana@example.com")
    {
        var (user, household, memberId) = await app.CreateUserWithHouseholdAsync(email);
        return new DeliveryBed(app, household.Id, memberId, user.Id);
    }

    /// <summary>The same household on another app instance over the same data folder (after a restart).</summary>
    public DeliveryBed On(TestApp app) => new(app, HouseholdId, MemberId, UserId);

    /// <summary>Adds a second signed-in member (Ben) straight into the household; returns his member id.</summary>
    public async Task<long> AddMemberAsync(string name, string email, MemberRole role = MemberRole.Member)
    {
        await using var scope = App.ScopeFor(HouseholdId, MemberId, MemberRole.Owner, UserId);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = App.Time.GetUtcNow().UtcDateTime };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var member = new Member { UserId = user.Id, Role = role, DisplayName = name, Color = "#336699", JoinedAt = App.Time.GetUtcNow().UtcDateTime };
        db.Members.Add(member);
        await db.SaveChangesAsync();
        return member.Id;
    }

    public NotificationRequest Request(
        string subject = "bill:1", NotificationType type = NotificationType.BillReminder, DateTime? dueAt = null,
        long? memberId = null, string title = "Water bill due in 3 days", string body = "The water bill (€42.00) is due on 18 Nov.\n\nPay it from the bills page.") =>
        new(HouseholdId, memberId ?? MemberId, type, "bill-due-soon", subject, "2026-11-18", title, body, "bills?bill=1",
            dueAt ?? App.Time.GetUtcNow().UtcDateTime);

    public async Task<int> EnqueueAsync(params NotificationRequest[] requests)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationOutbox>().EnqueueAsync(requests);
    }

    public async Task<int> DeliverAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IOutboxDeliverer>().DeliverDueAsync(CancellationToken.None);
    }

    public async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.OutboxMessages.IgnoreQueryFilters().AsNoTracking().OrderBy(o => o.Id).ToListAsync();
    }

    public async Task<OutboxMessage> OutboxAsync(NotificationChannel channel) =>
        Assert.Single(await OutboxAsync(), o => o.Channel == channel);

    public async Task<List<Notification>> NotificationsAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Notifications.IgnoreQueryFilters().AsNoTracking().OrderBy(n => n.Id).ToListAsync();
    }

    public async Task<bool?> PreferenceAsync(NotificationType type, NotificationChannel channel)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.NotificationPreferences.IgnoreQueryFilters()
            .Where(p => p.MemberId == MemberId && p.Type == type && p.Channel == channel)
            .Select(p => (bool?)p.Enabled).SingleOrDefaultAsync();
    }

    /// <summary>Writes member settings or preferences as the member's own settings page would (scoped to the household).</summary>
    public async Task SaveAsync(object entity, long? memberId = null)
    {
        await using var scope = App.ScopeFor(HouseholdId, memberId ?? MemberId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Add(entity);
        await db.SaveChangesAsync();
    }

    public Task SetPreferenceAsync(NotificationType type, NotificationChannel channel, bool enabled, long? memberId = null) =>
        SaveAsync(new NotificationPreference { MemberId = memberId ?? MemberId, Type = type, Channel = channel, Enabled = enabled }, memberId);

    public async Task MarkLeftAsync(long memberId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Members.IgnoreQueryFilters().Where(m => m.Id == memberId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeftAt, App.Time.GetUtcNow().UtcDateTime));
    }

    public AsyncServiceScope MemberScope() => App.ScopeFor(HouseholdId, MemberId, MemberRole.Owner, UserId);
}
