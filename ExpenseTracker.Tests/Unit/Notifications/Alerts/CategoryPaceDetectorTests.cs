using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Notifications.Alerts;

namespace ExpenseTracker.Tests.Unit.Notifications.Alerts;

public sealed class CategoryPaceDetectorTests
{
    private const long Cent = 100;

    /// <summary>Groceries: 20.00 a day on the 1st–10th of August, September and October; Dining: 30.00 on the 5th of each month.</summary>
    private static List<DailySpending<string>> History()
    {
        var rows = new List<DailySpending<string>>();
        foreach (var month in new[] { 8, 9, 10 })
        {
            rows.AddRange(Enumerable.Range(1, 10).Select(d => new DailySpending<string>("Groceries", new DateOnly(2026, month, d), 20_00)));
            rows.Add(new DailySpending<string>("Dining", new DateOnly(2026, month, 5), 30_00));
        }

        return rows;
    }

    [Fact]
    public void ACategorySpendingThreeTimesItsUsualPaceIsFast()
    {
        var rows = History();
        rows.AddRange(Enumerable.Range(1, 10).Select(d => new DailySpending<string>("Groceries", new DateOnly(2026, 11, d), 60_00)));
        rows.Add(new DailySpending<string>("Dining", new DateOnly(2026, 11, 5), 30_00));

        var verdicts = CategoryPaceDetector.JudgeDay(rows, new DateOnly(2026, 11, 10), 1, new BudgetMonth(2026, 8), Cent).ToDictionary(v => v.Category, v => v.Verdict);

        var groceries = verdicts["Groceries"];
        Assert.True(groceries.IsFast);
        Assert.Equal(600_00, groceries.MonthToDateMinor);
        Assert.Equal(200_00, groceries.NormalMinor);
        Assert.Equal(400_00, groceries.ThresholdMinor); // max(2 × 200, 200 + 4 × 20, 200 + 200 / 2)
        Assert.False(verdicts["Dining"].IsFast);
    }

    [Fact]
    public void TheSameDayOfEarlierMonthsIsTheYardstick()
    {
        var rows = History();
        rows.AddRange(Enumerable.Range(1, 3).Select(d => new DailySpending<string>("Groceries", new DateOnly(2026, 11, d), 60_00)));

        // By the 3rd, 60.00 is usual; 180.00 is triple, and 120.00 more is above half a normal month (100.00).
        var third = CategoryPaceDetector.JudgeDay(rows, new DateOnly(2026, 11, 3), 1, new BudgetMonth(2026, 8), Cent).Single(v => v.Category == "Groceries").Verdict;
        Assert.Equal(60_00, third.NormalMinor);
        Assert.Equal(180_00, third.MonthToDateMinor);
        Assert.Equal(160_00, third.ThresholdMinor); // max(2 × 60, 60 + 4 × 6, 60 + 100)
        Assert.True(third.IsFast);

        // By the 20th the month is normal: 180.00 against the usual 200.00.
        var twentieth = CategoryPaceDetector.JudgeDay(rows, new DateOnly(2026, 11, 20), 1, new BudgetMonth(2026, 8), Cent).Single(v => v.Category == "Groceries").Verdict;
        Assert.False(twentieth.IsFast);
    }

    [Fact]
    public void FewerThanThreeEarlierMonthsAreNoYardstick()
    {
        var rows = History();
        rows.AddRange(Enumerable.Range(1, 10).Select(d => new DailySpending<string>("Groceries", new DateOnly(2026, 11, d), 500_00)));

        Assert.Empty(CategoryPaceDetector.JudgeDay(rows, new DateOnly(2026, 11, 10), 1, new BudgetMonth(2026, 9), Cent));
    }

    [Fact]
    public void BudgetMonthsStartingOnPaydayAreCompared()
    {
        // Months start on the 25th: "October" runs 25 Oct – 24 Nov. History: 10.00 on the 25th–29th of Jul, Aug, Sep.
        var rows = new[] { 7, 8, 9 }.SelectMany(m => Enumerable.Range(25, 5).Select(d => new DailySpending<string>("Groceries", new DateOnly(2026, m, d), 10_00))).ToList();
        rows.AddRange(Enumerable.Range(25, 5).Select(d => new DailySpending<string>("Groceries", new DateOnly(2026, 10, d), 40_00)));

        var verdict = CategoryPaceDetector.JudgeDay(rows, new DateOnly(2026, 10, 29), 25, new BudgetMonth(2026, 7), Cent).Single().Verdict;

        Assert.Equal(50_00, verdict.NormalMinor);
        Assert.Equal(200_00, verdict.MonthToDateMinor);
        Assert.True(verdict.IsFast);
    }
}
