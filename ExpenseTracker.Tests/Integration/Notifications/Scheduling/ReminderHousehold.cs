using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Notifications.Scheduling;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Scheduling;

/// <summary>
/// A household in Europe/Berlin (EUR, en-US) whose people joined through real invitations, with helpers to add bills,
/// pay them, set a member's zone and run the reminder tick as the Quartz job would.
/// </summary>
internal sealed class ReminderHousehold
{
    private static readonly Uri BaseUri = new("http://localhost/");

    private ReminderHousehold(TestHousehold home) => Home = home;

    public TestHousehold Home { get; }
    public TestApp App => Home.App;
    public long Id => Home.Id;
    public Dictionary<string, (long MemberId, string UserId, MemberRole Role)> People { get; } = new(StringComparer.Ordinal);

    public long Member(string name) => People[name].MemberId;

    public static async Task<ReminderHousehold> CreateAsync(TestApp app, string ownerName = "Ana")
    {
        var home = await TestHousehold.CreateAsync(app, ownerName.ToLowerInvariant() + "@example.com");
        var household = new ReminderHousehold(home);
        household.People[ownerName] = (home.OwnerMemberId, home.OwnerUserId, MemberRole.Owner);
        return household;
    }

    public AsyncServiceScope As(string name)
    {
        var (memberId, userId, role) = People[name];
        return App.ScopeFor(Id, memberId, role, userId);
    }

    public async Task<long> JoinAsync(string name, MemberRole role, string? timeZoneId = null)
    {
        var owner = People.First(p => p.Value.Role == MemberRole.Owner).Key;
        var email = name.ToLowerInvariant() + "@example.com";
        string link;
        await using (var scope = As(owner))
        {
            link = (await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync(email, role, BaseUri)).Link;
        }

        await using (var anonymous = App.Services.CreateAsyncScope())
        {
            var users = anonymous.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = App.Time.GetUtcNow().UtcDateTime };
            Assert.True((await users.CreateAsync(user)).Succeeded);
            var joined = await anonymous.ServiceProvider.GetRequiredService<InvitationService>().AcceptAsync(link[(link.LastIndexOf('/') + 1)..], user.Id, name);
            People[name] = (joined.MemberId, user.Id, role);
        }

        if (timeZoneId is not null)
        {
            await SetSettingsAsync(name, s => s.TimeZoneId = timeZoneId);
        }

        return People[name].MemberId;
    }

    public async Task SetSettingsAsync(string name, Action<MemberNotificationSettings> change)
    {
        await using var scope = As(name);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var memberId = Member(name);
        var settings = await db.MemberNotificationSettings.FirstOrDefaultAsync(s => s.MemberId == memberId);
        if (settings is null)
        {
            settings = new MemberNotificationSettings { MemberId = memberId };
            db.MemberNotificationSettings.Add(settings);
        }

        change(settings);
        await db.SaveChangesAsync();
    }

    public async Task SetPreferenceAsync(string name, NotificationType type, NotificationChannel channel, bool enabled)
    {
        await using var scope = As(name);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.NotificationPreferences.Add(new NotificationPreference { MemberId = Member(name), Type = type, Channel = channel, Enabled = enabled });
        await db.SaveChangesAsync();
    }

    public async Task<long> AddBillAsync(BillInput input)
    {
        await using var scope = As(People.First(p => p.Value.Role == MemberRole.Owner).Key);
        return await scope.ServiceProvider.GetRequiredService<BillService>().AddAsync(input with { AccountId = Home.CashAccountId });
    }

    public BillInput Bill(string name, BillScheduleKind kind, DateOnly start, int lead = 3, int? day = null, int interval = 1, int? month = null, DateOnly? end = null, long? owner = null) => new()
    {
        Name = name,
        Payee = name + " Ltd",
        CategoryId = Home.Categories["Utilities"],
        AmountMinor = 42_50,
        Kind = kind,
        Interval = interval,
        DayOfMonth = day,
        Month = month,
        Start = start,
        End = end,
        ReminderLeadDays = lead,
        OwnerMemberId = owner,
    };

    public async Task PayAsync(long billId)
    {
        await using var scope = As(People.First(p => p.Value.Role == MemberRole.Owner).Key);
        await scope.ServiceProvider.GetRequiredService<BillService>().MarkPaidAsync(billId);
    }

    public async Task ArchiveAsync(long billId)
    {
        await using var scope = As(People.First(p => p.Value.Role == MemberRole.Owner).Key);
        await scope.ServiceProvider.GetRequiredService<BillService>().SetArchivedAsync(billId, true);
    }

    /// <summary>What the reminder tick job does when Quartz fires it, at the fake clock's now.</summary>
    public async Task<int> TickAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReminderTick>().RunAsync();
    }

    public async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.OutboxMessages.IgnoreQueryFilters().AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }
}
