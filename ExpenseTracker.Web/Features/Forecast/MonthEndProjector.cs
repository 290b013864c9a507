using ExpenseTracker.Web.Features.Budgets;

namespace ExpenseTracker.Web.Features.Forecast;

/// <summary>A category's variable (non-bill) spending on one day, signed (refunds lower it).</summary>
public sealed record DailySpend(long CategoryId, DateOnly Date, long AmountMinor);

/// <summary>An unpaid occurrence of a bill in the month; its amount is added exactly.</summary>
public sealed record DueBill(long? CategoryId, DateOnly Due, long AmountMinor, string Name);

/// <summary>Where one category is heading: spent so far + bills still due + the expected variable rest. Minor units.</summary>
public sealed record CategoryProjection(long CategoryId, long SpentMinor, long BillsDueMinor, long ExpectedVariableMinor)
{
    public long ProjectedMinor => SpentMinor + BillsDueMinor + ExpectedVariableMinor;
}

/// <summary>The month-end projection of one budget month, per category and in total.</summary>
/// <param name="HistoryDays">Days of history the daily pattern was taken from.</param>
/// <param name="LowConfidence">Less than <see cref="MonthEndProjector.ConfidentHistoryDays"/> days of history.</param>
public sealed record MonthProjection(
    MonthRange Range,
    DateOnly Today,
    IReadOnlyList<CategoryProjection> Categories,
    int WeekdaysLeft,
    int WeekendDaysLeft,
    int HistoryDays,
    bool LowConfidence)
{
    public long SpentMinor => Categories.Sum(c => c.SpentMinor);

    public long BillsDueMinor => Categories.Sum(c => c.BillsDueMinor);

    public long ExpectedVariableMinor => Categories.Sum(c => c.ExpectedVariableMinor);

    public long ProjectedMinor => Categories.Sum(c => c.ProjectedMinor);

    public CategoryProjection? For(long categoryId) => Categories.FirstOrDefault(c => c.CategoryId == categoryId);
}

/// <summary>
/// Month-end projection, pure and in integer minor units. Expected variable spending for the days after today = the
/// category's average per weekday × weekdays left + its average per weekend day × weekend days left, the averages taken
/// over the history window (<c>historyFrom</c> to yesterday; bill payments excluded by the caller). Today counts as spent.
/// Bills still unpaid this month are added at their amounts; a bill without a category counts in no category.
/// </summary>
public static class MonthEndProjector
{
    /// <summary>How far back the daily pattern looks: twelve whole weeks.</summary>
    public const int PatternDays = 84;
    public const int ConfidentHistoryDays = 28;
    /// <summary>The category id under which uncategorised bills are counted.</summary>
    public const long NoCategory = 0;

    public static MonthProjection Project(
        MonthRange range, DateOnly today, IReadOnlyDictionary<long, long> spentByCategory, IReadOnlyList<DailySpend> variableHistory,
        DateOnly historyFrom, IReadOnlyList<DueBill> unpaidBills)
    {
        var historyTo = today.AddDays(-1);
        var (weekdays, weekendDays) = CountDays(historyFrom, historyTo);
        var (weekdaysLeft, weekendLeft) = CountDays(Max(today.AddDays(1), range.From), range.To);
        var byCategory = variableHistory
            .Where(d => d.Date >= historyFrom && d.Date <= historyTo)
            .GroupBy(d => d.CategoryId)
            .ToDictionary(g => g.Key, g => (Weekday: Sum(g.Where(d => !IsWeekend(d.Date))), Weekend: Sum(g.Where(d => IsWeekend(d.Date)))));
        var bills = unpaidBills
            .Where(b => range.Contains(b.Due))
            .GroupBy(b => b.CategoryId ?? NoCategory)
            .ToDictionary(g => g.Key, g => g.Sum(b => b.AmountMinor));
        var ids = spentByCategory.Keys.Union(byCategory.Keys).Union(bills.Keys).Order();
        var categories = ids.Select(id =>
        {
            var expected = 0L;
            if (byCategory.TryGetValue(id, out var sums))
            {
                expected = Share(sums.Weekday, weekdays, weekdaysLeft) + Share(sums.Weekend, weekendDays, weekendLeft);
            }

            return new CategoryProjection(id, spentByCategory.GetValueOrDefault(id), bills.GetValueOrDefault(id), expected);
        }).ToList();
        var historyDays = Math.Max(0, historyTo.DayNumber - historyFrom.DayNumber + 1);
        return new MonthProjection(range, today, categories, weekdaysLeft, weekendLeft, historyDays, historyDays < ConfidentHistoryDays);
    }

    /// <summary>sum ÷ days × daysLeft, rounded half away from zero; nothing when the window has no such day.</summary>
    private static long Share(Int128 sum, int days, int daysLeft) =>
        days == 0 || daysLeft == 0 ? 0 : BudgetMath.RoundDiv(sum * daysLeft, days);

    private static Int128 Sum(IEnumerable<DailySpend> days) => days.Aggregate(Int128.Zero, (sum, d) => sum + d.AmountMinor);

    public static bool IsWeekend(DateOnly date) => date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>Weekdays and weekend days in [from, to]; none when to is before from.</summary>
    public static (int Weekdays, int WeekendDays) CountDays(DateOnly from, DateOnly to)
    {
        var weekdays = 0;
        var weekend = 0;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (IsWeekend(day))
            {
                weekend++;
            }
            else
            {
                weekdays++;
            }
        }

        return (weekdays, weekend);
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
