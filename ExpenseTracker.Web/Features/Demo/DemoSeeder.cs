namespace ExpenseTracker.Web.Features.Demo;

/// <summary>`--seed-demo`: a demo household with two years of history. (Being built.)</summary>
public static class DemoSeeder
{
    public const string Flag = "--seed-demo";

    public static Task SeedOnceAsync(IServiceProvider services, TextWriter output) => Task.CompletedTask;
}
