namespace ExpenseTracker.Web.Features.Api;

/// <summary>
/// <c>Api:RateLimit:*</c>: fixed windows per token (the Bearer value) and per client IP, over every <c>/api</c> request (applied by Infrastructure/RateLimits).
/// The defaults suit a family's scripts; raise them for load tests.
/// </summary>
public sealed class ApiRateLimitOptions
{
    public const string Section = "Api:RateLimit";

    public int TokenPermitLimit { get; set; } = 300;
    public int IpPermitLimit { get; set; } = 600;
    public int WindowSeconds { get; set; } = 60;
}
