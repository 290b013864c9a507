using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>
/// The analytics charts' data. Each figure is a grouped integer sum in SQL over the same rows the expense list shows
/// for the segment's <see cref="ExpenseFilter"/> (built with <see cref="ExpenseService.Apply"/> itself), so a drill-down
/// list's total equals the segment to the cent. Months are budget months (household time zone and month start day).
/// Roles: everyone reads; a child's charts cover only their own transactions (paid or logged by them). Other members'
/// private transactions are in no category, payee or member segment: every chart counts them as one "private (n items)"
/// segment, series or row (<see cref="PrivateSlice"/>, <see cref="PrivateSeries"/>, <see cref="PrivateComparisonRow"/>) included in
/// its totals, so a total equals the drill-down list's total plus the list's private line.
/// </summary>
public sealed class AnalyticsService(
    IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time, BudgetService budgets, MonthlyAggregateCache cache)
{
    /// <summary>The longest monthly trend.</summary>
    public const int MaxTrendMonths = 24;

    public async Task<CategorySpending> SpendingByCategoryAsync(AnalyticsFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await CreateAsync(cancellationToken);
        var baseFilter = filter.ToExpenseFilter();
        var household = await HouseholdAsync(db, cancellationToken);
        var totals = WholeMonths(filter, household.MonthStartDay) is var (first, last)
            ? Sum(await SpendingQueries.MonthlyAsync(db, scope, cache, MonthlyAggregateCache.ByCategory, baseFilter, household.MonthStartDay, first, last, cancellationToken))
            : await SpendingQueries.Matching(db, baseFilter, scope).Lines().ByCategory().ToListAsync(cancellationToken);
        var categories = await CategoriesAsync(db, cancellationToken);
        var hidden = await HiddenPrivateAsync(db, baseFilter, cancellationToken);
        var total = totals.Sum(t => t.AmountMinor) + hidden.SpendingMinor;
        var slices = totals
            .Where(t => t.AmountMinor != 0)
            .OrderByDescending(t => t.AmountMinor).ThenBy(t => t.Key)
            .Select(t =>
            {
                var c = categories[t.Key];
                return new CategorySlice(c.Id, c.Name, c.Color, c.Icon, t.AmountMinor, Percent(t.AmountMinor, total), baseFilter with { CategoryIds = [c.Id] });
            })
            .ToList();
        return new CategorySpending(total, slices, baseFilter, PrivateSliceOf(hidden, total, baseFilter));
    }

    public async Task<MonthlyTrend> MonthlyTrendAsync(AnalyticsFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await CreateAsync(cancellationToken);
        var household = await HouseholdAsync(db, cancellationToken);
        var months = Buckets(filter, household.MonthStartDay, MaxTrendMonths);
        var baseFilter = filter.ToExpenseFilter() with { From = months[0].From, To = months[^1].To };
        var totals = await MonthlyOrLiveAsync(db, MonthlyAggregateCache.ByCategory, filter, baseFilter, months, household.MonthStartDay, cancellationToken);
        var hidden = HiddenByMonth(await MonthlyOrLiveAsync(db, MonthlyAggregateCache.HiddenPrivateByKind, filter, baseFilter, months, household.MonthStartDay, cancellationToken));
        var categories = await CategoriesAsync(db, cancellationToken);
        var today = BudgetPeriods.Today(time, household.TimeZoneId);

        var byCell = totals.ToDictionary(t => (t.Month, t.Key), t => t.AmountMinor);
        var trendMonths = months.Select(m =>
        {
            var monthTotal = totals.Where(t => t.Month == m.Month.Index).Sum(t => t.AmountMinor) + hidden.GetValueOrDefault(m.Month.Index).SpendingMinor;
            var full = BudgetPeriods.RangeOf(m.Month, household.MonthStartDay);
            var partial = m.From != full.From || m.To != full.To || m.To >= today;
            return new TrendMonth(m.Month, m.From, m.To, monthTotal, partial, baseFilter with { From = m.From, To = m.To });
        }).ToList();
        var series = totals.Select(t => t.Key).Distinct()
            .Select(id => categories[id])
            .OrderBy(c => c.SortOrder).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new TrendSeries(c.Id, c.Name, c.Color, months
                .Select(m => new ChartCell(byCell.GetValueOrDefault((m.Month.Index, c.Id)), baseFilter with { From = m.From, To = m.To, CategoryIds = [c.Id] }))
                .ToList()))
            .ToList();
        var complete = trendMonths.Where(m => !m.IsPartial).ToList();
        var basis = complete.Count > 0 ? complete : trendMonths;
        var average = BudgetMath.RoundDiv(basis.Aggregate(Int128.Zero, (sum, m) => sum + m.TotalMinor), basis.Count);
        var privateSeries = hidden.Values.Any(h => h.SpendingCount > 0)
            ? new PrivateSeries(
                hidden.Values.Sum(h => h.SpendingCount),
                months.Select(m => new ChartCell(hidden.GetValueOrDefault(m.Month.Index).SpendingMinor, baseFilter with { From = m.From, To = m.To })).ToList(),
                months.Select(m => hidden.GetValueOrDefault(m.Month.Index).SpendingCount).ToList())
            : null;
        return new MonthlyTrend(trendMonths, series, average, basis.Count, privateSeries);
    }

    /// <summary>Budget vs actual for a month, from the budget page's own figures (budgets are household-wide: no filters).</summary>
    public async Task<BudgetVsActual> BudgetVsActualAsync(BudgetMonth month, CancellationToken cancellationToken = default)
    {
        var view = await budgets.GetMonthAsync(month, cancellationToken);
        var bars = view.Categories.Concat(view.Allowances)
            .Select(r => new BudgetVsActualBar(r.CategoryId, r.Name, r.Color, r.Figures.AvailableMinor, r.Figures.SpentMinor, r.Figures.State, r.DrillDown))
            .ToList();
        if (view.Unbudgeted.SpentMinor != 0)
        {
            bars.Add(new BudgetVsActualBar(null, "Unbudgeted", null, 0, view.Unbudgeted.SpentMinor, PaceState.OverBudget, view.Unbudgeted.DrillDown));
        }

        return new BudgetVsActual(month, bars);
    }

    /// <summary>
    /// Cumulative spending by day of a month against the pace line. Uses the filter's members and accounts; the budget is
    /// the household's (overall, else the sum of the category budgets).
    /// </summary>
    public async Task<CumulativeSpending> CumulativeSpendingAsync(BudgetMonth month, AnalyticsFilter? filter = null, CancellationToken cancellationToken = default)
    {
        await using var db = await CreateAsync(cancellationToken);
        var household = await HouseholdAsync(db, cancellationToken);
        var range = BudgetPeriods.RangeOf(month, household.MonthStartDay);
        var today = BudgetPeriods.Today(time, household.TimeZoneId);
        var baseFilter = (filter ?? new AnalyticsFilter { From = range.From, To = range.To }).ToExpenseFilter() with { From = range.From, To = range.To };
        // Visible and hidden private transactions together (a child's own only); the month's private line comes separately.
        var byDay = await SpendingQueries.HouseholdWide(db, baseFilter, scope).SpendingKinds()
            .GroupBy(t => t.Date)
            .Select(g => new { Date = g.Key, Amount = g.Sum(t => t.Kind == TransactionKind.Refund ? -t.AmountMinor : t.AmountMinor) })
            .ToDictionaryAsync(x => x.Date, x => x.Amount, cancellationToken);

        var view = await budgets.GetMonthAsync(month, cancellationToken);
        long? budget = view.Overall?.Figures.AvailableMinor
            ?? (view.Categories.Count > 0 ? view.Categories.Sum(c => c.Figures.AvailableMinor) : null);
        var days = new List<CumulativeDay>(range.Days);
        long running = 0;
        for (var day = range.From; day <= range.To; day = day.AddDays(1))
        {
            var amount = byDay.GetValueOrDefault(day);
            running += amount;
            var elapsed = day.DayNumber - range.From.DayNumber + 1;
            days.Add(new CumulativeDay(day, amount, day <= today ? running : null,
                budget is { } b ? BudgetMath.RoundDiv((Int128)b * elapsed, range.Days) : null,
                baseFilter with { From = day, To = day }, baseFilter with { To = day }));
        }

        var hidden = await HiddenPrivateAsync(db, baseFilter, cancellationToken);
        return new CumulativeSpending(range, today, budget, days, PrivateSliceOf(hidden, running, baseFilter));
    }

    /// <summary>A month against the month before and the same month a year earlier, per category and in total (full months).</summary>
    public async Task<CategoryComparison> CategoryComparisonAsync(BudgetMonth month, AnalyticsFilter? filter = null, CancellationToken cancellationToken = default)
    {
        await using var db = await CreateAsync(cancellationToken);
        var household = await HouseholdAsync(db, cancellationToken);
        var months = new[] { month, month.Previous, month.AddMonths(-12) };
        var filters = new ExpenseFilter[3];
        var sums = new Dictionary<long, long>[3];
        var hidden = new HiddenMonth[3];
        for (var i = 0; i < 3; i++)
        {
            var range = BudgetPeriods.RangeOf(months[i], household.MonthStartDay);
            filters[i] = (filter ?? new AnalyticsFilter { From = range.From, To = range.To }).ToExpenseFilter() with { From = range.From, To = range.To };
            sums[i] = Sum(await SpendingQueries.MonthlyAsync(db, scope, cache, MonthlyAggregateCache.ByCategory, filters[i], household.MonthStartDay, months[i], months[i], cancellationToken))
                .ToDictionary(t => t.Key, t => t.AmountMinor);
            hidden[i] = HiddenByMonth(await SpendingQueries.MonthlyAsync(
                db, scope, cache, MonthlyAggregateCache.HiddenPrivateByKind, filters[i], household.MonthStartDay, months[i], months[i], cancellationToken)).GetValueOrDefault(months[i].Index);
        }

        var categories = await CategoriesAsync(db, cancellationToken);
        var rows = sums.SelectMany(s => s.Keys).Distinct()
            .Select(id => categories[id])
            .OrderBy(c => c.SortOrder).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => Compare(c.Id, c.Name, c.Color, [.. sums.Select(s => s.GetValueOrDefault(c.Id))], [.. filters.Select(f => f with { CategoryIds = [c.Id] })]))
            .ToList();
        var total = Compare(null, "Total", null, [.. sums.Select((s, i) => s.Values.Sum() + hidden[i].SpendingMinor)], filters);
        var privateRow = hidden.Any(h => h.SpendingCount > 0)
            ? new PrivateComparisonRow(
                Compare(null, new PrivateSummary(hidden[0].SpendingCount, 0).Label, PrivateSlice.Color, [.. hidden.Select(h => h.SpendingMinor)], filters),
                hidden[0].SpendingCount, hidden[1].SpendingCount, hidden[2].SpendingCount)
            : null;
        return new CategoryComparison(months[0], months[1], months[2], rows, total, privateRow);
    }

    public async Task<TopPayees> TopPayeesAsync(AnalyticsFilter filter, int top = 10, CancellationToken cancellationToken = default)
    {
        await using var db = await CreateAsync(cancellationToken);
        var baseFilter = filter.ToExpenseFilter();
        var household = await HouseholdAsync(db, cancellationToken);
        var take = Math.Clamp(top, 1, 100);
        long total;
        List<(long PayeeId, long Amount, int Count)> rows;
        if (WholeMonths(filter, household.MonthStartDay) is var (first, last))
        {
            var kinds = Sum(await SpendingQueries.MonthlyAsync(db, scope, cache, MonthlyAggregateCache.ByKind, baseFilter, household.MonthStartDay, first, last, cancellationToken));
            total = kinds.Where(k => k.Key == (long)TransactionKind.Expense).Sum(k => k.AmountMinor) - kinds.Where(k => k.Key == (long)TransactionKind.Refund).Sum(k => k.AmountMinor);
            rows = Sum(await SpendingQueries.MonthlyAsync(db, scope, cache, MonthlyAggregateCache.ByPayee, baseFilter, household.MonthStartDay, first, last, cancellationToken))
                .OrderByDescending(x => x.AmountMinor).ThenBy(x => x.Key)
                .Take(take)
                .Select(x => (x.Key, x.AmountMinor, x.Count))
                .ToList();
        }
        else
        {
            var spending = SpendingQueries.Matching(db, baseFilter, scope).SpendingKinds();
            total = await spending.SumAsync(t => t.Kind == TransactionKind.Refund ? -t.AmountMinor : t.AmountMinor, cancellationToken);
            rows = (await spending
                    .Where(t => t.PayeeId != null)
                    .GroupBy(t => t.PayeeId!.Value)
                    .Select(g => new { PayeeId = g.Key, Amount = g.Sum(t => t.Kind == TransactionKind.Refund ? -t.AmountMinor : t.AmountMinor), Count = g.Count() })
                    .OrderByDescending(x => x.Amount).ThenBy(x => x.PayeeId)
                    .Take(take)
                    .ToListAsync(cancellationToken))
                .Select(x => (x.PayeeId, x.Amount, x.Count))
                .ToList();
        }

        var hidden = await HiddenPrivateAsync(db, baseFilter, cancellationToken);
        total += hidden.SpendingMinor;
        var ids = rows.Select(r => r.PayeeId).ToArray();
        var names = await db.Payees.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        return new TopPayees(total, rows
            .Select(r => new PayeeSlice(r.PayeeId, names.GetValueOrDefault(r.PayeeId, "?"), r.Amount, r.Count, Percent(r.Amount, total), baseFilter with { PayeeIds = [r.PayeeId] }))
            .ToList(), PrivateSliceOf(hidden, total, baseFilter));
    }

    public async Task<MemberSpendingChart> SpendingPerMemberAsync(AnalyticsFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await CreateAsync(cancellationToken);
        var baseFilter = filter.ToExpenseFilter();
        var household = await HouseholdAsync(db, cancellationToken);
        var rows = WholeMonths(filter, household.MonthStartDay) is var (first, last)
            ? Sum(await SpendingQueries.MonthlyAsync(db, scope, cache, MonthlyAggregateCache.ByMember, baseFilter, household.MonthStartDay, first, last, cancellationToken))
            : await SpendingQueries.Matching(db, baseFilter, scope).PerMember().ByMember().ToListAsync(cancellationToken);
        if (scope.Role == MemberRole.Child)
        {
            rows = rows.Where(r => r.Key == scope.MemberId).ToList();
        }

        var members = await db.Members.AsNoTracking().ToDictionaryAsync(m => m.Id, m => new { m.DisplayName, m.Color }, cancellationToken);
        var hidden = await HiddenPrivateAsync(db, baseFilter, cancellationToken);
        var total = rows.Sum(r => r.AmountMinor) + hidden.SpendingMinor;
        return new MemberSpendingChart(total, rows
            .Where(r => r.AmountMinor != 0)
            .OrderByDescending(r => r.AmountMinor).ThenBy(r => r.Key)
            .Select(r => new MemberSlice(r.Key, members.TryGetValue(r.Key, out var m) ? m.DisplayName : "?", m?.Color ?? "#9E9E9E",
                r.AmountMinor, Percent(r.AmountMinor, total), baseFilter with { SpendingOfMemberId = r.Key }))
            .ToList(), PrivateSliceOf(hidden, total, baseFilter));
    }

    public async Task<IncomeVsSpending> IncomeVsSpendingAsync(AnalyticsFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await CreateAsync(cancellationToken);
        var household = await HouseholdAsync(db, cancellationToken);
        var months = Buckets(filter, household.MonthStartDay, MaxTrendMonths);
        var spendingFilter = filter.ToExpenseFilter() with { From = months[0].From, To = months[^1].To };
        var incomeFilter = spendingFilter with { Kinds = [TransactionKind.Income] };
        var listFilter = spendingFilter with { Kinds = [TransactionKind.Expense, TransactionKind.Refund, TransactionKind.Income] };
        var totals = await MonthlyOrLiveAsync(db, MonthlyAggregateCache.ByKind, filter, listFilter, months, household.MonthStartDay, cancellationToken);
        var hidden = HiddenByMonth(await MonthlyOrLiveAsync(db, MonthlyAggregateCache.HiddenPrivateByKind, filter, listFilter, months, household.MonthStartDay, cancellationToken));
        long Sum(BudgetMonth m, TransactionKind kind) => totals.Where(t => t.Month == m.Index && t.Key == (long)kind).Sum(t => t.AmountMinor);

        var result = months.Select(m =>
        {
            var h = hidden.GetValueOrDefault(m.Month.Index);
            var income = Sum(m.Month, TransactionKind.Income) + h.IncomeMinor;
            var spending = Sum(m.Month, TransactionKind.Expense) - Sum(m.Month, TransactionKind.Refund) + h.SpendingMinor;
            return new IncomeSpendingMonth(m.Month, m.From, m.To,
                new ChartCell(income, incomeFilter with { From = m.From, To = m.To }),
                new ChartCell(spending, spendingFilter with { From = m.From, To = m.To }),
                income - spending,
                h.Count > 0 ? new PrivateSummary(h.Count, h.SpendingMinor, h.IncomeMinor) : null);
        }).ToList();
        var anyHidden = hidden.Values.Where(h => h.Count > 0).ToList();
        var privateLine = anyHidden.Count > 0
            ? new PrivateIncomeSpending(anyHidden.Sum(h => h.Count), anyHidden.Sum(h => h.IncomeMinor), anyHidden.Sum(h => h.SpendingMinor), listFilter)
            : null;
        return new IncomeVsSpending(result, result.Sum(m => m.Income.AmountMinor), result.Sum(m => m.Spending.AmountMinor), privateLine);
    }

    /// <summary>The period as whole budget months, or null when it starts or ends inside a month.</summary>
    internal static (BudgetMonth First, BudgetMonth Last)? WholeMonths(AnalyticsFilter filter, int monthStartDay)
    {
        var first = BudgetPeriods.MonthOf(filter.From, monthStartDay);
        var last = BudgetPeriods.MonthOf(filter.To, monthStartDay);
        return BudgetPeriods.RangeOf(first, monthStartDay).From == filter.From && BudgetPeriods.RangeOf(last, monthStartDay).To == filter.To && first <= last
            ? (first, last)
            : null;
    }

    /// <summary>Monthly totals for the buckets: cached whole months when the period is whole months, else one grouped query.</summary>
    private async Task<IReadOnlyList<KeyedTotal>> MonthlyOrLiveAsync(
        AppDbContext db, string dimension, AnalyticsFilter filter, ExpenseFilter baseFilter, IReadOnlyList<MonthRange> months, int startDay, CancellationToken cancellationToken)
    {
        var whole = BudgetPeriods.RangeOf(months[0].Month, startDay).From == months[0].From && BudgetPeriods.RangeOf(months[^1].Month, startDay).To == months[^1].To;
        return whole
            ? await SpendingQueries.MonthlyAsync(db, scope, cache, dimension, baseFilter, startDay, months[0].Month, months[^1].Month, cancellationToken)
            : await SpendingQueries.Monthly(db, scope, dimension, baseFilter with { From = months[0].From, To = months[^1].To }, startDay).ToListAsync(cancellationToken);
    }

    /// <summary>Monthly rows added up per key.</summary>
    private static List<KeyedTotal> Sum(IEnumerable<KeyedTotal> monthly) =>
        monthly.GroupBy(t => t.Key).Select(g => new KeyedTotal { Key = g.Key, AmountMinor = g.Sum(t => t.AmountMinor), Count = g.Sum(t => t.Count) }).ToList();

    /// <summary>The budget months a period covers (the latest <paramref name="max"/>), each cut to the period.</summary>
    internal static IReadOnlyList<MonthRange> Buckets(AnalyticsFilter filter, int monthStartDay, int max)
    {
        if (filter.To < filter.From)
        {
            throw new ArgumentException("The period ends before it starts.", nameof(filter));
        }

        var last = BudgetPeriods.MonthOf(filter.To, monthStartDay);
        var first = BudgetPeriods.MonthOf(filter.From, monthStartDay);
        var count = Math.Min(max, last.Index - first.Index + 1);
        return BudgetPeriods.RangesEndingWith(last, count, monthStartDay)
            .Select(r => r with { From = r.From < filter.From ? filter.From : r.From, To = r.To > filter.To ? filter.To : r.To })
            .ToList();
    }

    private static ComparisonRow Compare(long? categoryId, string name, string? color, long[] amounts, ExpenseFilter[] filters) =>
        new(categoryId, name, color,
            new ChartCell(amounts[0], filters[0]), new ChartCell(amounts[1], filters[1]), new ChartCell(amounts[2], filters[2]),
            amounts[0] - amounts[1], Change(amounts[0], amounts[1]),
            amounts[0] - amounts[2], Change(amounts[0], amounts[2]));

    private static double? Change(long now, long before) => before == 0 ? null : (now - before) * 100.0 / before;

    /// <summary>
    /// Other members' private transactions within the filter (count and Expense − Refund), the same figure as the expense
    /// list's private line for that filter. Children get none (they see no household totals).
    /// </summary>
    private Task<PrivateSummary> HiddenPrivateAsync(AppDbContext db, ExpenseFilter filter, CancellationToken cancellationToken) =>
        SpendingQueries.Filtered(db, filter, scope).SummarizeHiddenPrivateAsync(scope, filter.CategoryIds, cancellationToken);

    /// <summary>Per budget month (index), other members' private transactions from <see cref="MonthlyAggregateCache.HiddenPrivateByKind"/> rows.</summary>
    private static Dictionary<int, HiddenMonth> HiddenByMonth(IEnumerable<KeyedTotal> rows) =>
        rows.GroupBy(r => r.Month).ToDictionary(g => g.Key, g =>
        {
            long Amount(TransactionKind kind) => g.Where(r => r.Key == (long)kind).Sum(r => r.AmountMinor);
            int Count(TransactionKind kind) => g.Where(r => r.Key == (long)kind).Sum(r => r.Count);
            return new HiddenMonth(
                Count(TransactionKind.Expense) + Count(TransactionKind.Refund), Amount(TransactionKind.Expense) - Amount(TransactionKind.Refund),
                Count(TransactionKind.Income), Amount(TransactionKind.Income));
        });

    private static PrivateSlice? PrivateSliceOf(PrivateSummary hidden, long total, ExpenseFilter filter) =>
        hidden.IsEmpty ? null : new PrivateSlice(hidden.Count, hidden.SpendingMinor, Percent(hidden.SpendingMinor, total), filter);

    private static double Percent(long part, long total) => total == 0 ? 0 : part * 100.0 / total;

    private async Task<AppDbContext> CreateAsync(CancellationToken cancellationToken)
    {
        scope.RequireHousehold();
        return await dbFactory.CreateDbContextAsync(cancellationToken);
    }

    private static async Task<HouseholdSettings> HouseholdAsync(AppDbContext db, CancellationToken cancellationToken) =>
        await db.Households.AsNoTracking()
            .Select(h => new HouseholdSettings(h.TimeZoneId, h.MonthStartDay))
            .FirstOrDefaultAsync(cancellationToken)
        ?? throw new HouseholdAccessException("No current household.");

    private static async Task<Dictionary<long, Category>> CategoriesAsync(AppDbContext db, CancellationToken cancellationToken) =>
        await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Id, cancellationToken);

    private sealed record HouseholdSettings(string TimeZoneId, int MonthStartDay);

    /// <summary>A month's hidden private transactions: spending (Expense − Refund) and income, with their counts.</summary>
    private readonly record struct HiddenMonth(int SpendingCount, long SpendingMinor, int IncomeCount, long IncomeMinor)
    {
        public int Count => SpendingCount + IncomeCount;
    }
}
