using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Households;

/// <summary>A member of household A reaches nothing of household B through any household service.</summary>
public sealed class HouseholdServicesIsolationTests : IAsyncLifetime
{
    private TestApp app = null!;
    private Family a = null!;
    private Family b = null!;
    private long bExpense;
    private long bInvitation;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        a = await Family.CreateAsync(app, "a.");
        b = await Family.CreateAsync(app, "b.");
        bExpense = await b.AddAsync("Ben", 7700);
        await using var scope = b.As("Ana");
        bInvitation = (await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync("someone@example.com", MemberRole.Member, Family.BaseUri)).Id;
        await scope.ServiceProvider.GetRequiredService<BalanceService>().ShareAsync(bExpense, SplitMethod.Equal, [new SplitPart(b.Id("Ana")), new SplitPart(b.Id("Ben"))]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    public static TheoryData<string> Attempts() =>
    [
        "GetShares", "Share", "Unshare", "ChangeRole", "Remove", "Transfer", "Revoke", "Switch", "SettleUpWithB", "SplitWithB",
    ];

    [ProviderTheory]
#pragma warning disable xUnit1037 // [ProviderTheory] gives the provider, the rows give the rest
    [MemberData(nameof(Attempts))]
#pragma warning restore xUnit1037
    public async Task TheOwnerOfAReachesNothingOfBByItsIds(DatabaseProvider provider, string attempt)
    {
        await StartAsync(provider);
        await using var scope = a.As("Ana");
        var members = scope.ServiceProvider.GetRequiredService<MembershipService>();
        var balances = scope.ServiceProvider.GetRequiredService<BalanceService>();
        var invitations = scope.ServiceProvider.GetRequiredService<InvitationService>();
        Func<Task> act = attempt switch
        {
            "GetShares" => () => balances.GetSharesAsync(bExpense),
            "Share" => () => balances.ShareAsync(bExpense, SplitMethod.Equal, [new SplitPart(a.Id("Ana"))]),
            "Unshare" => () => balances.UnshareAsync(bExpense),
            "ChangeRole" => () => members.ChangeRoleAsync(b.Id("Ben"), MemberRole.Viewer),
            "Remove" => () => members.RemoveMemberAsync(b.Id("Ben")),
            "Transfer" => () => members.TransferOwnershipAsync(b.Id("Ben")),
            "Revoke" => () => invitations.RevokeAsync(bInvitation),
            "Switch" => () => members.SwitchAsync(b.HouseholdId),
            "SettleUpWithB" => () => balances.SettleUpAsync(a.Id("Ana"), b.Id("Ben"), 100),
            _ => async () =>
            {
                var own = await a.AddAsync("Ana", 100);
                await balances.ShareAsync(own, SplitMethod.Equal, [new SplitPart(a.Id("Ana")), new SplitPart(b.Id("Ben"))]);
            }
            ,
        };

        var refusal = await Record.ExceptionAsync(act);

        Assert.NotNull(refusal);
        Assert.True(refusal is NotFoundException or HouseholdValidationException, refusal.ToString());
        await using var check = b.As("Ana");
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(2, await db.MemberShares.CountAsync());
        Assert.Equal(MemberRole.Member, (await db.Members.SingleAsync(m => m.Id == b.Id("Ben"))).Role);
        Assert.Null((await db.Members.SingleAsync(m => m.Id == b.Id("Ben"))).LeftAt);
        Assert.Null((await db.Invitations.SingleAsync(i => i.Id == bInvitation)).RevokedAt);
    }

    [ProviderTheory]
    public async Task ListsInAShowNothingOfB(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var scope = a.As("Ana");
        var members = await scope.ServiceProvider.GetRequiredService<MembershipService>().ListMembersAsync();
        var sheet = await scope.ServiceProvider.GetRequiredService<BalanceService>().GetBalancesAsync();
        var settlements = await scope.ServiceProvider.GetRequiredService<BalanceService>().ListSettlementsAsync();
        var pending = await scope.ServiceProvider.GetRequiredService<InvitationService>().ListPendingAsync();
        var feed = await scope.ServiceProvider.GetRequiredService<ActivityService>().ListAsync(0, 100);
        var households = await scope.ServiceProvider.GetRequiredService<MembershipService>().ListMyHouseholdsAsync();

        Assert.All(members, m => Assert.StartsWith("a.", m.Email ?? "a."));
        Assert.DoesNotContain(members, m => b.People.Values.Any(p => p.MemberId == m.Id));
        Assert.True(sheet.IsSettled);
        Assert.Empty(settlements);
        Assert.Empty(pending);
        Assert.DoesNotContain(feed.Items, e => e.Summary.Contains("b.", StringComparison.Ordinal) || e.Summary.Contains("€77", StringComparison.Ordinal));
        Assert.Equal([a.HouseholdId], households.Select(h => h.Id));
    }
}
