using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>One transaction's spending attributed to one member (negative for a refund).</summary>
public sealed class MemberSpendingAmount
{
    public long MemberId { get; init; }
    public DateOnly Date { get; init; }
    public long AmountMinor { get; init; }
}

/// <summary>
/// "Spending per member", the one rule: a shared transaction (it has MemberShare rows) counts each member's share; an
/// unshared one counts wholly for its payer. Spending = Expense − Refund. Runs in SQL as a UNION ALL of the two cases.
/// Same rule as the Households feature's MemberSpending helper (not on main yet); the lead reconciles the two.
/// </summary>
public static class MemberSpendingQuery
{
    public static IQueryable<MemberSpendingAmount> PerMember(this IQueryable<Transaction> transactions)
    {
        var spending = transactions.SpendingKinds();
        var shared = spending.SelectMany(t => t.Shares, (t, s) => new MemberSpendingAmount
        {
            MemberId = s.MemberId,
            Date = t.Date,
            AmountMinor = t.Kind == TransactionKind.Refund ? -s.AmountMinor : s.AmountMinor,
        });
        var unshared = spending
            .Where(t => t.PaidByMemberId != null && !t.Shares.Any())
            .Select(t => new MemberSpendingAmount
            {
                MemberId = t.PaidByMemberId!.Value,
                Date = t.Date,
                AmountMinor = t.Kind == TransactionKind.Refund ? -t.AmountMinor : t.AmountMinor,
            });
        return shared.Concat(unshared);
    }

    public static IQueryable<KeyedTotal> ByMember(this IQueryable<MemberSpendingAmount> amounts) =>
        amounts.GroupBy(a => a.MemberId).Select(g => new KeyedTotal { Key = g.Key, AmountMinor = g.Sum(a => a.AmountMinor), Count = g.Count() });

    public static IQueryable<KeyedTotal> ByMonthAndMember(this IQueryable<MemberSpendingAmount> amounts, int monthStartDay)
    {
        var shift = 1 - BudgetPeriods.ClampStartDay(monthStartDay);
        return shift == 0
            ? amounts.GroupBy(a => new { Month = (a.Date.Year * 12) + a.Date.Month - 1, a.MemberId })
                .Select(g => new KeyedTotal { Key = g.Key.MemberId, Month = g.Key.Month, AmountMinor = g.Sum(a => a.AmountMinor) })
            : amounts.GroupBy(a => new { Month = (a.Date.AddDays(shift).Year * 12) + a.Date.AddDays(shift).Month - 1, a.MemberId })
                .Select(g => new KeyedTotal { Key = g.Key.MemberId, Month = g.Key.Month, AmountMinor = g.Sum(a => a.AmountMinor) });
    }
}
