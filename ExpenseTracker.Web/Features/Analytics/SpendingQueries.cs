using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>One category line of a spending transaction, signed (a refund's line is negative).</summary>
public sealed class SpendingLine
{
    public long CategoryId { get; init; }
    public DateOnly Date { get; init; }
    public long AmountMinor { get; init; }
}

/// <summary>A grouped total: a key (category, member, payee, day or month index) and its integer sum.</summary>
public sealed class KeyedTotal
{
    public long Key { get; init; }
    public int Month { get; init; }
    public long AmountMinor { get; init; }
    public int Count { get; init; }
}

/// <summary>
/// The SQL building blocks every budget and chart figure is made of, so they all count the same rows: the expense list's
/// own filter (<see cref="ExpenseService.Apply"/>), what a reader may see, spending = Expense − Refund over category lines,
/// and the budget month of a date computed in SQL.
/// </summary>
public static class SpendingQueries
{
    /// <summary>The household's transactions that match <paramref name="filter"/> exactly as the expense list matches them.</summary>
    public static IQueryable<Transaction> Matching(AppDbContext db, ExpenseFilter filter, HouseholdScope scope) =>
        ExpenseService.Apply(VisibleTo(db.Transactions, scope), filter);

    /// <summary>
    /// Children see only what they paid or logged; everyone else reads the whole household (private items count in totals).
    /// Mirrors the Households feature's visibility rule; the lead swaps in TransactionVisibility when both are merged.
    /// </summary>
    public static IQueryable<Transaction> VisibleTo(IQueryable<Transaction> query, HouseholdScope scope)
    {
        if (scope.Role != MemberRole.Child)
        {
            return query;
        }

        return scope.MemberId is { } child
            ? query.Where(t => t.PaidByMemberId == child || t.CreatedByMemberId == child)
            : query.Where(t => false);
    }

    public static IQueryable<Transaction> SpendingKinds(this IQueryable<Transaction> query) =>
        query.Where(t => t.Kind == TransactionKind.Expense || t.Kind == TransactionKind.Refund);

    /// <summary>Category lines of the spending transactions in <paramref name="transactions"/>, signed by kind.</summary>
    public static IQueryable<SpendingLine> Lines(this IQueryable<Transaction> transactions) =>
        transactions.SpendingKinds().SelectMany(t => t.Lines, (t, l) => new SpendingLine
        {
            CategoryId = l.CategoryId,
            Date = t.Date,
            AmountMinor = t.Kind == TransactionKind.Refund ? -l.AmountMinor : l.AmountMinor,
        });

    /// <summary>Spending per category, summed in SQL.</summary>
    public static IQueryable<KeyedTotal> ByCategory(this IQueryable<SpendingLine> lines) =>
        lines.GroupBy(l => l.CategoryId).Select(g => new KeyedTotal { Key = g.Key, AmountMinor = g.Sum(l => l.AmountMinor), Count = g.Count() });

    /// <summary>Spending per category and budget month (<see cref="KeyedTotal.Month"/> = <see cref="BudgetMonth.Index"/>).</summary>
    public static IQueryable<KeyedTotal> ByMonthAndCategory(this IQueryable<SpendingLine> lines, int monthStartDay)
    {
        var shift = 1 - BudgetPeriods.ClampStartDay(monthStartDay);
        return shift == 0
            ? lines.GroupBy(l => new { Month = (l.Date.Year * 12) + l.Date.Month - 1, l.CategoryId })
                .Select(g => new KeyedTotal { Key = g.Key.CategoryId, Month = g.Key.Month, AmountMinor = g.Sum(l => l.AmountMinor) })
            : lines.GroupBy(l => new { Month = (l.Date.AddDays(shift).Year * 12) + l.Date.AddDays(shift).Month - 1, l.CategoryId })
                .Select(g => new KeyedTotal { Key = g.Key.CategoryId, Month = g.Key.Month, AmountMinor = g.Sum(l => l.AmountMinor) });
    }

    /// <summary>
    /// Sums of <see cref="Transaction.AmountMinor"/> per budget month and transaction kind (<see cref="KeyedTotal.Key"/> = kind).
    /// </summary>
    public static IQueryable<KeyedTotal> ByMonthAndKind(this IQueryable<Transaction> transactions, int monthStartDay)
    {
        var shift = 1 - BudgetPeriods.ClampStartDay(monthStartDay);
        return shift == 0
            ? transactions.GroupBy(t => new { Month = (t.Date.Year * 12) + t.Date.Month - 1, t.Kind })
                .Select(g => new KeyedTotal { Key = (long)g.Key.Kind, Month = g.Key.Month, AmountMinor = g.Sum(t => t.AmountMinor), Count = g.Count() })
            : transactions.GroupBy(t => new { Month = (t.Date.AddDays(shift).Year * 12) + t.Date.AddDays(shift).Month - 1, t.Kind })
                .Select(g => new KeyedTotal { Key = (long)g.Key.Kind, Month = g.Key.Month, AmountMinor = g.Sum(t => t.AmountMinor), Count = g.Count() });
    }

    public static IQueryable<Transaction> Between(this IQueryable<Transaction> query, DateOnly from, DateOnly to) =>
        query.Where(t => t.Date >= from && t.Date <= to);
}
