using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Households;

/// <summary>One app per provider; each case makes its own family in it.</summary>
public sealed class RoleMatrixFixture : ProviderFixture<TestApp>
{
    protected override Task<TestApp> SeedAsync(TestApp app) => Task.FromResult(app);
}

/// <summary>Every role × every household service method, against a fresh family each time.</summary>
public sealed class RoleMatrixTests(RoleMatrixFixture fixture) : IClassFixture<RoleMatrixFixture>
{
    private const string All = "Owner Member Viewer Child";
    private const string Readers = "Owner Member Viewer";
    private const string Writers = "Owner Member";
    private const string Owners = "Owner";

    private sealed record Operation(string Allowed, Func<Family, IServiceProvider, Task> Run);

    private static readonly Dictionary<string, Operation> Operations = new(StringComparer.Ordinal)
    {
        ["Members.List"] = new(All, (f, s) => s.GetRequiredService<MembershipService>().ListMembersAsync()),
        ["Members.ChangeRole"] = new(Owners, (f, s) => s.GetRequiredService<MembershipService>().ChangeRoleAsync(f.Id("Max"), MemberRole.Viewer)),
        ["Members.Remove"] = new(Owners, (f, s) => s.GetRequiredService<MembershipService>().RemoveMemberAsync(f.Id("Max"))),
        ["Members.Leave"] = new(All, (f, s) => s.GetRequiredService<MembershipService>().LeaveAsync()),
        ["Members.TransferOwnership"] = new(Owners, (f, s) => s.GetRequiredService<MembershipService>().TransferOwnershipAsync(f.Id("Max"))),
        ["Members.ListMyHouseholds"] = new(All, (f, s) => s.GetRequiredService<MembershipService>().ListMyHouseholdsAsync()),
        ["Members.Switch"] = new(All, (f, s) => s.GetRequiredService<MembershipService>().SwitchAsync(f.HouseholdId)),
        ["Household.Backup"] = new(Owners, (f, s) => s.GetRequiredService<MembershipService>().BackupBeforeDeletingAsync()),
        ["Household.Delete"] = new(Owners, (f, s) => s.GetRequiredService<MembershipService>().DeleteHouseholdAsync(f.HouseholdName)),
        ["Invitations.Invite"] = new(Owners, (f, s) => s.GetRequiredService<InvitationService>().InviteAsync("new@example.com", MemberRole.Member, Family.BaseUri)),
        ["Invitations.ListPending"] = new(Owners, (f, s) => s.GetRequiredService<InvitationService>().ListPendingAsync()),
        ["Invitations.Revoke"] = new(Owners, async (f, s) =>
        {
            long id;
            await using (var owner = f.As("Ana"))
            {
                id = (await owner.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync("later@example.com", MemberRole.Viewer, Family.BaseUri)).Id;
            }

            await s.GetRequiredService<InvitationService>().RevokeAsync(id);
        }),
        ["Balances.Get"] = new(Readers, (f, s) => s.GetRequiredService<BalanceService>().GetBalancesAsync()),
        ["Balances.GetShares"] = new(Readers, async (f, s) =>
            await s.GetRequiredService<BalanceService>().GetSharesAsync(await f.AddAsync("Ana", 1000))),
        ["Balances.Share"] = new(Writers, async (f, s) =>
            await s.GetRequiredService<BalanceService>().ShareAsync(await f.AddAsync("Ana", 1000), SplitMethod.Equal, [new SplitPart(f.Id("Ana")), new SplitPart(f.Id("Ben"))])),
        ["Balances.Unshare"] = new(Writers, async (f, s) =>
            await s.GetRequiredService<BalanceService>().UnshareAsync(await f.AddAsync("Ana", 1000))),
        ["Balances.SettleUp"] = new(Writers, (f, s) => s.GetRequiredService<BalanceService>().SettleUpAsync(f.Id("Ben"), f.Id("Ana"), 500)),
        ["Balances.ListSettlements"] = new(Readers, (f, s) => s.GetRequiredService<BalanceService>().ListSettlementsAsync()),
        ["Activity.List"] = new(All, (f, s) => s.GetRequiredService<ActivityService>().ListAsync()),
    };

    public static TheoryData<string, MemberRole> Cases()
    {
        var data = new TheoryData<string, MemberRole>();
        foreach (var operation in Operations.Keys)
        {
            foreach (var role in Enum.GetValues<MemberRole>())
            {
                data.Add(operation, role);
            }
        }

        return data;
    }

    [ProviderTheory]
#pragma warning disable xUnit1037 // [ProviderTheory] gives the provider, the rows give the rest
    [MemberData(nameof(Cases))]
#pragma warning restore xUnit1037
    public async Task EachRoleIsAllowedOrRefusedByTheServerAsTheRoleMatrixSays(DatabaseProvider provider, string operation, MemberRole role)
    {
        var family = await Family.CreateAsync(await fixture.ForAsync(provider), prefix: Guid.NewGuid().ToString("N")[..8] + ".");
        var expected = Operations[operation].Allowed.Split(' ').Contains(role.ToString());
        await using var scope = family.As(Family.NameFor(role));

        var refusal = await Record.ExceptionAsync(() => Operations[operation].Run(family, scope.ServiceProvider));

        if (expected)
        {
            Assert.Null(refusal);
        }
        else
        {
            // A child asking about someone else's expense learns nothing: not found, rather than "not allowed".
            Assert.True(refusal is HouseholdAccessException or NotFoundException, $"{role} was not refused {operation}: {refusal}");
        }
    }
}
