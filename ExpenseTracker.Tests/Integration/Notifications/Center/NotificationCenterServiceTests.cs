using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Features.Notifications.Center;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Center;

/// <summary>The notification centre shows and marks only the current member's notifications in the current household.</summary>
public sealed class NotificationCenterServiceTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    private TestApp app = null!;
    private Family family = null!;
    private (long HouseholdId, long MemberId) stranger;

    /// <summary>A new family and a stranger's household in the provider's shared app.</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        app = await apps.ForAsync(provider);
        var prefix = Unique.Prefix();
        family = await Family.CreateAsync(app, prefix);
        var (_, household, memberId) = await app.CreateUserWithHouseholdAsync(prefix + "stranger@example.com");
        stranger = (household.Id, memberId);
    }

    private DateTime Ago(int minutes) => app.Time.GetUtcNow().UtcDateTime.AddMinutes(-minutes);

    private Task<long> AddForAsync(string person, string title, int minutesAgo = 0, bool read = false) =>
        NotificationRows.AddAsync(app, family.HouseholdId, family.Id(person), title, Ago(minutesAgo), read: read);

    private async Task<T> AsAsync<T>(string person, Func<NotificationCenterService, Task<T>> act)
    {
        await using var scope = family.As(person);
        return await act(family.Service<NotificationCenterService>(scope));
    }

    private async Task<DateTime?> ReadAtAsync(long id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Notifications.IgnoreQueryFilters().Where(n => n.Id == id).Select(n => n.ReadAt).SingleAsync();
    }

    [ProviderTheory]
    public async Task AMemberSeesOnlyTheirOwnNotificationsNewestFirstWithTheUnreadCount(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await AddForAsync("Ana", "Water due in 3 days", minutesAgo: 30);
        await AddForAsync("Ana", "Groceries at 80%", minutesAgo: 5);
        await AddForAsync("Ana", "Rent paid", minutesAgo: 60 * 24, read: true);
        await AddForAsync("Ben", "Ben's reminder");
        await NotificationRows.AddAsync(app, stranger.HouseholdId, stranger.MemberId, "Another household's alert");

        var page = await AsAsync("Ana", s => s.GetPageAsync());

        Assert.Equal(["Groceries at 80%", "Water due in 3 days", "Rent paid"], page.Items.Select(i => i.Title));
        Assert.Equal([false, false, true], page.Items.Select(i => i.IsRead));
        Assert.Equal((3, 2), (page.Total, page.UnreadCount));
        Assert.Equal(2, await AsAsync("Ana", s => s.UnreadCountAsync()));
        Assert.Equal(["Ben's reminder"], (await AsAsync("Ben", s => s.GetPageAsync())).Items.Select(i => i.Title));
        Assert.Empty((await AsAsync("Kim", s => s.GetPageAsync())).Items);
    }

    [ProviderTheory]
    public async Task PagesAndTheUnreadFilterCountOnlyWhatTheyList(DatabaseProvider provider)
    {
        await StartAsync(provider);
        for (var i = 0; i < 25; i++)
        {
            await AddForAsync("Vic", $"Notice {i:00}", minutesAgo: 100 - i, read: i % 5 == 0);
        }

        var second = await AsAsync("Vic", s => s.GetPageAsync(page: 2, pageSize: 10));
        Assert.Equal((25, 20, 3), (second.Total, second.UnreadCount, second.PageCount));
        Assert.Equal(Enumerable.Range(5, 10).Reverse().Select(i => $"Notice {i:00}"), second.Items.Select(i => i.Title));

        var unread = await AsAsync("Vic", s => s.GetPageAsync(page: 1, pageSize: 50, unreadOnly: true));
        Assert.Equal(20, unread.Total);
        Assert.Equal(20, unread.Items.Count);
        Assert.All(unread.Items, i => Assert.False(i.IsRead));
    }

    [ProviderTheory]
    public async Task MarkingReadTouchesOnlyTheMembersOwnRowsNeverAnotherMembersOrHouseholds(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var anas = await AddForAsync("Ana", "Ana's");
        var anasOther = await AddForAsync("Ana", "Ana's second");
        var bens = await AddForAsync("Ben", "Ben's");
        var strangers = await NotificationRows.AddAsync(app, stranger.HouseholdId, stranger.MemberId, "Stranger's");

        Assert.False(await AsAsync("Ana", s => s.MarkReadAsync(bens)));
        Assert.False(await AsAsync("Ana", s => s.MarkReadAsync(strangers)));
        Assert.True(await AsAsync("Ana", s => s.MarkReadAsync(anas)));
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, await ReadAtAsync(anas));
        Assert.Null(await ReadAtAsync(anasOther));

        Assert.Equal(1, await AsAsync("Ana", s => s.MarkAllReadAsync()));
        Assert.NotNull(await ReadAtAsync(anasOther));
        Assert.Null(await ReadAtAsync(bens));
        Assert.Null(await ReadAtAsync(strangers));
        Assert.Equal(1, await AsAsync("Ben", s => s.UnreadCountAsync()));
        Assert.Equal(0, await AsAsync("Ana", s => s.MarkAllReadAsync()));
    }

    [ProviderTheory]
    public async Task MarkingReadAnnouncesANotificationsChangeForTheMembersOtherTabs(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await AddForAsync("Kim", "Allowance at 100%");
        var heard = new TaskCompletionSource<HouseholdChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = app.Services.GetRequiredService<HouseholdChangeNotifier>().Subscribe(family.HouseholdId, change =>
        {
            if (change.Kind.HasFlag(HouseholdChangeKind.Notifications))
            {
                heard.TrySetResult(change);
            }

            return Task.CompletedTask;
        });

        Assert.True(await AsAsync("Kim", s => s.MarkReadAsync(id)));

        var change = await heard.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(family.HouseholdId, change.HouseholdId);
    }

    [ProviderTheory]
    public async Task AScopeWithoutAMemberIsRefused(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var scope = app.ScopeFor(family.HouseholdId);
        var center = scope.ServiceProvider.GetRequiredService<NotificationCenterService>();

        await Assert.ThrowsAsync<HouseholdAccessException>(() => center.GetPageAsync());
        await Assert.ThrowsAsync<HouseholdAccessException>(() => center.MarkAllReadAsync());
    }
}
