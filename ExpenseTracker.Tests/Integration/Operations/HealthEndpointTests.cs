using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ExpenseTracker.Tests.Integration.Operations;

/// <summary>/health/live answers while the process runs; /health/ready only while the database answers.</summary>
public sealed class HealthEndpointTests
{
    [ProviderTheory]
    public async Task BothAnswerHealthyAnonymouslyInPlainText(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });

        foreach (var path in (string[])["/health/live", "/health/ready"])
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
            Assert.True(response.Headers.CacheControl?.NoStore == true, path);
        }
    }

    [ProviderTheory]
    public async Task ReadyIs503WhenTheDatabaseIsGoneWhileLiveStays200(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        using (var before = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        if (provider == DatabaseProvider.Postgres)
        {
            // Dropped with its open connections closed (the app's dispose drops it only if it still exists).
            await PostgresServer.DropDatabaseAsync(new NpgsqlConnectionStringBuilder(app.PostgresConnectionString).Database!);
        }
        else
        {
            SqliteConnection.ClearAllPools();
            File.Delete(Path.Combine(app.DataDirectory, "expensetracker.db"));
        }

        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync()); // not the HTML not-found page
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [ProviderTheory]
    public async Task ReadyIs503WhenAReadinessCheckIsUnhealthy(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        await using var failing = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddHealthChecks().AddCheck("broken", () => HealthCheckResult.Unhealthy("down"), [Web.Features.Operations.OperationsServiceCollectionExtensions.ReadyTag])));
        using var client = failing.CreateClient(new() { AllowAutoRedirect = false });

        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
