namespace ExpenseTracker.Web.Features.Identity;

/// <summary>`user create|reset-password|unlock|list`: administration for a box without mail. (Being built.)</summary>
public static class AdminCommands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "user";

    public static Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output)
    {
        _ = services;
        _ = args;
        _ = input;
        output.WriteLine("Not built yet.");
        return Task.FromResult(1);
    }
}
