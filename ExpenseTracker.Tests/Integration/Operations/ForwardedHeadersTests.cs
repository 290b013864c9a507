using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Features.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace ExpenseTracker.Tests.Integration.Operations;

/// <summary>
/// X-Forwarded-For is believed only from trusted proxies: loopback by default, exactly the configured ones otherwise. Seen
/// through the sign-in rate limit, which counts per client address (limit 1 here): two posts that a trusted proxy says came
/// from two clients are two partitions; the same from an untrusted caller are one, and the second is refused.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static async Task<HttpStatusCode> PostSignInAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Identity/Account/Login") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static TestApp Start(params (string Key, string Value)[] settings) => TestApp.StartLive(app =>
    {
        app.With("RateLimits:SignInPermitLimit", "1");
        foreach (var (key, value) in settings)
        {
            app.With(key, value);
        }
    });

    [Fact]
    public async Task ALoopbackProxyIsTrustedByDefault()
    {
        await using var app = Start();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.LiveAddress };

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostSignInAsync(client, "203.0.113.1"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostSignInAsync(client, "203.0.113.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostSignInAsync(client, "203.0.113.2"));
    }

    [Fact]
    public async Task WithConfiguredProxiesLoopbackIsNoLongerBelieved()
    {
        await using var app = Start(("ForwardedHeaders:KnownProxies:0", "10.9.8.7"), ("ForwardedHeaders:KnownNetworks:0", "192.168.10.0/24"));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.LiveAddress };

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostSignInAsync(client, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostSignInAsync(client, "203.0.113.2"));
    }

    [Fact]
    public void ListsParseFromArraysOrOneCommaSeparatedValue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies"] = "10.0.0.5, ::1",
            ["ForwardedHeaders:KnownNetworks:0"] = "172.16.0.0/12",
            ["ForwardedHeaders:KnownNetworks:1"] = "fd00::/8",
        }).Build();
        var options = new ForwardedHeadersOptions();

        OperationsServiceCollectionExtensions.ConfigureForwardedHeaders(options, configuration);

        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.IPv6Loopback], options.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("172.16.0.0/12"), System.Net.IPNetwork.Parse("fd00::/8")], options.KnownIPNetworks);
        Assert.Equal(Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto, options.ForwardedHeaders);
    }

    [Fact]
    public void ABadAddressIsAClearStartupError()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/33",
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => OperationsServiceCollectionExtensions.ConfigureForwardedHeaders(new ForwardedHeadersOptions(), configuration));
        Assert.Contains("10.0.0.0/33", error.Message, StringComparison.Ordinal);
    }
}
