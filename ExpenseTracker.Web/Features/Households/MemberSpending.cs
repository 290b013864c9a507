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
/// "Spending per member", the one rule every chart, budget and report uses: a shared transaction (it has MemberShare rows)
/// counts each member's share; an unshared one counts wholly for the payer. Spending = Expense − Refund; settlements,
/// transfers and income never count. Sums run in SQL (<see cref="PerMember"/> is a UNION ALL that callers group).
/// </summary>
public static class MemberSpending
{
    /// <summary>
    /// Every member's part of each spending transaction in <paramref name="transactions"/> (signed: a refund is negative),
    /// one row per member and transaction. Group it the way a chart needs (per member, per month and member...).
    /// </summary>
    /// <param name="transactions">Already filtered (date range, categories…) and passed through
    /// <see cref="TransactionVisibility.VisibleTo"/> where the reader must not see everything.</param>
    public static IQueryable<MemberSpendingRow> PerMember(this IQueryable<Transaction> transactions) =>
        transactions.SharedParts().Concat(transactions.UnsharedParts());

    /// <summary>Shared spending: each member's share.</summary>
    private static IQueryable<MemberSpendingRow> SharedParts(this IQueryable<Transaction> transactions) =>
        transactions
            .Where(t => t.Kind == TransactionKind.Expense || t.Kind == TransactionKind.Refund)
            .SelectMany(t => t.Shares, (t, s) => new MemberSpendingRow
            {
                MemberId = s.MemberId,
                TransactionId = t.Id,
                Date = t.Date,
                AmountMinor = t.Kind == TransactionKind.Refund ? -s.AmountMinor : s.AmountMinor,
            });

    /// <summary>Unshared spending, wholly the payer's.</summary>
    private static IQueryable<MemberSpendingRow> UnsharedParts(this IQueryable<Transaction> transactions) =>
        transactions
            .Where(t => t.Kind == TransactionKind.Expense || t.Kind == TransactionKind.Refund)
            .Where(t => t.PaidByMemberId != null && !t.Shares.Any())
            .Select(t => new MemberSpendingRow
            {
                MemberId = t.PaidByMemberId!.Value,
                TransactionId = t.Id,
                Date = t.Date,
                AmountMinor = t.Kind == TransactionKind.Refund ? -t.AmountMinor : t.AmountMinor,
            });

    /// <summary>Spending per member between two dates (inclusive), one GROUP BY in SQL.</summary>
    public static async Task<IReadOnlyList<MemberSpendingTotal>> TotalsAsync(
        this IQueryable<Transaction> transactions, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        (await transactions.Where(t => t.Date >= from && t.Date <= to).PerMember()
            .GroupBy(r => r.MemberId)
            .Select(g => new { MemberId = g.Key, Spending = g.Sum(r => r.AmountMinor) })
            .ToListAsync(cancellationToken))
        .OrderBy(t => t.MemberId)
        .Select(t => new MemberSpendingTotal(t.MemberId, t.Spending))
        .ToList();
}
