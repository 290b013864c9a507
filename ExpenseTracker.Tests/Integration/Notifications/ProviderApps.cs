using ExpenseTracker.Tests.Infrastructure;

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
