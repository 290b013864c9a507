using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using ExpenseTracker.Web.Features.Api;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>
/// <c>RateLimits:*</c>: posts of the sign-in, registration and password-reset forms per client IP. The sign-in limit
/// stays well above the lockout threshold (5 failures) so a person sees the lockout message, not a 429.
/// </summary>
public sealed class AccountRateLimitOptions
{
    public const string Section = "RateLimits";

    public int SignInPermitLimit { get; set; } = 30;
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(5);
    public int RegisterPermitLimit { get; set; } = 10;
    public TimeSpan RegisterWindow { get; set; } = TimeSpan.FromHours(1);
    public int PasswordResetPermitLimit { get; set; } = 5;
    public TimeSpan PasswordResetWindow { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// One global rate limiter (ASP.NET Core's built-in middleware) over the requests that can be abused: the API, per token
/// and per IP (<see cref="ApiRateLimitOptions"/>), and the account forms, per IP (<see cref="AccountRateLimitOptions"/>).
/// Everything else passes unlimited. Refusals answer 429 with Retry-After (a problem document on the API).
/// </summary>
public static class RateLimits
{
    private static readonly (string Path, string Name)[] AccountForms =
    [
        ("/Identity/Account/Login", "sign-in"),
        ("/Identity/Account/LoginWith2fa", "sign-in"),
        ("/Identity/Account/LoginWithRecoveryCode", "sign-in"),
        ("/Identity/Account/Register", "register"),
        ("/Identity/Account/ForgotPassword", "password-reset"),
        ("/Identity/Account/ResetPassword", "password-reset"),
        ("/Identity/Account/ResendEmailConfirmation", "password-reset"),
    ];

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiRateLimitOptions>().BindConfiguration(ApiRateLimitOptions.Section);
        builder.Services.AddOptions<AccountRateLimitOptions>().BindConfiguration(AccountRateLimitOptions.Section);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<ApiRateLimitOptions>, IOptions<AccountRateLimitOptions>>((options, api, accounts) =>
            {
                var apiWindow = TimeSpan.FromSeconds(Math.Max(1, api.Value.WindowSeconds));
                options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                    Limiter(http => ApiServiceCollectionExtensions.IsApi(http) ? ("token:" + TokenKey(http), api.Value.TokenPermitLimit, apiWindow) : null),
                    Limiter(http => ApiServiceCollectionExtensions.IsApi(http) ? ("ip:" + ClientIp(http), api.Value.IpPermitLimit, apiWindow) : null),
                    Limiter(http => AccountForm(http) switch
                    {
                        "sign-in" => ("sign-in:" + ClientIp(http), accounts.Value.SignInPermitLimit, accounts.Value.SignInWindow),
                        "register" => ("register:" + ClientIp(http), accounts.Value.RegisterPermitLimit, accounts.Value.RegisterWindow),
                        "password-reset" => ("password-reset:" + ClientIp(http), accounts.Value.PasswordResetPermitLimit, accounts.Value.PasswordResetWindow),
                        _ => null,
                    }));
                options.OnRejected = async (context, cancellationToken) =>
                {
                    var http = context.HttpContext;
                    var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                        ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                        : 60;
                    http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    var message = string.Create(CultureInfo.InvariantCulture, $"Too many attempts from your address. Try again in {seconds} s.");
                    if (ApiServiceCollectionExtensions.IsApi(http))
                    {
                        await ApiProblems.WriteAsync(http, StatusCodes.Status429TooManyRequests, "Too many requests", message);
                    }
                    else
                    {
                        http.Response.ContentType = "text/plain; charset=utf-8";
                        await http.Response.WriteAsync(message, cancellationToken);
                    }
                };
            });
        return builder;
    }

    /// <summary>Before authentication, so that guessing tokens and passwords is limited too.</summary>
    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    private static string? AccountForm(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return null;
        }

        foreach (var (path, name) in AccountForms)
        {
            if (http.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }

    private static string ClientIp(HttpContext http) => (http.Connection.RemoteIpAddress ?? IPAddress.None).ToString();

    private static string TokenKey(HttpContext http)
    {
        string? header = http.Request.Headers.Authorization;
        return string.IsNullOrEmpty(header) ? "anonymous" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(header)));
    }

    private static PartitionedRateLimiter<HttpContext> Limiter(Func<HttpContext, (string Key, int Permits, TimeSpan Window)?> partition) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http => partition(http) is { } p
            ? RateLimitPartition.GetFixedWindowLimiter(p.Key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, p.Permits),
                Window = p.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter("unlimited"));
}
