using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Demo;

namespace ExpenseTracker.Web.Features.Notifications.Alerts;

/// <summary>One alert the replay produced: "unusual-expense" on a transaction (its index), or "category-pace" for a category's month.</summary>
public sealed record ReplayAlert(string Rule, DateOnly Date, string Category, int? TransactionIndex, bool AboutPlantedOutlier);

public sealed record ReplayResult(
    int Months,
    int PlantedOutliers,
    int PlantedCaught,
    IReadOnlyList<ReplayAlert> Irregular,
    int BudgetWarnAlerts,
    int BudgetOverAlerts)
{
    /// <summary>Irregular-spending alerts that are not about a planted outlier.</summary>
    public int Other => Irregular.Count(a => !a.AboutPlantedOutlier);

    public double OtherPerMonth => Months == 0 ? 0 : (double)Other / Months;

    public int BudgetAlerts => BudgetWarnAlerts + BudgetOverAlerts;
}

/// <summary>
/// Replays a demo history in date order through the same detectors the app runs (<see cref="UnusualExpenseDetector"/> on
/// every expense as it is saved, <see cref="CategoryPaceDetector"/> once a day) and counts what they would have said.
/// Budget alerts are counted apart (they are not "irregular"): the demo has no budgets, so each category gets one at its
/// median month over the demo, with the default 80 % / 100 % thresholds. A pace alert counts as about a planted outlier
/// when it is for the outlier's category and budget month and comes on or after its date.
/// </summary>
public static class AlertReplay
{
    public static ReplayResult Run(DemoData data, long unitMinor = 100, int monthStartDay = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        var transactions = data.Transactions;
        var planted = DemoDataGenerator.Outliers
            .Select(o => FindIndex(transactions, o, data.Window))
            .ToList();
        var plantedSet = planted.ToHashSet();
        var alerts = new List<ReplayAlert>();

        // Unusual expense, in date order (the generator sorts each month by date; ties keep list order = save order).
        var payees = new Dictionary<string, List<SpendingPoint>>(StringComparer.Ordinal);
        var categories = new Dictionary<string, List<SpendingPoint>>(StringComparer.Ordinal);
        var ordered = transactions.Select((t, i) => (t, i)).OrderBy(x => x.t.Date).ThenBy(x => x.i).ToList();
        foreach (var (t, i) in ordered.Where(x => x.t.Kind == TransactionKind.Expense && x.t.Lines.Count > 0))
        {
            var main = MainLine(t);
            var payeeHistory = payees.TryGetValue(t.Payee, out var ph) ? ph : payees[t.Payee] = [];
            var categoryHistory = categories.TryGetValue(main.Category, out var ch) ? ch : categories[main.Category] = [];
            var verdict = UnusualExpenseDetector.Judge(
                t.AmountMinor, UnusualExpenseDetector.BaselineOf(payeeHistory, unitMinor, provisional: true),
                main.AmountMinor, UnusualExpenseDetector.BaselineOf(categoryHistory, unitMinor));
            if (verdict.IsUnusual)
            {
                alerts.Add(new ReplayAlert("unusual-expense", t.Date, main.Category, i, plantedSet.Contains(i)));
            }

            payeeHistory.Add(new SpendingPoint(t.Date, t.AmountMinor));
            foreach (var line in t.Lines)
            {
                (categories.TryGetValue(line.Category, out var lh) ? lh : categories[line.Category] = []).Add(new SpendingPoint(t.Date, line.AmountMinor));
            }
        }

        // Category pace, once a day, at most once per category and budget month.
        var daily = transactions
            .Where(t => t.Kind is TransactionKind.Expense or TransactionKind.Refund)
            .SelectMany(t => t.Lines.Select(l => new DailySpending<string>(l.Category, t.Date, t.Kind == TransactionKind.Refund ? -l.AmountMinor : l.AmountMinor)))
            .GroupBy(d => (d.Category, d.Date))
            .Select(g => new DailySpending<string>(g.Key.Category, g.Key.Date, g.Sum(d => d.AmountMinor)))
            .OrderBy(d => d.Date)
            .ToList();
        var firstMonth = BudgetPeriods.MonthOf(data.Window.From, monthStartDay);
        var paced = new HashSet<(string, BudgetMonth)>();
        int first = 0, end = 0; // the days' rows inside [window start, day]; both ends only move forward
        for (var day = data.Window.From; day <= data.Window.To; day = day.AddDays(1))
        {
            var month = BudgetPeriods.MonthOf(day, monthStartDay);
            var windowStart = BudgetPeriods.RangeOf(month.AddMonths(-CategoryPaceDetector.MonthsBack), monthStartDay).From;
            while (first < daily.Count && daily[first].Date < windowStart)
            {
                first++;
            }

            while (end < daily.Count && daily[end].Date <= day)
            {
                end++;
            }

            var relevant = daily.GetRange(first, Math.Max(0, end - first));
            foreach (var (category, verdict) in CategoryPaceDetector.JudgeDay(relevant, day, monthStartDay, firstMonth, unitMinor))
            {
                if (verdict.IsFast && paced.Add((category, month)))
                {
                    var about = planted.Any(p => MainLine(transactions[p]).Category == category
                        && BudgetPeriods.MonthOf(transactions[p].Date, monthStartDay) == month && transactions[p].Date <= day);
                    alerts.Add(new ReplayAlert("category-pace", day, category, null, about));
                }
            }
        }

        var caught = planted.Count(p => alerts.Any(a => a.AboutPlantedOutlier
            && (a.TransactionIndex == p || (a.TransactionIndex is null && a.Category == MainLine(transactions[p]).Category
                && BudgetPeriods.MonthOf(a.Date, monthStartDay) == BudgetPeriods.MonthOf(transactions[p].Date, monthStartDay)))));
        var (warn, over) = CountBudgetAlerts(transactions, monthStartDay);
        return new ReplayResult(DemoWindow.Months, planted.Count, caught, alerts, warn, over);
    }

    /// <summary>The line in the expense's largest category (the category it is judged in).</summary>
    public static DemoLine MainLine(DemoTransaction transaction) =>
        transaction.Lines.OrderByDescending(l => l.AmountMinor).First();

    private static int FindIndex(IReadOnlyList<DemoTransaction> transactions, PlantedOutlier outlier, DemoWindow window)
    {
        var date = outlier.DateIn(window);
        for (var i = 0; i < transactions.Count; i++)
        {
            var t = transactions[i];
            if (t.Date == date && t.AmountMinor == outlier.AmountMinor && t.Payee == outlier.Payee)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The planted outlier at {outlier.Payee} is not in the data.");
    }

    /// <summary>Category budgets at each category's median month; one warn and one over alert at most per budget month.</summary>
    private static (int Warn, int Over) CountBudgetAlerts(IReadOnlyList<DemoTransaction> transactions, int monthStartDay)
    {
        var monthly = transactions
            .Where(t => t.Kind is TransactionKind.Expense or TransactionKind.Refund)
            .SelectMany(t => t.Lines.Select(l => (l.Category, Month: BudgetPeriods.MonthOf(t.Date, monthStartDay),
                Amount: t.Kind == TransactionKind.Refund ? -l.AmountMinor : l.AmountMinor)))
            .GroupBy(x => (x.Category, x.Month))
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Amount));
        var budgets = monthly.GroupBy(m => m.Key.Category)
            .ToDictionary(g => g.Key, g => RobustStats.Median(g.Select(x => x.Value)), StringComparer.Ordinal);
        // Thresholds are reached as the month goes (a later refund does not take an alert back): replay in date order.
        var running = new Dictionary<(string, BudgetMonth), long>();
        var reached = new Dictionary<(string, BudgetMonth), BudgetThreshold>();
        foreach (var t in transactions.Where(t => t.Kind is TransactionKind.Expense or TransactionKind.Refund).OrderBy(t => t.Date))
        {
            foreach (var line in t.Lines)
            {
                var key = (line.Category, BudgetPeriods.MonthOf(t.Date, monthStartDay));
                var spent = running[key] = running.GetValueOrDefault(key) + (t.Kind == TransactionKind.Refund ? -line.AmountMinor : line.AmountMinor);
                var now = BudgetMath.ThresholdOf(spent, budgets[line.Category], 80, 100);
                if (now > reached.GetValueOrDefault(key))
                {
                    reached[key] = now;
                }
            }
        }

        var warn = reached.Values.Count(r => r >= BudgetThreshold.Warn);
        var over = reached.Values.Count(r => r == BudgetThreshold.Alert);
        return (warn, over);
    }
}
