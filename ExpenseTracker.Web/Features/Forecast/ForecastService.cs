using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Forecast;

/// <summary>
/// Month-end projections and forecasts of the current household. Spending is counted by the budgets' rule
/// (<see cref="SpendingQueries.HouseholdWide"/>: private transactions stay in their categories, a child sees only their
/// own) so projections compare with budgets; payee-level insights use the analytics rule (<see cref="SpendingQueries.Matching"/>),
/// which hides other members' private transactions. Bills the reader can see (<see cref="BillService.ListAsync"/>) are added
/// exactly; their payments, and any expense to a payee that has a bill, are left out of the history the models see.
/// Sums run in SQL, grouped by month and category (or day and category for the daily pattern).
/// </summary>
public sealed class ForecastService(
    IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time, BillService bills, BudgetService budgets)
{
    /// <summary>The longest history the models read.</summary>
    public const int MaxHistoryMonths = 36;
    public const int DefaultHorizon = 6;

    /// <summary>How long one projection is shared by the callers of a scope (a page's budget rows render within it).</summary>
    public static readonly TimeSpan ShareFor = TimeSpan.FromSeconds(5);

    private (Task<MonthEndView> Task, long Started)? monthEnd;

    /// <summary>The current month's projection; computed once for all the budget rows of a page (see <see cref="ShareFor"/>).</summary>
    public Task<MonthEndView> GetMonthEndAsync()
    {
        if (monthEnd is not { } cached || time.GetElapsedTime(cached.Started) > ShareFor)
        {
            monthEnd = cached = (ComputeMonthEndAsync(CancellationToken.None), time.GetTimestamp());
        }

        return cached.Task;
    }

    /// <summary>Forgets the shared projection (after the household's data changed).</summary>
    public void Reset() => monthEnd = null;

    private async Task<MonthEndView> ComputeMonthEndAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var context = await ContextAsync(db, cancellationToken);
        var projection = await ProjectAsync(db, context, cancellationToken);
        var budgetAmounts = await BudgetAmountsAsync(context.Month, cancellationToken);
        var categories = await CategoriesAsync(db, cancellationToken);
        var rows = projection.Categories
            .Where(c => c.ProjectedMinor != 0 || c.SpentMinor != 0)
            .Select(c => Row(c, categories, budgetAmounts.TryGetValue(c.CategoryId, out var budget) ? budget : null))
            .OrderByDescending(r => r.ProjectedMinor).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        var total = new MonthEndRow(null, "Total", null, projection.SpentMinor, projection.BillsDueMinor, projection.ExpectedVariableMinor,
            projection.ProjectedMinor, budgetAmounts.TryGetValue(OverallKey, out var overall) ? overall : null);
        return new MonthEndView(context.Month, context.Today, BudgetPeriods.DaysLeft(context.Range, context.Today), context.Currency, total, rows,
            projection.LowConfidence, projection.HistoryDays);
    }

    /// <summary>History, the current month's projection and <paramref name="horizon"/> (1–6) further months, with insights.</summary>
    public async Task<ForecastView> GetForecastAsync(int horizon = DefaultHorizon, CancellationToken cancellationToken = default)
    {
        horizon = Math.Clamp(horizon, 1, DefaultHorizon);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var context = await ContextAsync(db, cancellationToken);
        var projection = await ProjectAsync(db, context, cancellationToken);
        var categories = await CategoriesAsync(db, cancellationToken);
        var culture = CultureInfo.GetCultureInfo(context.Culture);

        // Whole months before the current one, from the first month with spending (at most MaxHistoryMonths).
        var firstDate = await SpendingQueries.HouseholdWide(db, new ExpenseFilter(), scope).SpendingKinds()
            .Where(t => t.Date < context.Range.From).MinAsync(t => (DateOnly?)t.Date, cancellationToken);
        var firstMonth = firstDate is { } d ? BudgetPeriods.MonthOf(d, context.StartDay) : context.Month;
        var count = Math.Clamp(context.Month.Index - firstMonth.Index, 0, MaxHistoryMonths);
        var months = Enumerable.Range(0, count).Select(i => context.Month.AddMonths(i - count)).ToList();
        var variable = new Dictionary<long, long[]>();
        var actual = new Dictionary<long, long[]>();
        if (count > 0)
        {
            var range = new ExpenseFilter { From = BudgetPeriods.RangeOf(months[0], context.StartDay).From, To = context.Range.From.AddDays(-1) };
            var all = SpendingQueries.HouseholdWide(db, range, scope);
            Fill(actual, await all.Lines().ByMonthAndCategory(context.StartDay).ToListAsync(cancellationToken), months[0], count);
            Fill(variable, await WithoutBills(all, context).Lines().ByMonthAndCategory(context.StartDay).ToListAsync(cancellationToken), months[0], count);
        }

        var future = Enumerable.Range(1, horizon).Select(i => context.Month.AddMonths(i)).ToList();
        var billsByMonth = future.ToDictionary(m => m, m => BillsIn(context.Bills, BudgetPeriods.RangeOf(m, context.StartDay)));
        var budgetEntries = await BudgetEntriesAsync(cancellationToken);

        // The models forecast the current month too (step 1); its point is replaced by the month-end projection.
        var steps = horizon + 1;
        var totalHistory = Enumerable.Range(0, count).Select(i => variable.Values.Sum(v => v[i])).ToList();
        var totalForecast = Forecaster.Forecast(totalHistory, steps);
        var forecastMonths = new List<ForecastMonth> { CurrentMonth(projection, totalForecast.Points[0], context, budgetEntries) };
        forecastMonths.AddRange(future.Select((m, i) =>
        {
            var billTotal = billsByMonth[m].Values.Sum();
            return new ForecastMonth(m, Shift(totalForecast.Points[i + 1], billTotal), billTotal, AmountFor(budgetEntries, OverallKey, m), false);
        }));

        var categoryForecasts = categories.Values
            .Where(c => actual.ContainsKey(c.Id) || projection.For(c.Id) is not null || billsByMonth.Values.Any(b => b.ContainsKey(c.Id)))
            .Select(c =>
            {
                var forecast = Forecaster.Forecast(variable.TryGetValue(c.Id, out var v) ? v : new long[count], steps);
                var current = projection.For(c.Id);
                var points = new List<ForecastPoint> { current is null ? forecast.Points[0] : Around(current.ProjectedMinor, forecast.Points[0], context) };
                points.AddRange(future.Select((m, i) => Shift(forecast.Points[i + 1], billsByMonth[m].GetValueOrDefault(c.Id))));
                return new CategoryForecast(c.Id, c.Name, c.Color, forecast.Method, forecast.LowConfidence, points, AmountFor(budgetEntries, c.Id, context.Month));
            })
            .OrderByDescending(c => c.Points.Sum(p => p.PointMinor))
            .ToList();

        var insights = new List<Insight>();
        insights.AddRange(ForecastInsights.TrendingUp(actual).Where(t => categories.ContainsKey(t.CategoryId)).Select(t => new Insight(InsightKind.TrendingUp,
            string.Format(culture, "{0} is trending up: about {1} a month lately, {2} more than {3} (+{4:0} %).", categories[t.CategoryId].Name,
                Money.Format(t.RecentMonthlyMinor, context.Currency, culture), Money.Format(t.ChangeMinor, context.Currency, culture), t.Against, t.ChangePercent),
            t.CategoryId)));
        insights.AddRange(await PriceRiseInsightsAsync(db, context, culture, cancellationToken));
        insights.AddRange(forecastMonths.Where(m => m.OverallBudgetMinor is { } b && m.Total.PointMinor > b).Select(m => new Insight(InsightKind.OverBudget,
            string.Format(culture, "{0} will likely exceed the overall budget: about {1} of {2}{3}.", m.Month.Format(culture),
                Money.Format(m.Total.PointMinor, context.Currency, culture), Money.Format(m.OverallBudgetMinor!.Value, context.Currency, culture),
                m.Total.LowMinor > m.OverallBudgetMinor ? " (even the low end is over)" : string.Empty))));

        return new ForecastView(context.Currency, context.Month, months.Select((m, i) => new HistoryMonth(m, actual.Values.Sum(v => v[i]))).ToList(),
            forecastMonths, totalForecast.Method, count < Forecaster.MinConfidentMonths, totalForecast.BacktestErrorMinor, totalForecast.BaselineErrorMinor,
            categoryForecasts, insights);
    }

    private sealed record Context(
        string Currency, string Culture, int StartDay, DateOnly Today, BudgetMonth Month, MonthRange Range, IReadOnlyList<BillDetails> Bills, IReadOnlyList<long> BillPayeeIds);

    private async Task<Context> ContextAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        scope.RequireHousehold();
        var household = await db.Households.AsNoTracking()
            .Select(h => new { h.BaseCurrency, h.Culture, h.TimeZoneId, h.MonthStartDay })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new HouseholdAccessException("No current household.");
        var today = BudgetPeriods.Today(time, household.TimeZoneId);
        var month = BudgetPeriods.MonthOf(today, household.MonthStartDay);
        var visibleBills = await bills.ListAsync(cancellationToken: cancellationToken);
        var billIds = visibleBills.Select(b => b.Id).ToList();
        var payeeIds = await db.Bills.AsNoTracking().Where(b => billIds.Contains(b.Id) && b.PayeeId != null).Select(b => b.PayeeId!.Value).ToListAsync(cancellationToken);
        return new Context(household.BaseCurrency, household.Culture, household.MonthStartDay, today, month,
            BudgetPeriods.RangeOf(month, household.MonthStartDay), visibleBills, payeeIds);
    }

    /// <summary>Spending that is not a bill: not recorded from a bill, and not to a payee the reader has a bill for.</summary>
    private static IQueryable<Transaction> WithoutBills(IQueryable<Transaction> transactions, Context context)
    {
        var payees = context.BillPayeeIds;
        return transactions.Where(t => t.BillId == null && t.Source != TransactionSource.Bill && (t.PayeeId == null || !payees.Contains(t.PayeeId.Value)));
    }

    private async Task<MonthProjection> ProjectAsync(AppDbContext db, Context context, CancellationToken cancellationToken)
    {
        var visible = SpendingQueries.HouseholdWide(db, new ExpenseFilter(), scope).AsNoTracking();
        var spent = await visible.Between(context.Range.From, context.Range.To).Lines().ByCategory()
            .ToDictionaryAsync(t => t.Key, t => t.AmountMinor, cancellationToken);

        // The daily pattern: the last twelve weeks before today, or from the first spending on if that is later.
        var patternFrom = context.Today.AddDays(-MonthEndProjector.PatternDays);
        var first = await visible.SpendingKinds().Where(t => t.Date >= patternFrom && t.Date < context.Today).MinAsync(t => (DateOnly?)t.Date, cancellationToken);
        var historyFrom = first ?? context.Today;
        var daily = await WithoutBills(visible.Between(historyFrom, context.Today.AddDays(-1)), context).Lines()
            .GroupBy(l => new { l.CategoryId, l.Date })
            .Select(g => new DailySpend(g.Key.CategoryId, g.Key.Date, g.Sum(l => l.AmountMinor)))
            .ToListAsync(cancellationToken);
        var due = context.Bills
            .Where(b => b.NextDue is not null)
            .SelectMany(b => BillSchedule.Between(b.Schedule, Max(b.NextDue!.Value, context.Range.From), context.Range.To)
                .Select(d => new DueBill(b.CategoryId, d, b.AmountMinor, b.Name)))
            .ToList();
        return MonthEndProjector.Project(context.Range, context.Today, spent, daily, historyFrom, due);
    }

    /// <summary>Per category, what the bills add to a month: their occurrences in it from each bill's next due date on.</summary>
    private static Dictionary<long, long> BillsIn(IReadOnlyList<BillDetails> list, MonthRange range) =>
        list.Where(b => b.NextDue is not null)
            .SelectMany(b => BillSchedule.Between(b.Schedule, Max(b.NextDue!.Value, range.From), range.To)
                .Select(_ => (Category: b.CategoryId ?? MonthEndProjector.NoCategory, b.AmountMinor)))
            .GroupBy(x => x.Category)
            .ToDictionary(g => g.Key, g => g.Sum(x => x.AmountMinor));

    private static ForecastMonth CurrentMonth(MonthProjection projection, ForecastPoint model, Context context, IReadOnlyList<(long Key, List<AmountEntry> Entries)> budgetEntries) =>
        new(context.Month, Around(projection.ProjectedMinor, model, context), projection.BillsDueMinor, AmountFor(budgetEntries, OverallKey, context.Month), true);

    /// <summary>The projection with the model's band narrowed to the share of the month still to come.</summary>
    private static ForecastPoint Around(long projected, ForecastPoint model, Context context)
    {
        var left = BudgetPeriods.DaysLeft(context.Range, context.Today);
        var half = BudgetMath.RoundDiv((Int128)(model.HighMinor - model.LowMinor) * left, 2L * context.Range.Days);
        return new ForecastPoint(projected, Math.Max(Math.Min(projected, 0), projected - half), projected + half);
    }

    private static ForecastPoint Shift(ForecastPoint point, long bills) =>
        new(point.PointMinor + bills, point.LowMinor + bills, point.HighMinor + bills);

    private const long OverallKey = -1;

    /// <summary>Budget amount entries by category id (<see cref="OverallKey"/> for the overall budget); allowances are left out.</summary>
    private async Task<IReadOnlyList<(long Key, List<AmountEntry> Entries)>> BudgetEntriesAsync(CancellationToken cancellationToken) =>
        (await budgets.ListAsync(cancellationToken: cancellationToken))
            .Where(b => b.MemberId is null)
            .Select(b => (b.CategoryId ?? OverallKey, b.Amounts.Select(a => new AmountEntry(a.Month, a.AmountMinor, a.IsOverride)).ToList()))
            .ToList();

    private async Task<Dictionary<long, long>> BudgetAmountsAsync(BudgetMonth month, CancellationToken cancellationToken) =>
        (await BudgetEntriesAsync(cancellationToken))
            .Select(b => (b.Key, Amount: BudgetMath.AmountFor(b.Entries, month)))
            .Where(b => b.Amount is not null)
            .GroupBy(b => b.Key)
            .ToDictionary(g => g.Key, g => g.First().Amount!.Value);

    private static long? AmountFor(IReadOnlyList<(long Key, List<AmountEntry> Entries)> entries, long key, BudgetMonth month) =>
        entries.Where(e => e.Key == key).Select(e => BudgetMath.AmountFor(e.Entries, month)).FirstOrDefault(a => a is not null);

    private async Task<IEnumerable<Insight>> PriceRiseInsightsAsync(AppDbContext db, Context context, CultureInfo culture, CancellationToken cancellationToken)
    {
        // Payee detail follows the analytics rule: other members' private expenses are not looked at.
        var from = BudgetPeriods.RangeOf(context.Month.AddMonths(-14), context.StartDay).From;
        var filter = new ExpenseFilter { From = from, To = context.Range.From.AddDays(-1), Kinds = [TransactionKind.Expense] };
        var rows = await SpendingQueries.Matching(db, filter, scope).ByMonthAndPayee(context.StartDay).ToListAsync(cancellationToken);
        var rises = ForecastInsights.PriceRises(rows.Select(r => new PayeeMonth(r.Key, r.Month, r.AmountMinor, r.Count)), context.Month.Previous.Index);
        if (rises.Count == 0)
        {
            return [];
        }

        var ids = rises.Select(r => r.PayeeId).ToList();
        var names = await db.Payees.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        return rises.Where(r => names.ContainsKey(r.PayeeId)).Select(r => new Insight(InsightKind.PriceRise,
            string.Format(culture, "{0} went up from {1} to {2} (+{3:0} %) in {4}.", names[r.PayeeId], Money.Format(r.OldMinor, context.Currency, culture),
                Money.Format(r.NewMinor, context.Currency, culture), r.ChangePercent, BudgetMonth.FromIndex(r.SinceMonth).Format(culture))));
    }

    private static async Task<Dictionary<long, (long Id, string Name, string Color)>> CategoriesAsync(AppDbContext db, CancellationToken cancellationToken) =>
        (await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).Select(c => new { c.Id, c.Name, c.Color }).ToListAsync(cancellationToken))
            .ToDictionary(c => c.Id, c => (c.Id, c.Name, c.Color));

    private static MonthEndRow Row(CategoryProjection c, Dictionary<long, (long Id, string Name, string Color)> categories, long? budget) =>
        categories.TryGetValue(c.CategoryId, out var category)
            ? new MonthEndRow(c.CategoryId, category.Name, category.Color, c.SpentMinor, c.BillsDueMinor, c.ExpectedVariableMinor, c.ProjectedMinor, budget)
            : new MonthEndRow(c.CategoryId, "Uncategorised bills", null, c.SpentMinor, c.BillsDueMinor, c.ExpectedVariableMinor, c.ProjectedMinor, null);

    private static void Fill(Dictionary<long, long[]> into, IEnumerable<KeyedTotal> rows, BudgetMonth first, int count)
    {
        foreach (var row in rows)
        {
            var index = row.Month - first.Index;
            if (index < 0 || index >= count)
            {
                continue;
            }

            if (!into.TryGetValue(row.Key, out var series))
            {
                into[row.Key] = series = new long[count];
            }

            series[index] += row.AmountMinor;
        }
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
