using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

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
    /// <summary>
    /// The household's transactions that match <paramref name="filter"/> exactly as the expense list matches them.
    /// The household is named explicitly on the transactions instead of through the query filters: with the filter on every
    /// table, SQLite (no ANALYZE statistics) reads the household's lines through their (HouseholdId, CategoryId) index and
    /// looks each transaction up (all 250k of a big household for a one-month figure) instead of taking the month's
    /// transactions from their (HouseholdId, Date) index and their lines by TransactionId. Lines, shares and tags are only
    /// reached through these transactions, so they stay within the household. Soft-deleted rows stay filtered.
    /// </summary>
    public static IQueryable<Transaction> Matching(AppDbContext db, ExpenseFilter filter, HouseholdScope scope)
    {
        var householdId = scope.RequireHousehold();
        var transactions = db.Transactions.IgnoreQueryFilters([AppDbContext.HouseholdFilter]).Where(t => t.HouseholdId == householdId);
        return ExpenseService.Apply(VisibleTo(transactions, scope), filter);
    }

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

    /// <summary>Signed spending per payee and budget month, with the number of transactions.</summary>
    public static IQueryable<KeyedTotal> ByMonthAndPayee(this IQueryable<Transaction> transactions, int monthStartDay)
    {
        var shift = 1 - BudgetPeriods.ClampStartDay(monthStartDay);
        var spending = transactions.SpendingKinds().Where(t => t.PayeeId != null);
        return shift == 0
            ? spending.GroupBy(t => new { Month = (t.Date.Year * 12) + t.Date.Month - 1, PayeeId = t.PayeeId!.Value })
                .Select(g => new KeyedTotal { Key = g.Key.PayeeId, Month = g.Key.Month, AmountMinor = g.Sum(t => t.Kind == TransactionKind.Refund ? -t.AmountMinor : t.AmountMinor), Count = g.Count() })
            : spending.GroupBy(t => new { Month = (t.Date.AddDays(shift).Year * 12) + t.Date.AddDays(shift).Month - 1, PayeeId = t.PayeeId!.Value })
                .Select(g => new KeyedTotal { Key = g.Key.PayeeId, Month = g.Key.Month, AmountMinor = g.Sum(t => t.Kind == TransactionKind.Refund ? -t.AmountMinor : t.AmountMinor), Count = g.Count() });
    }

    /// <summary>
    /// One of the cacheable monthly aggregates (<see cref="MonthlyAggregateCache"/> dimensions) over the transactions matching
    /// <paramref name="filter"/> (its kinds are set here).
    /// </summary>
    public static IQueryable<KeyedTotal> Monthly(AppDbContext db, HouseholdScope scope, string dimension, ExpenseFilter filter, int monthStartDay)
    {
        var spending = filter with { Kinds = [TransactionKind.Expense, TransactionKind.Refund] };
        return dimension switch
        {
            MonthlyAggregateCache.ByCategory => Matching(db, spending, scope).Lines().ByMonthAndCategory(monthStartDay),
            MonthlyAggregateCache.ByKind => Matching(db, filter with { Kinds = [TransactionKind.Expense, TransactionKind.Refund, TransactionKind.Income] }, scope).ByMonthAndKind(monthStartDay),
            MonthlyAggregateCache.ByPayee => Matching(db, spending, scope).ByMonthAndPayee(monthStartDay),
            MonthlyAggregateCache.ByMember => Matching(db, spending, scope).PerMember().ByMonthAndMember(monthStartDay),
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Unknown aggregate."),
        };
    }

    /// <summary>
    /// Monthly totals of one dimension for whole budget months <paramref name="first"/>..<paramref name="last"/>: from the
    /// cache when the figures are the whole household's (an adult reader, no member or account filter), else computed.
    /// </summary>
    public static async Task<IReadOnlyList<KeyedTotal>> MonthlyAsync(
        AppDbContext db, HouseholdScope scope, MonthlyAggregateCache cache, string dimension, ExpenseFilter filter,
        int monthStartDay, BudgetMonth first, BudgetMonth last, CancellationToken cancellationToken)
    {
        Task<List<KeyedTotal>> Compute(DateOnly from, DateOnly to) =>
            Monthly(db, scope, dimension, filter with { From = from, To = to }, monthStartDay).ToListAsync(cancellationToken);

        var wholeHousehold = scope.Role != MemberRole.Child && filter.MemberIds.Count == 0 && filter.AccountIds.Count == 0;
        return wholeHousehold
            ? await cache.GetAsync(scope.RequireHousehold(), BudgetPeriods.ClampStartDay(monthStartDay), dimension, first, last, Compute)
            : await Compute(BudgetPeriods.RangeOf(first, monthStartDay).From, BudgetPeriods.RangeOf(last, monthStartDay).To);
    }

    public static IQueryable<Transaction> Between(this IQueryable<Transaction> query, DateOnly from, DateOnly to) =>
        query.Where(t => t.Date >= from && t.Date <= to);
}
