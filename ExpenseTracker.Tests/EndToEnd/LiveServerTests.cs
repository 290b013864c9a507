using ExpenseTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.EndToEnd;

public sealed class LiveServerTests
{
    [Fact]
    public async Task TheTestAppServesOnARealLoopbackPortThatAnyHttpClientCanReach()
    {
        await using var app = TestApp.StartLive();

        var address = app.LiveAddress;
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(80, address.Port);
        var listening = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Assert.Contains(listening, a => new Uri(a).Port == address.Port);

        // A plain client, not the factory's in-memory handler: the port is real.
        using var client = new HttpClient { BaseAddress = address };
        using var response = await client.GetAsync(new Uri("/Identity/Account/Login", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"GET /Identity/Account/Login answered {(int)response.StatusCode}");
        Assert.Contains("type=\"password\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
