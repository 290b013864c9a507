using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Notifications.Alerts;
using Xunit.Abstractions;

namespace ExpenseTracker.Tests.Unit.Notifications.Alerts;

/// <summary>The measure: on the demo history, all 6 planted outliers are caught and other irregular alerts stay ≤ 2 a month.</summary>
public sealed class DemoAlertMeasurementTests(ITestOutputHelper output)
{
    private static readonly DateOnly Today = new(2026, 11, 15);

    [Theory]
    [InlineData(DemoDataGenerator.DefaultSeed)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(12345)]
    public void EveryPlantedOutlierIsCaughtAndOtherAlertsStayAtMostTwoAMonth(int seed)
    {
        var result = AlertReplay.Run(DemoDataGenerator.Generate(seed, Today));

        output.WriteLine($"seed {seed}: caught {result.PlantedCaught}/{result.PlantedOutliers}, other {result.Other} in {result.Months} months, budget {result.BudgetAlerts}");
        foreach (var alert in result.Irregular.Where(a => !a.AboutPlantedOutlier))
        {
            output.WriteLine($"  {alert.Date:yyyy-MM-dd} {alert.Rule} {alert.Category}");
        }

        Assert.Equal(6, result.PlantedOutliers);
        Assert.Equal(6, result.PlantedCaught);
        Assert.InRange(result.OtherPerMonth, 0, 2);
    }

    [Fact]
    public void EachPlantedOutlierIsItselfFlaggedAsAnUnusualExpense()
    {
        var data = DemoDataGenerator.Generate(DemoDataGenerator.DefaultSeed, Today);
        var result = AlertReplay.Run(data);

        var flagged = result.Irregular.Where(a => a.Rule == "unusual-expense" && a.AboutPlantedOutlier)
            .Select(a => data.Transactions[a.TransactionIndex!.Value].Payee)
            .Order(StringComparer.Ordinal);
        Assert.Equal(DemoDataGenerator.Outliers.Select(o => o.Payee).Order(StringComparer.Ordinal), flagged);
    }
}
