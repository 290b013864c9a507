namespace ExpenseTracker.Web.Features.BankSync;

/// <summary>The <c>BankSync</c> configuration section.</summary>
public sealed class BankSyncOptions
{
    public const string Section = "BankSync";

    /// <summary>How often a healthy connection syncs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often the scheduler looks for due connections (retries after a failure are due sooner than <see cref="Interval"/>).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>First retry delay after a failure; doubled per failure in a row, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Days re-read before the last synced date, so late-posting transactions are caught (dedupe makes it safe).</summary>
    public int OverlapDays { get; set; } = 7;

    /// <summary>Longest date range one request asks for (SimpleFIN Bridge limits ranges to about 90 days).</summary>
    public int MaxWindowDays { get; set; } = 90;

    /// <summary>Transient failures in a row before the owners are told (an expired connection is told at once).</summary>
    public int NotifyAfterFailures { get; set; } = 2;

    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Accept http:// claim and access URLs. Off in production (the access URL carries credentials); tests use a loopback fake.</summary>
    public bool AllowInsecureHttp { get; set; }
}
