using System.Net;
using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExpenseTracker.Web.Features.Operations;

/// <summary>
/// What a reverse proxy and a supervisor need from each instance: health endpoints and trusted forwarded headers.
/// <list type="bullet">
/// <item><c>/health/live</c>: 200 while the process serves requests (no checks).</item>
/// <item><c>/health/ready</c>: 200 when the database answers, 503 otherwise (checks tagged <see cref="ReadyTag"/>).</item>
/// <item><c>ForwardedHeaders:KnownProxies</c> (IP addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges): the
/// proxies whose X-Forwarded-For/-Proto are believed. Unset: loopback only (a proxy on the same box). Set: exactly those,
/// so list 127.0.0.1 too if a local proxy stays in front.</item>
/// </list>
/// Both endpoints are anonymous, plain text, outside rate limiting and the not-found page.
/// Structured logs need no code: <c>Logging:Console:FormatterName=json</c> switches the console to one JSON object per line.
/// </summary>
public static class OperationsServiceCollectionExtensions
{
    public const string ReadyTag = "ready";
    public const string ForwardedHeadersSection = "ForwardedHeaders";

    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>("database", HealthStatus.Unhealthy, [ReadyTag]);
        builder.Services.Configure<ForwardedHeadersOptions>(options => ConfigureForwardedHeaders(options, builder.Configuration));
        return builder;
    }

    /// <summary>X-Forwarded-For and -Proto from the configured proxies (loopback when none is configured).</summary>
    public static void ConfigureForwardedHeaders(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        var section = configuration.GetSection(ForwardedHeadersSection);
        var proxies = Values(section.GetSection("KnownProxies"));
        var networks = Values(section.GetSection("KnownNetworks"));
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return; // ASP.NET Core's defaults: 127.0.0.0/8 and ::1
        }

        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies has '{proxy}', which is not an IP address."));
        }

        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks has '{network}', which is not a CIDR range such as 10.0.0.0/8."));
        }
    }

    /// <summary>A list given as an array (KnownProxies:0, :1, …) or as one comma-separated value (an environment variable).</summary>
    private static List<string> Values(IConfigurationSection section)
    {
        var items = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return [.. items
            .SelectMany(v => (v ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>First in the pipeline, so everything after it sees the client's address and scheme.</summary>
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        Health(endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }));
        Health(endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }));
        return endpoints;
    }

    private static void Health(IEndpointConventionBuilder endpoint) => endpoint
        .AllowAnonymous()
        .DisableRateLimiting()
        .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute());
}
