using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>Transactions hidden from a member's detail views but counted in their totals, as one line.</summary>
/// <param name="IncomeMinor">The hidden Income transactions' sum (spending leaves them out): an income list's private line.</param>
public sealed record PrivateSummary(int Count, long SpendingMinor, long IncomeMinor = 0)
{
    public static PrivateSummary None { get; } = new(0, 0);

    public bool IsEmpty => Count == 0;

    /// <summary>The label lists and charts show for the folded line, e.g. "private (3 items)".</summary>
    public string Label => Count == 1 ? "private (1 item)" : $"private ({Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} items)";
}

/// <summary>
/// Who sees which transactions, in one place. Every list, detail, chart and report query applies
/// <see cref="VisibleTo"/>; totals add <see cref="HiddenPrivate"/> as one "private (n items)" line, so a list and a
/// chart over the same filter agree to the cent.
/// </summary>
public static class TransactionVisibility
{
    /// <summary>
    /// The household's transactions with the household named on the transactions only (soft-deleted rows stay filtered).
    /// The lines, tags and shares a query reaches from them (Include, navigation subqueries) then carry no household
    /// condition of their own and are read by TransactionId. With the filter on every table and a household-first index
    /// on them (before the HouseholdChildIndexes migration), SQLite (no ANALYZE statistics) read every row of the
    /// household for each transaction; with a category-first index it can still prefer the category for lines.
    /// </summary>
    public static IQueryable<Transaction> HouseholdTransactions(this AppDbContext db, long householdId) =>
        db.Transactions.IgnoreQueryFilters([AppDbContext.HouseholdFilter]).Where(t => t.HouseholdId == householdId);

    /// <summary>
    /// Private transactions only for their author; children only what they paid or logged. With no member in the
    /// scope (a job), private transactions stay hidden.
    /// </summary>
    public static IQueryable<Transaction> VisibleTo(this IQueryable<Transaction> query, HouseholdScope scope)
    {
        var memberId = scope.MemberId;
        if (scope.Role == MemberRole.Child)
        {
            return memberId is { } child
                ? query.Where(t => t.PaidByMemberId == child || t.CreatedByMemberId == child)
                : query.Where(t => false);
        }

        return memberId is { } me
            ? query.Where(t => !t.IsPrivate || t.CreatedByMemberId == me)
            : query.Where(t => !t.IsPrivate);
    }

    /// <summary>
    /// The transactions this member may edit, delete or restore: owners and members whatever they can see, children
    /// only their own, viewers none. Apply it in every write that loads a transaction by id ("not yours" is NotFound).
    /// </summary>
    public static IQueryable<Transaction> EditableBy(this IQueryable<Transaction> query, HouseholdScope scope) =>
        scope.Role switch
        {
            // A child's visible set is exactly their own transactions.
            MemberRole.Owner or MemberRole.Member or MemberRole.Child => query.VisibleTo(scope),
            MemberRole.Viewer => query.Where(t => false),
            // A job or tool without a member: everything it can see.
            _ => query.VisibleTo(scope),
        };

    /// <summary>
    /// Other people's private transactions within <paramref name="query"/>: the rows <see cref="VisibleTo"/> hides
    /// from an adult but that still belong in the household's totals. Children get none: they see no household totals.
    /// </summary>
    public static IQueryable<Transaction> HiddenPrivate(this IQueryable<Transaction> query, HouseholdScope scope)
    {
        if (scope.Role == MemberRole.Child)
        {
            return query.Where(t => false);
        }

        var memberId = scope.MemberId;
        return memberId is { } me
            ? query.Where(t => t.IsPrivate && (t.CreatedByMemberId == null || t.CreatedByMemberId != me))
            : query.Where(t => t.IsPrivate);
    }

    /// <summary>
    /// Count and spending (Expense − Refund) of the hidden private transactions within a filtered query (apply the
    /// filter, not <see cref="VisibleTo"/>). With category ids, only those categories' lines count, as in the list total.
    /// </summary>
    public static async Task<PrivateSummary> SummarizeHiddenPrivateAsync(
        this IQueryable<Transaction> filtered, HouseholdScope scope, IReadOnlyCollection<long>? categoryIds = null,
        CancellationToken cancellationToken = default)
    {
        var hidden = filtered.HiddenPrivate(scope);
        var summary = await hidden
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Count = g.Count(),
                Spending = g.Sum(t => t.Kind == TransactionKind.Expense ? t.AmountMinor : t.Kind == TransactionKind.Refund ? -t.AmountMinor : 0),
                Income = g.Sum(t => t.Kind == TransactionKind.Income ? t.AmountMinor : 0),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (summary is null)
        {
            return PrivateSummary.None;
        }

        if (categoryIds is { Count: > 0 })
        {
            var ids = categoryIds.ToArray();
            var spending = await hidden
                .Where(t => t.Kind == TransactionKind.Expense || t.Kind == TransactionKind.Refund)
                .SelectMany(t => t.Lines.Where(l => ids.Contains(l.CategoryId)), (t, l) => t.Kind == TransactionKind.Refund ? -l.AmountMinor : l.AmountMinor)
                .SumAsync(cancellationToken);
            return new PrivateSummary(summary.Count, spending);
        }

        return new PrivateSummary(summary.Count, summary.Spending, summary.Income);
    }
}
