using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>The CSV downloads fail closed: no sign-in, no CSV.</summary>
public sealed class AnalyticsCsvEndpointTests : IAsyncLifetime
{
    private readonly TestApp app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("/analytics/by-category.csv")]
    [InlineData("/analytics/budgets.csv?month=2026-11")]
    public async Task AnAnonymousCallerGetsNoCsv(string url)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("text/csv", response.Content.Headers.ContentType?.MediaType);
    }
}
