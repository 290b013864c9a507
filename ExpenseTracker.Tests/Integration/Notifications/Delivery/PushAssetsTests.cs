using System.Net;
using ExpenseTracker.Tests.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Notifications.Delivery;

public sealed class PushAssetsTests : IAsyncLifetime
{
    private readonly TestApp app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("/sw.js", "showNotification")]
    [InlineData("/js/push.js", "pushManager.subscribe")]
    public async Task TheServiceWorkerAndThePushModuleAreServedAtTheRootWithoutSigningIn(string path, string expected)
    {
        using var client = app.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }
}
