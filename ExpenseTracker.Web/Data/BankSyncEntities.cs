namespace ExpenseTracker.Web.Data;

/// <summary>Where a bank connection stands after its last sync attempt.</summary>
public enum BankConnectionStatus
{
    /// <summary>Connected; not synced yet, or the last sync worked.</summary>
    Ok = 0,

    /// <summary>The last sync failed for a reason that may pass (bank down, rate-limited); retried with backoff.</summary>
    Failing = 1,

    /// <summary>The provider refused the credentials (expired or revoked access): a member must reconnect.</summary>
    NeedsReconnect = 2,

    /// <summary>Paused by a member; no scheduled syncs.</summary>
    Paused = 3,
}

/// <summary>
/// A household's link to a bank-data provider (SimpleFIN Bridge today; <see cref="Provider"/> names it, so another
/// provider can sit behind the same seam). The provider's secret (SimpleFIN's access URL with its credentials) is kept
/// encrypted with ASP.NET Core Data Protection in <see cref="ProtectedSecret"/>, never in plain text.
/// </summary>
public sealed class BankConnection : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }

    /// <summary>Provider key, e.g. <c>simplefin</c>.</summary>
    public required string Provider { get; set; }

    public required string Name { get; set; }

    /// <summary>Data Protection payload of the provider's secret (for SimpleFIN, the access URL).</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>How far back the first sync fetches, in days.</summary>
    public int HistoryDays { get; set; } = 90;

    public BankConnectionStatus Status { get; set; }
    public long? CreatedByMemberId { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC start of the last attempt, whatever its outcome.</summary>
    public DateTime? LastAttemptAt { get; set; }

    /// <summary>UTC end of the last sync that worked.</summary>
    public DateTime? LastSuccessAt { get; set; }

    /// <summary>Plain words for the member when the last attempt failed; null after a success.</summary>
    public string? LastError { get; set; }

    /// <summary>Failures in a row since the last success; drives the backoff.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>UTC time before which the scheduler does not retry (backoff, or the provider's Retry-After).</summary>
    public DateTime? NextAttemptAt { get; set; }

    /// <summary>Whether the members were already told about the current run of failures (notified once).</summary>
    public bool FailureNotified { get; set; }
}

/// <summary>One bank account seen through a <see cref="BankConnection"/>, and the payment account it feeds.</summary>
public sealed class BankAccountLink : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long ConnectionId { get; set; }
    public BankConnection? Connection { get; set; }

    /// <summary>The provider's id of the account.</summary>
    public required string ExternalId { get; set; }

    public required string ExternalName { get; set; }
    public string? Institution { get; set; }
    public string? Currency { get; set; }

    /// <summary>The household's payment account fed by this bank account; null means not synced.</summary>
    public long? AccountId { get; set; }
    public PaymentAccount? Account { get; set; }

    /// <summary>Latest transaction date (bank-posted) seen; the next sync starts a few days before it (overlap).</summary>
    public DateOnly? SyncedThrough { get; set; }

    /// <summary>Balance reported by the bank at the last sync, in minor units of <see cref="Currency"/>.</summary>
    public long? BalanceMinor { get; set; }

    public DateTime? BalanceAt { get; set; }
}
