using System.Globalization;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Forecast;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `forecast`: replays the demo household (24 months) and the second generated household (36 months) month by month and
/// prints the mean absolute percentage error of the total and of the five largest categories at 1 and 3 months ahead,
/// beside the seasonal-naive baseline. The headline figures are the mean of the two households. Pure: no database.
/// </summary>
public static class ForecastBenchmark
{
    /// <summary>A fixed "today" so the figures are reproducible.</summary>
    public static readonly DateOnly Today = new(2026, 11, 15);

    public static Task RunAsync(int iterations)
    {
        _ = iterations;
        var households = new[]
        {
            ("demo", MonthlyHistory.From(DemoDataGenerator.Generate(DemoDataGenerator.DefaultSeed, Today), DemoDataGenerator.Bills.Select(b => b.Payee))),
            ("second", MonthlyHistory.From(SecondHouseholdGenerator.Generate(Today), SecondHouseholdGenerator.BillPayees)),
        };
        foreach (var horizon in new[] { 1, 3 })
        {
            var results = households.Select(h => ForecastBacktest.Run(h.Item1, h.Item2, horizon)).ToList();
            foreach (var result in results)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Name} household, {horizon} month(s) ahead, {result.Targets} targets: total MAPE {result.MapeTotal:0.0} % (seasonal-naive {result.BaselineMapeTotal:0.0} %)"));
                foreach (var (category, mape, baseline) in result.Categories)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {category,-14} {mape,6:0.0} %   seasonal-naive {baseline,6:0.0} %"));
                }

                BenchmarkProgram.Report("forecast", $"{result.Name}_mape_total_{horizon}m", result.MapeTotal, "%");
                BenchmarkProgram.Report("forecast", $"{result.Name}_baseline_mape_total_{horizon}m", result.BaselineMapeTotal, "%");
            }

            BenchmarkProgram.Report("forecast", $"mape_categories_{horizon}m", results.Average(r => r.MapeCategories), "%");
            BenchmarkProgram.Report("forecast", $"baseline_mape_categories_{horizon}m", results.Average(r => r.BaselineMapeCategories), "%");
            BenchmarkProgram.Report("forecast", $"mape_total_{horizon}m", results.Average(r => r.MapeTotal), "%");
            BenchmarkProgram.Report("forecast", $"baseline_mape_total_{horizon}m", results.Average(r => r.BaselineMapeTotal), "%");
        }

        return Task.CompletedTask;
    }
}
