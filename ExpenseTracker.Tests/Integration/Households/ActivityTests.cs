using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Households;

public sealed class ActivityTests : IAsyncLifetime
{
    private readonly TestApp app = new();
    private Family family = null!;

    public async Task InitializeAsync() => family = await Family.CreateAsync(app);

    public async Task DisposeAsync() => await app.DisposeAsync();

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

    [Fact]
    public async Task TheFeedSaysWhoAddedAndChangedWhatNewestFirstWithBeforeAndAfter()
    {
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

    [Fact]
    public async Task OthersSeeThatAPrivateExpenseChangedButNoDetails()
    {
        var secret = await family.AddAsync("Ben", 4200, isPrivate: true);
        await ChangeAmountAsync("Ben", secret, 4300);

        var entry = (await FeedAsync("Ana")).Items[0];
        Assert.Equal("Ben changed a private transaction", entry.Summary);
        Assert.Empty(entry.Changes);
        Assert.DoesNotContain("42", string.Join(" ", (await FeedAsync("Ana")).Items.Select(e => e.Summary)));

        Assert.Equal("Ben changed an expense of EUR 43.00", (await FeedAsync("Ben")).Items[0].Summary);
    }

    [Fact]
    public async Task AChildSeesOnlyEntriesAboutTheirOwnTransactions()
    {
        await family.AddAsync("Ana", 1000);
        await family.AddAsync("Kim", 300);

        var feed = await FeedAsync("Kim");

        var entry = Assert.Single(feed.Items);
        Assert.Equal("Kim added an expense of EUR 3.00", entry.Summary);
    }

    [Fact]
    public async Task OnlyOwnersSeeInvitationsInTheFeed()
    {
        Assert.Contains((await FeedAsync("Ana")).Items, e => e.Summary == "ana invited ben@example.com as a member");
        Assert.DoesNotContain((await FeedAsync("Ben")).Items, e => e.Entity == nameof(Invitation));
    }

    [Fact]
    public async Task TheFeedIsPaged()
    {
        for (var i = 0; i < 5; i++)
        {
            await family.AddAsync("Ana", 100 + i);
        }

        var first = await FeedAsync("Ana", take: 3);
        Assert.Equal(3, first.Items.Count);
        Assert.True(first.HasMore);
    }
}
