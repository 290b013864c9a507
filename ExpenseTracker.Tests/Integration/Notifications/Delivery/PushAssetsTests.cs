using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Notifications.Delivery;

public sealed class PushAssetsTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    [ProviderTheory]
    [InlineData("/sw.js", "showNotification")]
    [InlineData("/js/push.js", "pushManager.subscribe")]
    public async Task TheServiceWorkerAndThePushModuleAreServedAtTheRootWithoutSigningIn(DatabaseProvider provider, string path, string expected)
    {
        var app = await apps.ForAsync(provider);
        using var client = app.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }
}
