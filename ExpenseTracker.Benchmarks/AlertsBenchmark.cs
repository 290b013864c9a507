using System.Diagnostics;
using System.Globalization;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Notifications.Alerts;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `alerts`: the measure of the irregular-spending alerts. The demo history (24 months, 6 planted outliers) is
/// replayed in date order through the app's detectors (<see cref="AlertReplay"/>: unusual expense as each expense is saved,
/// category pace once a day). Prints the planted outliers caught, the other irregular alerts per month, the months, and the
/// budget-threshold alerts (counted apart: each category budgeted at its median month), for the default seed, then the
/// other-alert rate of a few more seeds and the worst of them. Not a timing benchmark (the replay's time is printed only
/// as a figure).
/// </summary>
internal static class AlertsBenchmark
{
    private static readonly DateOnly Today = new(2026, 11, 15);
    private static readonly int[] MoreSeeds = [1, 7, 42, 12345];

    public static Task RunAsync(int iterations)
    {
        _ = iterations;
        var started = Stopwatch.GetTimestamp();
        var result = AlertReplay.Run(DemoDataGenerator.Generate(DemoDataGenerator.DefaultSeed, Today));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        BenchmarkProgram.Report("alerts", "planted_caught", result.PlantedCaught, "count");
        BenchmarkProgram.Report("alerts", "planted_total", result.PlantedOutliers, "count");
        BenchmarkProgram.Report("alerts", "other_per_month", result.OtherPerMonth, "alerts");
        BenchmarkProgram.Report("alerts", "other_total", result.Other, "alerts");
        BenchmarkProgram.Report("alerts", "other_unusual_expense", result.Irregular.Count(a => !a.AboutPlantedOutlier && a.Rule == "unusual-expense"), "alerts");
        BenchmarkProgram.Report("alerts", "other_category_pace", result.Irregular.Count(a => !a.AboutPlantedOutlier && a.Rule == "category-pace"), "alerts");
        BenchmarkProgram.Report("alerts", "pace_alerts_about_planted", result.Irregular.Count(a => a.AboutPlantedOutlier && a.Rule == "category-pace"), "alerts");
        BenchmarkProgram.Report("alerts", "months", result.Months, "months");
        BenchmarkProgram.Report("alerts", "budget_threshold_alerts", result.BudgetAlerts, "alerts");
        BenchmarkProgram.Report("alerts", "budget_warn_alerts", result.BudgetWarnAlerts, "alerts");
        BenchmarkProgram.Report("alerts", "budget_over_alerts", result.BudgetOverAlerts, "alerts");
        BenchmarkProgram.Report("alerts", "replay_seconds", seconds, "s");
        foreach (var alert in result.Irregular.Where(a => !a.AboutPlantedOutlier))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  other: {alert.Date:yyyy-MM-dd} {alert.Rule} {alert.Category}"));
        }


        var worst = result.OtherPerMonth;
        var worstCaught = result.PlantedCaught;
        foreach (var seed in MoreSeeds)
        {
            var other = AlertReplay.Run(DemoDataGenerator.Generate(seed, Today));
            BenchmarkProgram.Report("alerts", string.Create(CultureInfo.InvariantCulture, $"seed_{seed}_planted_caught"), other.PlantedCaught, "count");
            BenchmarkProgram.Report("alerts", string.Create(CultureInfo.InvariantCulture, $"seed_{seed}_other_per_month"), other.OtherPerMonth, "alerts");
            worst = Math.Max(worst, other.OtherPerMonth);
            worstCaught = Math.Min(worstCaught, other.PlantedCaught);
        }

        BenchmarkProgram.Report("alerts", "worst_seed_other_per_month", worst, "alerts");
        BenchmarkProgram.Report("alerts", "worst_seed_planted_caught", worstCaught, "count");
        return Task.CompletedTask;
    }
}
