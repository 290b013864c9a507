namespace ExpenseTracker.Web.Features.Identity;

/// <summary>Until an administrator exists, registration needs a one-time setup code printed on the console. (Being built.)</summary>
public static class FirstRunSetup
{
    public static Task EnsureSetupCodeAsync(IServiceProvider services) => Task.CompletedTask;
}
