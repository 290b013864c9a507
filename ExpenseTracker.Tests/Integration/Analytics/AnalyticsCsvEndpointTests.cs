using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Notifications;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>The CSV downloads fail closed: no sign-in, no CSV.</summary>
public sealed class AnalyticsCsvEndpointTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    [ProviderTheory]
    [InlineData("/analytics/by-category.csv")]
    [InlineData("/analytics/budgets.csv?month=2026-11")]
    public async Task AnAnonymousCallerGetsNoCsv(DatabaseProvider provider, string url)
    {
        var client = (await apps.ForAsync(provider)).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("text/csv", response.Content.Headers.ContentType?.MediaType);
    }
}
