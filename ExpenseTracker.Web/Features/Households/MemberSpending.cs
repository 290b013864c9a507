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
/// income never count. Sums run in SQL.
/// </summary>
public static class MemberSpending
{
    /// <summary>
    /// The two halves of the rule as row queries (each translates to SQL on its own; EF cannot group over their
    /// UNION): group each the way a chart needs and add the results up by member.
    /// </summary>
    /// <param name="transactions">Already filtered (date range, categories…) and passed through
    /// <see cref="TransactionVisibility.VisibleTo"/> where the reader must not see everything.</param>
    public static IQueryable<MemberSpendingRow> SharedParts(this IQueryable<Transaction> transactions) =>
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
    public static IQueryable<MemberSpendingRow> UnsharedParts(this IQueryable<Transaction> transactions) =>
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

    /// <summary>Spending per member between two dates (inclusive): two GROUP BY queries, added up per member.</summary>
    public static async Task<IReadOnlyList<MemberSpendingTotal>> TotalsAsync(
        this IQueryable<Transaction> transactions, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var inRange = transactions.Where(t => t.Date >= from && t.Date <= to);
        var shared = await inRange.SharedParts().GroupBy(r => r.MemberId)
            .Select(g => new MemberSpendingTotal(g.Key, g.Sum(r => r.AmountMinor))).ToListAsync(cancellationToken);
        var unshared = await inRange.UnsharedParts().GroupBy(r => r.MemberId)
            .Select(g => new MemberSpendingTotal(g.Key, g.Sum(r => r.AmountMinor))).ToListAsync(cancellationToken);
        return shared.Concat(unshared)
            .GroupBy(t => t.MemberId)
            .Select(g => new MemberSpendingTotal(g.Key, g.Sum(t => t.SpendingMinor)))
            .OrderBy(t => t.MemberId)
            .ToList();
    }
}
