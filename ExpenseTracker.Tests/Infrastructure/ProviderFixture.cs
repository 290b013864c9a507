using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>
/// A class fixture for read-mostly <see cref="ProviderTheoryAttribute"/> tests that share seeded data: one app per
/// provider, seeded by <see cref="SeedAsync"/> on the first test that asks for that provider (so the PostgreSQL case
/// skips or fails inside its test, not in the fixture) and disposed with the fixture.
/// </summary>
public abstract class ProviderFixture<TData> : IAsyncLifetime
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<DatabaseProvider, (TestApp App, TData Data)> built = [];

    /// <summary>The seeded data on <paramref name="provider"/>'s app.</summary>
    public async Task<TData> ForAsync(DatabaseProvider provider)
    {
        await gate.WaitAsync();
        try
        {
            if (!built.TryGetValue(provider, out var entry))
            {
                var app = new TestApp(provider);
                try
                {
                    entry = (app, await SeedAsync(app));
                }
                catch
                {
                    await app.DisposeAsync();
                    throw;
                }

                built[provider] = entry;
            }

            return entry.Data;
        }
        finally
        {
            gate.Release();
        }
    }

    protected abstract Task<TData> SeedAsync(TestApp app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (app, data) in built.Values)
        {
            if (data is IAsyncLifetime lifetime)
            {
                await lifetime.DisposeAsync();
            }

            await app.DisposeAsync();
        }

        gate.Dispose();
    }
}
