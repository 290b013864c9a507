using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Identity;
using Microsoft.AspNetCore.Identity;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Households;

public sealed class MembershipTests : IAsyncLifetime
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

    private static MembershipService Members(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<MembershipService>();

    [ProviderTheory]
    public async Task TheMemberListShowsRolesColoursAndFormerMembersAndOnlyOwnersSeeEmails(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using (var owner = family.As("Ana"))
        {
            await Members(owner).RemoveMemberAsync(family.Id("Max"));
            var list = await Members(owner).ListMembersAsync();
            Assert.Equal(["ana", "Olga", "Ben", "Vic", "Kim", "Max"], list.Select(m => m.DisplayName));
            Assert.True(list.Single(m => m.DisplayName == "Max").IsFormer);
            Assert.Equal(MemberRole.Child, list.Single(m => m.DisplayName == "Kim").Role);
            Assert.Equal("ben@example.com", list.Single(m => m.DisplayName == "Ben").Email);
            Assert.True(list.Single(m => m.DisplayName == "ana").IsMe);
            Assert.Equal(6, list.Select(m => m.Color).Distinct().Count());
            Assert.DoesNotContain(await Members(owner).ListMembersAsync(includeFormer: false), m => m.DisplayName == "Max");
        }

        await using var viewer = family.As("Vic");
        Assert.All(await Members(viewer).ListMembersAsync(), m => Assert.Null(m.Email));
    }

    [ProviderTheory]
    public async Task ARemovedMemberLosesAccessAtOnceEvenInAnOpenSession(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var maxSession = family.As("Max");
        Assert.NotEmpty(await Members(maxSession).ListMembersAsync());

        await using (var owner = family.As("Ana"))
        {
            await Members(owner).RemoveMemberAsync(family.Id("Max"));
        }

        var refusal = await Assert.ThrowsAsync<HouseholdAccessException>(() => Members(maxSession).ListMembersAsync());
        Assert.Contains("no longer a member", refusal.Message);
        await Assert.ThrowsAsync<HouseholdAccessException>(() => maxSession.ServiceProvider.GetRequiredService<BalanceService>().GetBalancesAsync());
        await using var db = app.Services.CreateAsyncScope();
        var member = await db.ServiceProvider.GetRequiredService<AppDbContext>().Members.IgnoreQueryFilters().SingleAsync(m => m.Id == family.Id("Max"));
        Assert.Equal(family.People["Max"].UserId, member.UserId);
        Assert.NotNull(member.LeftAt);
    }

    [ProviderTheory]
    public async Task ADemotedMemberIsRefusedWritesAtOnce(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var benSession = family.As("Ben");
        await using (var owner = family.As("Ana"))
        {
            await Members(owner).ChangeRoleAsync(family.Id("Ben"), MemberRole.Viewer);
        }

        await Assert.ThrowsAsync<HouseholdAccessException>(() =>
            benSession.ServiceProvider.GetRequiredService<BalanceService>().SettleUpAsync(family.Id("Ben"), family.Id("Ana"), 100));
    }

    [ProviderTheory]
    public async Task TheLastOwnerCannotLeaveOrStepDownUntilOwnershipIsTransferred(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using (var olga = family.As("Olga"))
        {
            await Members(olga).LeaveAsync();
        }

        await using var owner = family.As("Ana");
        var refusal = await Assert.ThrowsAsync<HouseholdValidationException>(() => Members(owner).LeaveAsync());
        Assert.Contains("last owner", refusal.Message);
        await Assert.ThrowsAsync<HouseholdValidationException>(() => Members(owner).ChangeRoleAsync(family.Id("Ana"), MemberRole.Member));

        await Members(owner).TransferOwnershipAsync(family.Id("Ben"));

        await using var db = app.Services.CreateAsyncScope();
        var roles = await db.ServiceProvider.GetRequiredService<AppDbContext>().Members.IgnoreQueryFilters()
            .Where(m => m.HouseholdId == family.HouseholdId && m.LeftAt == null).ToDictionaryAsync(m => m.DisplayName, m => m.Role);
        Assert.Equal(MemberRole.Owner, roles["Ben"]);
        Assert.Equal(MemberRole.Member, roles["ana"]);
        await using var formerOwner = app.ScopeFor(family.HouseholdId, family.Id("Ana"), MemberRole.Member, family.People["Ana"].UserId);
        await Members(formerOwner).LeaveAsync();
    }

    [ProviderTheory]
    public async Task APersonInTwoHouseholdsSwitchesTheCurrentOne(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (user, own, ownMember) = await app.CreateUserWithHouseholdAsync("zoe@example.com");
        string link;
        await using (var owner = family.As("Ana"))
        {
            link = (await owner.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync("zoe@example.com", MemberRole.Member, Family.BaseUri)).Link;
        }

        await using (var anonymous = app.Services.CreateAsyncScope())
        {
            await anonymous.ServiceProvider.GetRequiredService<InvitationService>().AcceptAsync(Family.TokenOf(link), user.Id);
        }

        await using var zoe = app.ScopeFor(own.Id, ownMember, MemberRole.Owner, user.Id);
        var households = await Members(zoe).ListMyHouseholdsAsync();
        Assert.Equal(2, households.Count);
        Assert.True(households.Single(h => h.Id == own.Id).IsCurrent);

        await Members(zoe).SwitchAsync(own.Id);

        await using var db = app.Services.CreateAsyncScope();
        Assert.Equal(own.Id, (await db.ServiceProvider.GetRequiredService<AppDbContext>().Users.SingleAsync(u => u.Id == user.Id)).CurrentHouseholdId);
        Assert.Equal(own.Id, zoe.ServiceProvider.GetRequiredService<HouseholdScope>().HouseholdId);
    }

    [ProviderTheory]
    public async Task DeletingTheHouseholdNeedsItsExactNameAndABackupCanBeMadeFirst(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await family.AddAsync("Ben", 1234);
        await using var owner = family.As("Ana");
        var ownerDb = owner.ServiceProvider.GetRequiredService<AppDbContext>();
        ownerDb.Budgets.Add(new Budget { MemberId = family.Id("Kim"), Amounts = [new BudgetAmount { Month = new DateOnly(2026, 11, 1), AmountMinor = 2000 }] });
        await ownerDb.SaveChangesAsync();
        var backup = await Members(owner).BackupBeforeDeletingAsync();
        Assert.True(File.Exists(backup));

        await Assert.ThrowsAsync<HouseholdValidationException>(() => Members(owner).DeleteHouseholdAsync("ana's household"));
        await Members(owner).DeleteHouseholdAsync(family.HouseholdName);

        await using var db = app.Services.CreateAsyncScope();
        var context = db.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.False(await context.Households.IgnoreQueryFilters().AnyAsync(h => h.Id == family.HouseholdId));
        Assert.False(await context.Invitations.IgnoreQueryFilters().AnyAsync());
        Assert.False(await context.Transactions.IgnoreQueryFilters().AnyAsync());
        Assert.False(await context.Budgets.IgnoreQueryFilters().AnyAsync(b => b.HouseholdId == family.HouseholdId));
    }

    [ProviderTheory]
    public async Task SomeoneWhoJoinedByInvitationCanDeleteTheirAccountAndStaysOnHistoryAsAFormerMember(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await family.AddAsync("Ben", 999);
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(family.People["Ben"].UserId);

        var result = await scope.ServiceProvider.GetRequiredService<AccountDeletion>().DeleteAsync(user!, new Dictionary<long, string?>());

        Assert.True(result.Succeeded, result.Error);
        await using var owner = family.As("Ana");
        var ben = (await Members(owner).ListMembersAsync()).Single(m => m.DisplayName == "Ben");
        Assert.True(ben.IsFormer);
    }
}
