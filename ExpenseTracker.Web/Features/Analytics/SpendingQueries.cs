using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
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
    public static IQueryable<Transaction> Matching(AppDbContext db, ExpenseFilter filter, HouseholdScope scope) =>
        Filtered(db, filter, scope).VisibleTo(scope);

    /// <summary>
    /// The household's transactions that match <paramref name="filter"/>, before any visibility rule: apply
    /// <see cref="TransactionVisibility.VisibleTo"/> (that is <see cref="Matching"/>) or summarize what it hides with
    /// <see cref="TransactionVisibility.SummarizeHiddenPrivateAsync"/> (the "private (n items)" segment).
    /// </summary>
    public static IQueryable<Transaction> Filtered(AppDbContext db, ExpenseFilter filter, HouseholdScope scope)
    {
        var householdId = scope.RequireHousehold();
        var transactions = db.HouseholdTransactions(householdId);
        return ExpenseService.Apply(db, transactions, filter);
    }

    /// <summary>
    /// The household's money as budgets count it: every member's private transactions stay in their categories and
    /// allowances (budgets are household money); children still see only what they paid or logged.
    /// </summary>
    public static IQueryable<Transaction> HouseholdWide(AppDbContext db, ExpenseFilter filter, HouseholdScope scope)
    {
        var filtered = Filtered(db, filter, scope);
        return scope.Role == MemberRole.Child ? filtered.VisibleTo(scope) : filtered;
    }

    /// <summary>Whether the household has any (not deleted) private transaction: then adults' figures differ per reader.</summary>
    public static Task<bool> AnyPrivateAsync(AppDbContext db, HouseholdScope scope, CancellationToken cancellationToken)
    {
        var householdId = scope.RequireHousehold();
        return db.HouseholdTransactions(householdId).AnyAsync(t => t.IsPrivate, cancellationToken);
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

    /// <summary>Spending per member by the one rule (<see cref="MemberSpending.PerMember"/>), summed in SQL.</summary>
    public static IQueryable<KeyedTotal> ByMember(this IQueryable<MemberSpendingRow> amounts) =>
        amounts.GroupBy(a => a.MemberId).Select(g => new KeyedTotal { Key = g.Key, AmountMinor = g.Sum(a => a.AmountMinor), Count = g.Count() });

    /// <summary>Spending per member and budget month (<see cref="MemberSpending.PerMember"/> rows).</summary>
    public static IQueryable<KeyedTotal> ByMonthAndMember(this IQueryable<MemberSpendingRow> amounts, int monthStartDay)
    {
        var shift = 1 - BudgetPeriods.ClampStartDay(monthStartDay);
        return shift == 0
            ? amounts.GroupBy(a => new { Month = (a.Date.Year * 12) + a.Date.Month - 1, a.MemberId })
                .Select(g => new KeyedTotal { Key = g.Key.MemberId, Month = g.Key.Month, AmountMinor = g.Sum(a => a.AmountMinor) })
            : amounts.GroupBy(a => new { Month = (a.Date.AddDays(shift).Year * 12) + a.Date.AddDays(shift).Month - 1, a.MemberId })
                .Select(g => new KeyedTotal { Key = g.Key.MemberId, Month = g.Key.Month, AmountMinor = g.Sum(a => a.AmountMinor) });
    }

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
    public static IQueryable<KeyedTotal> Monthly(AppDbContext db, HouseholdScope scope, string dimension, ExpenseFilter filter, int monthStartDay, bool householdWide = false)
    {
        IQueryable<Transaction> Source(ExpenseFilter f) => householdWide ? HouseholdWide(db, f, scope) : Matching(db, f, scope);
        var spending = filter with { Kinds = [TransactionKind.Expense, TransactionKind.Refund] };
        return dimension switch
        {
            MonthlyAggregateCache.ByCategory => Source(spending).Lines().ByMonthAndCategory(monthStartDay),
            MonthlyAggregateCache.ByKind => Source(filter with { Kinds = [TransactionKind.Expense, TransactionKind.Refund, TransactionKind.Income] }).ByMonthAndKind(monthStartDay),
            MonthlyAggregateCache.ByPayee => Source(spending).ByMonthAndPayee(monthStartDay),
            MonthlyAggregateCache.ByMember => Source(spending).PerMember().ByMonthAndMember(monthStartDay),
            MonthlyAggregateCache.HiddenPrivateByKind => Filtered(db, filter with { Kinds = [TransactionKind.Expense, TransactionKind.Refund, TransactionKind.Income] }, scope)
                .HiddenPrivate(scope).ByMonthAndKind(monthStartDay),
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Unknown aggregate."),
        };
    }

    /// <summary>
    /// Monthly totals of one dimension for whole budget months <paramref name="first"/>..<paramref name="last"/>: from the
    /// cache when the figures are the whole household's (an adult reader, no member or account filter), else computed.
    /// Analytics figures leave out other members' private transactions (<see cref="Matching"/>); budget figures
    /// (<paramref name="householdWide"/>) keep them in their categories (<see cref="HouseholdWide"/>).
    /// </summary>
    public static async Task<IReadOnlyList<KeyedTotal>> MonthlyAsync(
        AppDbContext db, HouseholdScope scope, MonthlyAggregateCache cache, string dimension, ExpenseFilter filter,
        int monthStartDay, BudgetMonth first, BudgetMonth last, CancellationToken cancellationToken, bool householdWide = false)
    {
        Task<List<KeyedTotal>> Compute(DateOnly from, DateOnly to) =>
            Monthly(db, scope, dimension, filter with { From = from, To = to }, monthStartDay, householdWide).ToListAsync(cancellationToken);

        // Only the household's whole spending is cached; any narrowing filter (or a child's view) is computed.
        var wholeHousehold = scope.Role != MemberRole.Child
            && filter.MemberIds.Count == 0 && filter.AccountIds.Count == 0 && filter.CategoryIds.Count == 0
            && filter.TagIds.Count == 0 && filter.PayeeIds.Count == 0 && string.IsNullOrWhiteSpace(filter.Text) && filter.Terms.Count == 0
            && filter.MinAmountMinor is null && filter.MaxAmountMinor is null && filter.SpendingOfMemberId is null;
        if (!wholeHousehold)
        {
            return await Compute(BudgetPeriods.RangeOf(first, monthStartDay).From, BudgetPeriods.RangeOf(last, monthStartDay).To);
        }

        // Adults' figures leave out other members' private transactions, so they differ per reader once the household
        // has any: then each reader gets their own entries (one cheap EXISTS first). Budget figures (householdWide)
        // count everything and are the same for every adult.
        long? reader = householdWide
            ? MonthlyAggregateCache.HouseholdWideReader
            : await AnyPrivateAsync(db, scope, cancellationToken) ? scope.MemberId ?? 0 : null;
        return await cache.GetAsync(scope.RequireHousehold(), BudgetPeriods.ClampStartDay(monthStartDay), dimension, first, last, Compute, reader);
    }

    public static IQueryable<Transaction> Between(this IQueryable<Transaction> query, DateOnly from, DateOnly to) =>
        query.Where(t => t.Date >= from && t.Date <= to);
}
