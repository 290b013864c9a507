using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Forecast;

namespace ExpenseTracker.Tests.Unit.Forecast;

public sealed class ForecastBacktestTests
{
    private static readonly DateOnly Today = new(2026, 11, 15);

    /// <summary>Months of a steady household: 300.00 of groceries, a 1,000.00 rent bill on the 1st, and a refund now and then.</summary>
    private static DemoData Steady(int months, Func<int, long>? groceries = null)
    {
        var from = new DateOnly(2024, 1, 1);
        var transactions = new List<DemoTransaction>();
        for (var m = 0; m < months; m++)
        {
            var month = from.AddMonths(m);
            var amount = groceries?.Invoke(m) ?? 300_00;
            transactions.Add(Expense(month.AddDays(3), amount + 20_00, "Market", "Groceries"));
            transactions.Add(new DemoTransaction(month.AddDays(5), TransactionKind.Refund, 20_00, "Market", DemoAccount.Cash, DemoMember.Alex,
                [new DemoLine("Groceries", 20_00)], []));
            transactions.Add(Expense(month, 1_000_00, "Landlord", "Housing"));
            transactions.Add(new DemoTransaction(month.AddDays(24), TransactionKind.Income, 3_000_00, "Employer", DemoAccount.Cash, DemoMember.Alex, [], []));
        }

        return new DemoData(new DemoWindow(from, from.AddMonths(months).AddDays(-1)), transactions);
    }

    private static DemoTransaction Expense(DateOnly date, long amount, string payee, string category) =>
        new(date, TransactionKind.Expense, amount, payee, DemoAccount.Cash, DemoMember.Alex, [new DemoLine(category, amount)], []);

    [Fact]
    public void HistorySplitsBillsFromVariableSpendingAndCountsRefundsAgainstIt()
    {
        var history = MonthlyHistory.From(Steady(14), ["Landlord"]);

        Assert.Equal(14, history.Months);
        Assert.Equal(300_00, history.Variable["Groceries"][0]);
        Assert.Equal(1_000_00, history.Bills["Housing"][13]);
        Assert.False(history.Variable.ContainsKey("Housing"));
        Assert.Equal(1_300_00, history.ActualTotal(5));
    }

    [Fact]
    public void AMonthlyBillIsKnownFromItsRecentPaymentsAtItsLatestAmount()
    {
        var history = MonthlyHistory.From(Steady(14), ["Landlord"]);

        Assert.Equal(1_000_00, history.KnownBills(12, 14)["Housing"]);
        Assert.Equal(0, history.KnownBills(1, 1)["Housing"]);
    }

    [Fact]
    public void AStableHouseholdIsForecastWithoutErrorAndBillsAreNotCountedTwice()
    {
        var result = ForecastBacktest.Run("steady", MonthlyHistory.From(Steady(24), ["Landlord"]), 1);

        Assert.Equal(12, result.Targets);
        Assert.Equal(0, result.MapeTotal, 9);
        Assert.Equal(0, result.BaselineMapeTotal, 9);
        Assert.Equal(["Housing", "Groceries"], result.Categories.Select(c => c.Category));
    }

    [Fact]
    public void TheThreeMonthHorizonHasTwoTargetsFewer()
    {
        var result = ForecastBacktest.Run("steady", MonthlyHistory.From(Steady(24), ["Landlord"]), 3);

        Assert.Equal(10, result.Targets);
    }

    [Fact]
    public void AGrowingHouseholdIsForecastBetterThanTheSameMonthLastYear()
    {
        var result = ForecastBacktest.Run("growing", MonthlyHistory.From(Steady(30, m => 300_00 + (m * 10_00)), ["Landlord"]), 1);

        Assert.True(result.MapeTotal < result.BaselineMapeTotal / 2, $"{result.MapeTotal} vs {result.BaselineMapeTotal}");
    }

    [Fact]
    public void MapeSkipsTargetsWhoseActualIsZero()
    {
        var mape = ForecastBacktest.Mape([(100, 90, 0), (0, 50, 0), (200, 220, 0)], p => p.Forecast);

        Assert.Equal(10, mape, 9);
    }

    [Fact]
    public void TheSecondHouseholdIsDeterministicAndRunsThroughTheHarness()
    {
        var first = SecondHouseholdGenerator.Generate(Today);
        var again = SecondHouseholdGenerator.Generate(Today);

        Assert.Equal(first.Transactions, again.Transactions, (a, b) => a.Date == b.Date && a.AmountMinor == b.AmountMinor && a.Payee == b.Payee);
        Assert.Equal(new DateOnly(2023, 11, 1), first.Window.From);
        Assert.Equal(new DateOnly(2026, 10, 31), first.Window.To);
        var result = ForecastBacktest.Run("second", MonthlyHistory.From(first, SecondHouseholdGenerator.BillPayees), 1);
        Assert.Equal(24, result.Targets);
        Assert.Equal(ForecastBacktest.LargestCategories, result.Categories.Count);
        Assert.InRange(result.MapeTotal, 0.1, 100);
    }
}
