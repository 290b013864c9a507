using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>One transaction's spending attributed to one member (negative for a refund).</summary>
public sealed class MemberSpendingRow
{
    public long MemberId { get; init; }
    public long TransactionId { get; init; }
    public DateOnly Date { get; init; }
    public long AmountMinor { get; init; }
}

public sealed record MemberSpendingTotal(long MemberId, long SpendingMinor);

/// <summary>
/// "Spending per member", the one rule every chart and report uses: a shared transaction counts each member's
/// share; an unshared one counts wholly for the payer. Spending = Expense − Refund; settlements, transfers and
/// income never count. Runs in SQL (UNION ALL of the two cases).
/// </summary>
public static class MemberSpending
{
    /// <param name="transactions">Already filtered (date range, categories…) and passed through
    /// <see cref="TransactionVisibility.VisibleTo"/> where the reader must not see everything.</param>
    public static IQueryable<MemberSpendingRow> PerMember(this IQueryable<Transaction> transactions)
    {
        var spending = transactions.Where(t => t.Kind == TransactionKind.Expense || t.Kind == TransactionKind.Refund);
        var shared = spending.SelectMany(t => t.Shares, (t, s) => new MemberSpendingRow
        {
            MemberId = s.MemberId,
            TransactionId = t.Id,
            Date = t.Date,
            AmountMinor = t.Kind == TransactionKind.Refund ? -s.AmountMinor : s.AmountMinor,
        });
        var unshared = spending
            .Where(t => t.PaidByMemberId != null && !t.Shares.Any())
            .Select(t => new MemberSpendingRow
            {
                MemberId = t.PaidByMemberId!.Value,
                TransactionId = t.Id,
                Date = t.Date,
                AmountMinor = t.Kind == TransactionKind.Refund ? -t.AmountMinor : t.AmountMinor,
            });
        return shared.Concat(unshared);
    }

    /// <summary>Spending per member between two dates (inclusive), summed in SQL.</summary>
    public static async Task<IReadOnlyList<MemberSpendingTotal>> TotalsAsync(
        this IQueryable<Transaction> transactions, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        await transactions.Where(t => t.Date >= from && t.Date <= to)
            .PerMember()
            .GroupBy(r => r.MemberId)
            .Select(g => new MemberSpendingTotal(g.Key, g.Sum(r => r.AmountMinor)))
            .OrderBy(t => t.MemberId)
            .ToListAsync(cancellationToken);
}
