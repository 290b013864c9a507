using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Notifications;

/// <summary>
/// One app per provider shared by a class whose cases each make their own household in it (unique e-mails), so the
/// PostgreSQL run pays for one app start rather than one per case.
/// </summary>
public sealed class ProviderApps : ProviderFixture<TestApp>
{
    protected override Task<TestApp> SeedAsync(TestApp app) => Task.FromResult(app);
}

/// <summary>A unique e-mail prefix for a household made in a shared app.</summary>
internal static class Unique
{
    public static string Prefix() => Guid.NewGuid().ToString("N")[..8] + ".";
}

/// <summary>
/// A class whose cases each need an app of their own (they move the clock or read every household's rows): a case
/// starts it on its provider with <see cref="StartApp"/>, and it is disposed after the case.
/// </summary>
public abstract class PerCaseApps : IAsyncLifetime
{
    private readonly List<TestApp> started = [];

    protected TestApp StartApp(DatabaseProvider provider)
    {
        var app = new TestApp(provider);
        started.Add(app);
        return app;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var app in started)
        {
            await app.DisposeAsync();
        }
    }
}
