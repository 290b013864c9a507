using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>Everything a member may try to do in a household; <see cref="HouseholdPermissions"/> says which role may.</summary>
public enum HouseholdAction
{
    /// <summary>See transactions (children only their own, see <see cref="TransactionVisibility"/>).</summary>
    ViewTransactions,
    /// <summary>Log a new transaction (children log their own).</summary>
    LogTransaction,
    /// <summary>Edit or delete transactions someone else logged.</summary>
    EditAnyTransaction,
    /// <summary>Split a transaction among members.</summary>
    ShareTransactions,
    /// <summary>Household charts, reports, balances: everything beyond one's own transactions.</summary>
    ViewHouseholdReports,
    ViewBalances,
    SettleUp,
    ManageBudgets,
    ManageBills,
    Import,
    ManageCategoriesAndAccounts,
    ViewMembers,
    ViewActivity,
    InviteMembers,
    ManageMembers,
    TransferOwnership,
    ManageHouseholdSettings,
    DeleteHousehold,
    /// <summary>Leave the household (the last owner is refused separately).</summary>
    Leave,
}

/// <summary>
/// The role matrix, in one place: Owner everything; Member logs and edits transactions, budgets, bills and imports;
/// Viewer reads what the household shares and writes nothing; Child logs and sees only their own transactions.
/// The UI asks <see cref="Can"/> to hide buttons; services call <see cref="Require(HouseholdScope, HouseholdAction)"/>
/// so the server refuses anyway.
/// </summary>
public static class HouseholdPermissions
{
    public static bool Can(MemberRole role, HouseholdAction action) => role switch
    {
        MemberRole.Owner => true,
        MemberRole.Member => action is HouseholdAction.ViewTransactions or HouseholdAction.LogTransaction
            or HouseholdAction.EditAnyTransaction or HouseholdAction.ShareTransactions or HouseholdAction.ViewHouseholdReports
            or HouseholdAction.ViewBalances or HouseholdAction.SettleUp or HouseholdAction.ManageBudgets
            or HouseholdAction.ManageBills or HouseholdAction.Import or HouseholdAction.ManageCategoriesAndAccounts
            or HouseholdAction.ViewMembers or HouseholdAction.ViewActivity or HouseholdAction.Leave,
        MemberRole.Viewer => action is HouseholdAction.ViewTransactions or HouseholdAction.ViewHouseholdReports
            or HouseholdAction.ViewBalances or HouseholdAction.ViewMembers or HouseholdAction.ViewActivity
            or HouseholdAction.Leave,
        MemberRole.Child => action is HouseholdAction.ViewTransactions or HouseholdAction.LogTransaction
            or HouseholdAction.ViewMembers or HouseholdAction.ViewActivity or HouseholdAction.Leave,
        _ => false,
    };

    public static bool Can(HouseholdScope scope, HouseholdAction action) =>
        scope.IsSet && scope.Role is { } role && Can(role, action);

    /// <summary>Throws <see cref="HouseholdAccessException"/> unless the scope's role may do <paramref name="action"/>.</summary>
    public static void Require(HouseholdScope scope, HouseholdAction action)
    {
        if (!scope.IsSet || scope.Role is null)
        {
            throw new HouseholdAccessException("No current household.");
        }

        Require(scope.Role.Value, action);
    }

    public static void Require(MemberRole role, HouseholdAction action)
    {
        if (!Can(role, action))
        {
            throw new HouseholdAccessException(RefusalMessage(role, action));
        }
    }

    public static string RefusalMessage(MemberRole role, HouseholdAction action) => role switch
    {
        MemberRole.Viewer => "Viewers can look but not change anything.",
        MemberRole.Child => "Ask a parent: that is not something children can do here.",
        _ => action switch
        {
            HouseholdAction.InviteMembers or HouseholdAction.ManageMembers or HouseholdAction.TransferOwnership
                => "Only an owner can manage the household's members.",
            HouseholdAction.DeleteHousehold => "Only an owner can delete the household.",
            _ => "Only an owner can do that.",
        },
    };

    public static string Describe(MemberRole role) => role switch
    {
        MemberRole.Owner => "Everything, including members, roles, household settings and deleting the household.",
        MemberRole.Member => "Logs and edits transactions, budgets, bills and imports.",
        MemberRole.Viewer => "Reads everything the household shares; changes nothing.",
        MemberRole.Child => "Logs and sees only their own transactions and allowance.",
        _ => string.Empty,
    };
}
