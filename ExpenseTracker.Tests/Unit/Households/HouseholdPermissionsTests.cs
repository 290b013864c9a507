using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;

namespace ExpenseTracker.Tests.Unit.Households;

public sealed class HouseholdPermissionsTests
{
    [Fact]
    public void AnOwnerMayDoEverything()
    {
        Assert.All(Enum.GetValues<HouseholdAction>(), a => Assert.True(HouseholdPermissions.Can(MemberRole.Owner, a)));
    }

    [Theory]
    [InlineData(MemberRole.Member, HouseholdAction.LogTransaction, true)]
    [InlineData(MemberRole.Member, HouseholdAction.EditAnyTransaction, true)]
    [InlineData(MemberRole.Member, HouseholdAction.ManageBudgets, true)]
    [InlineData(MemberRole.Member, HouseholdAction.Import, true)]
    [InlineData(MemberRole.Member, HouseholdAction.InviteMembers, false)]
    [InlineData(MemberRole.Member, HouseholdAction.DeleteHousehold, false)]
    [InlineData(MemberRole.Viewer, HouseholdAction.ViewHouseholdReports, true)]
    [InlineData(MemberRole.Viewer, HouseholdAction.ViewBalances, true)]
    [InlineData(MemberRole.Viewer, HouseholdAction.LogTransaction, false)]
    [InlineData(MemberRole.Viewer, HouseholdAction.SettleUp, false)]
    [InlineData(MemberRole.Child, HouseholdAction.LogTransaction, true)]
    [InlineData(MemberRole.Child, HouseholdAction.EditAnyTransaction, false)]
    [InlineData(MemberRole.Child, HouseholdAction.ViewHouseholdReports, false)]
    [InlineData(MemberRole.Child, HouseholdAction.ViewBalances, false)]
    public void EachRoleMayDoWhatTheIssueSaysAndNoMore(MemberRole role, HouseholdAction action, bool allowed)
    {
        Assert.Equal(allowed, HouseholdPermissions.Can(role, action));
    }

    [Fact]
    public void EveryoneMayLeaveAndSeeTheirTransactions()
    {
        Assert.All(Enum.GetValues<MemberRole>(), r =>
        {
            Assert.True(HouseholdPermissions.Can(r, HouseholdAction.Leave));
            Assert.True(HouseholdPermissions.Can(r, HouseholdAction.ViewTransactions));
        });
    }
}
