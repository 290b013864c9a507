using System.Text.Json;
using System.Text.Json.Serialization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
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

        builder.Services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<ApiDocumentTransformer>();
        });
        return builder;
    }

    /// <summary>
    /// API answers keep their problem bodies: the HTML status pages (re-executing "/not-found") are for the browser pages only.
    /// Call right after UseStatusCodePagesWithReExecute.
    /// </summary>
    public static IApplicationBuilder UseNoStatusCodePagesForApi(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!IsApi(http))
        {
            await next(http);
            return;
        }

        if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }

        await next(http);

        // An error without a body (no such route, wrong method or media type): still a problem document.
        var response = http.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
        {
            var status = response.StatusCode;
            await ApiProblems.WriteAsync(http, status, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
                status == StatusCodes.Status404NotFound ? "There is no such API resource." : "The request failed.");
        }
    });

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
        Attachments.AttachmentsApi.MapAttachmentsApi(api);
        return app;
    }

    public static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What <c>GET /api/v1/me</c> answers.</summary>
public sealed record ApiMe(
    long MemberId, string MemberName, MemberRole Role, long HouseholdId, string HouseholdName, string Currency,
    string TimeZone, string Culture, IReadOnlyList<string> Scopes);
