using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Households;

public sealed class ActivityTests : IAsyncLifetime
{
    private TestApp app = null!;
    private Family family = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        family = await Family.CreateAsync(app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    private async Task<ActivityPage> FeedAsync(string who, int take = 50)
    {
        await using var scope = family.As(who);
        return await scope.ServiceProvider.GetRequiredService<ActivityService>().ListAsync(0, take);
    }

    private async Task ChangeAmountAsync(string who, long transactionId, long amount)
    {
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await using var scope = family.As(who);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var transaction = await db.Transactions.SingleAsync(t => t.Id == transactionId);
        transaction.AmountMinor = amount;
        await db.SaveChangesAsync();
    }

    [ProviderTheory]
    public async Task TheFeedSaysWhoAddedAndChangedWhatNewestFirstWithBeforeAndAfter(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var expense = await family.AddAsync("Ben", 1250);
        await ChangeAmountAsync("Ben", expense, 1500);

        var feed = await FeedAsync("Vic");

        Assert.Equal("Ben changed an expense of EUR 15.00", feed.Items[0].Summary);
        var change = Assert.Single(feed.Items[0].Changes);
        Assert.Equal(("AmountMinor", "EUR 12.50", "EUR 15.00"), (change.Field, change.Before, change.After));
        Assert.Equal("Ben added an expense of EUR 12.50", feed.Items[1].Summary);
        Assert.Contains(feed.Items, e => e.Summary == "Kim joined the household");
        Assert.Contains(feed.Items, e => e.Summary == "ana made Olga an owner");
    }

    [ProviderTheory]
    public async Task OthersSeeThatAPrivateExpenseChangedButNoDetails(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var secret = await family.AddAsync("Ben", 4200, isPrivate: true);
        await ChangeAmountAsync("Ben", secret, 4300);

        var entry = (await FeedAsync("Ana")).Items[0];
        Assert.Equal("Ben changed a private transaction", entry.Summary);
        Assert.Empty(entry.Changes);
        Assert.DoesNotContain("42", string.Join(" ", (await FeedAsync("Ana")).Items.Select(e => e.Summary)));

        Assert.Equal("Ben changed an expense of EUR 43.00", (await FeedAsync("Ben")).Items[0].Summary);
    }

    [ProviderTheory]
    public async Task AChildSeesOnlyEntriesAboutTheirOwnTransactions(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await family.AddAsync("Ana", 1000);
        await family.AddAsync("Kim", 300);

        var feed = await FeedAsync("Kim");

        var entry = Assert.Single(feed.Items);
        Assert.Equal("Kim added an expense of EUR 3.00", entry.Summary);
    }

    [ProviderTheory]
    public async Task OnlyOwnersSeeInvitationsInTheFeed(DatabaseProvider provider)
    {
        await StartAsync(provider);
        Assert.Contains((await FeedAsync("Ana")).Items, e => e.Summary == "ana invited ben@example.com as a member");
        Assert.DoesNotContain((await FeedAsync("Ben")).Items, e => e.Entity == nameof(Invitation));
    }

    [ProviderTheory]
    public async Task TheFeedIsPaged(DatabaseProvider provider)
    {
        await StartAsync(provider);
        for (var i = 0; i < 5; i++)
        {
            await family.AddAsync("Ana", 100 + i);
        }

        var first = await FeedAsync("Ana", take: 3);
        Assert.Equal(3, first.Items.Count);
        Assert.True(first.HasMore);
    }
}
