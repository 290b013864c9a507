using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace ExpenseTracker.Web.Features.Api;

public static class ApiPolicies
{
    /// <summary>Any valid token (every token reads).</summary>
    public const string Read = "api.read";
    /// <summary>A read-write token; the member's role still applies in the services.</summary>
    public const string Write = "api.write";
}

/// <summary>The REST API at <c>/api/v1</c>: token authentication, rate limits, problem details, OpenAPI and its reference page.</summary>
public static class ApiServiceCollectionExtensions
{
    public const string Prefix = "/api/v1";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ApiTokenService>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ApiTokenCache>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Read, policy => policy
                .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiClaims.Scope, "read"))
            .AddPolicy(ApiPolicies.Write, policy => policy
                .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiClaims.Scope, "write"));

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

        builder.Services.AddOptions<ApiRateLimitOptions>().BindConfiguration(ApiRateLimitOptions.Section);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<ApiRateLimitOptions>>((options, limits) =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Partitioned(limits.Value, limits.Value.TokenPermitLimit, TokenKey),
                Partitioned(limits.Value, limits.Value.IpPermitLimit, http => http.Connection.RemoteIpAddress?.ToString() ?? "unknown"));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : limits.Value.WindowSeconds;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    string.Create(CultureInfo.InvariantCulture, $"Slow down: try again in {seconds} s."));
            };
        });

        builder.Services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<ApiDocumentTransformer>();
        });
        return builder;
    }

    /// <summary>Rate limiting for <c>/api</c> requests only, before authentication so that guessing tokens is limited too.</summary>
    public static IApplicationBuilder UseApiRateLimiting(this IApplicationBuilder app) =>
        app.UseWhen(IsApi, branch => branch.UseRateLimiter());

    /// <summary>API errors keep their problem bodies; the HTML "not found" page is for the browser pages only.</summary>
    public static IApplicationBuilder UseStatusCodePagesExceptApi(this IApplicationBuilder app, string pathFormat) =>
        app.UseWhen(http => !IsApi(http), branch => branch.UseStatusCodePagesWithReExecute(pathFormat, createScopeForStatusCodePages: true))
            .UseWhen(IsApi, branch => branch.UseStatusCodePages(async context =>
            {
                var http = context.HttpContext;
                await ApiProblems.WriteAsync(http, http.Response.StatusCode,
                    http.Response.StatusCode == StatusCodes.Status404NotFound ? "Not found" : "Error",
                    http.Response.StatusCode == StatusCodes.Status404NotFound ? "There is no such API resource." : "The request failed.");
            }));

    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(options => options.WithTitle("ExpenseTracker API"));

        var api = app.MapGroup(Prefix)
            .RequireAuthorization(ApiPolicies.Read)
            .AddEndpointFilter<ApiHouseholdFilter>()
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("/me", (CurrentHousehold current, HttpContext http) =>
            {
                var info = current.Info!;
                return TypedResults.Ok(new ApiMe(info.MemberId, info.MemberName, info.Role, info.Id, info.Name, info.BaseCurrency,
                    info.TimeZoneId, info.Culture, http.User.FindAll(ApiClaims.Scope).Select(c => c.Value).ToList()));
            })
            .WithName("GetMe").WithTags("Me")
            .WithSummary("The member and household the token acts for, and its scopes.");

        api.MapExpensesApi();
        api.MapHouseholdDataApi();
        return app;
    }

    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static string TokenKey(HttpContext http)
    {
        string? header = http.Request.Headers.Authorization;
        return string.IsNullOrEmpty(header) ? "anonymous" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(header)));
    }

    private static PartitionedRateLimiter<HttpContext> Partitioned(ApiRateLimitOptions limits, int permits, Func<HttpContext, string> key) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetFixedWindowLimiter(key(http), _ =>
            new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, permits),
                Window = TimeSpan.FromSeconds(Math.Max(1, limits.WindowSeconds)),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
}

/// <summary>What <c>GET /api/v1/me</c> answers.</summary>
public sealed record ApiMe(
    long MemberId, string MemberName, MemberRole Role, long HouseholdId, string HouseholdName, string Currency,
    string TimeZone, string Culture, IReadOnlyList<string> Scopes);
