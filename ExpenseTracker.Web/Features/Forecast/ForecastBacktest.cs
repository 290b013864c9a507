using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Demo;

namespace ExpenseTracker.Web.Features.Forecast;

/// <summary>
/// Monthly spending of one household split the way the forecasts see it: per category, the variable part (what the
/// models forecast) and the bill part (added exactly), plus each bill payee's monthly payments. Minor units.
/// </summary>
public sealed record MonthlyHistory(
    DateOnly FirstMonth,
    int Months,
    IReadOnlyDictionary<string, long[]> Variable,
    IReadOnlyDictionary<string, long[]> Bills,
    IReadOnlyDictionary<string, (string Category, long[] Paid)> BillPayees)
{
    public IEnumerable<string> Categories => Variable.Keys.Union(Bills.Keys).Order(StringComparer.Ordinal);

    public long Actual(string category, int month) =>
        (Variable.TryGetValue(category, out var v) ? v[month] : 0) + (Bills.TryGetValue(category, out var b) ? b[month] : 0);

    public long ActualTotal(int month) => Categories.Sum(c => Actual(category: c, month));

    /// <summary>Spending = Expense − Refund over category lines; payments to <paramref name="billPayees"/> are bills.</summary>
    public static MonthlyHistory From(DemoData data, IEnumerable<string> billPayees)
    {
        var bills = billPayees.ToHashSet(StringComparer.Ordinal);
        var first = new DateOnly(data.Window.From.Year, data.Window.From.Month, 1);
        var months = ((data.Window.To.Year - first.Year) * 12) + data.Window.To.Month - first.Month + 1;
        var variable = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var billed = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var payees = new Dictionary<string, (string, long[])>(StringComparer.Ordinal);
        foreach (var t in data.Transactions.Where(t => t.Kind is TransactionKind.Expense or TransactionKind.Refund))
        {
            var month = ((t.Date.Year - first.Year) * 12) + t.Date.Month - first.Month;
            var sign = t.Kind == TransactionKind.Refund ? -1 : 1;
            var isBill = bills.Contains(t.Payee);
            foreach (var line in t.Lines)
            {
                var into = isBill ? billed : variable;
                if (!into.TryGetValue(line.Category, out var series))
                {
                    into[line.Category] = series = new long[months];
                }

                series[month] += sign * line.AmountMinor;
            }

            if (isBill)
            {
                if (!payees.TryGetValue(t.Payee, out var payee))
                {
                    payees[t.Payee] = payee = (t.Lines[0].Category, new long[months]);
                }

                payee.Item2[month] += sign * t.AmountMinor;
            }
        }

        return new MonthlyHistory(first, months, variable, billed, payees);
    }

    /// <summary>
    /// What the household's bills would add to month <paramref name="target"/> as seen after month <paramref name="origin"/> − 1:
    /// a payee paid in two of the last three months is a monthly bill, one paid exactly 12 months before the target (and
    /// not monthly) a yearly bill; a bill's amount is its latest payment (what a bill's amount is kept at).
    /// </summary>
    public Dictionary<string, long> KnownBills(int origin, int target)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (category, paid) in BillPayees.Values)
        {
            var recent = Enumerable.Range(Math.Max(0, origin - 3), Math.Min(3, origin)).Count(m => paid[m] != 0);
            var last = Enumerable.Range(0, origin).Reverse().Where(m => paid[m] != 0).Select(m => paid[m]).FirstOrDefault();
            long amount = recent >= 2 ? last : target - 12 >= 0 && target - 12 < origin && paid[target - 12] != 0 ? paid[target - 12] : 0;
            result[category] = result.GetValueOrDefault(category) + amount;
        }

        return result;
    }
}

/// <summary>Mean absolute percentage errors of one backtest, in percent, with the seasonal-naive baseline's beside them.</summary>
public sealed record BacktestResult(
    string Name,
    int Horizon,
    int Targets,
    double MapeTotal,
    double BaselineMapeTotal,
    IReadOnlyList<(string Category, double Mape, double BaselineMape)> Categories)
{
    public double MapeCategories => Categories.Count == 0 ? 0 : Categories.Average(c => c.Mape);

    public double BaselineMapeCategories => Categories.Count == 0 ? 0 : Categories.Average(c => c.BaselineMape);
}

/// <summary>
/// Replays a history month by month: at each origin from month 12 on (so the baseline has a year), the forecasts see
/// only the months before it and predict the month <c>horizon</c> ahead; the baseline predicts the same month's actual
/// total (bills included) from a year earlier. Reported for the total and the five largest categories.
/// </summary>
public static class ForecastBacktest
{
    public const int LargestCategories = 5;
    public const int FirstOrigin = 12;

    public static BacktestResult Run(string name, MonthlyHistory history, int horizon)
    {
        var largest = history.Categories
            .OrderByDescending(c => Enumerable.Range(0, history.Months).Sum(m => history.Actual(c, m)))
            .Take(LargestCategories).ToList();
        var total = new List<(double Actual, double Forecast, double Baseline)>();
        var perCategory = largest.ToDictionary(c => c, _ => new List<(double Actual, double Forecast, double Baseline)>(), StringComparer.Ordinal);
        for (var origin = FirstOrigin; origin + horizon - 1 < history.Months; origin++)
        {
            var target = origin + horizon - 1;
            var bills = history.KnownBills(origin, target);
            var totalVariable = Enumerable.Range(0, origin).Select(m => history.Categories.Sum(c => history.Variable.TryGetValue(c, out var v) ? v[m] : 0)).ToList();
            var totalForecast = Forecaster.Forecast(totalVariable, horizon).Points[horizon - 1].PointMinor + bills.Values.Sum();
            var actualTotals = Enumerable.Range(0, origin).Select(history.ActualTotal).Select(v => (double)v).ToList();
            total.Add((history.ActualTotal(target), totalForecast, ForecastMethods.SeasonalNaive(actualTotals, horizon)[horizon - 1]));
            foreach (var category in largest)
            {
                var variable = history.Variable.TryGetValue(category, out var v) ? v.Take(origin).ToList() : Enumerable.Repeat(0L, origin).ToList();
                var forecast = Forecaster.Forecast(variable, horizon).Points[horizon - 1].PointMinor + bills.GetValueOrDefault(category);
                var actuals = Enumerable.Range(0, origin).Select(m => (double)history.Actual(category, m)).ToList();
                perCategory[category].Add((history.Actual(category, target), forecast, ForecastMethods.SeasonalNaive(actuals, horizon)[horizon - 1]));
            }
        }

        return new BacktestResult(name, horizon, total.Count,
            Mape(total, p => p.Forecast), Mape(total, p => p.Baseline),
            largest.Select(c => (c, Mape(perCategory[c], p => p.Forecast), Mape(perCategory[c], p => p.Baseline))).ToList());
    }

    /// <summary>Mean of |actual − predicted| ÷ |actual| over targets with a non-zero actual, in percent.</summary>
    public static double Mape(IEnumerable<(double Actual, double Forecast, double Baseline)> points, Func<(double Actual, double Forecast, double Baseline), double> predicted)
    {
        var errors = points.Where(p => p.Actual != 0).Select(p => Math.Abs(p.Actual - predicted(p)) / Math.Abs(p.Actual) * 100).ToList();
        return errors.Count == 0 ? 0 : errors.Average();
    }
}
