namespace ExpenseTracker.Web.Features.BankSync;

/// <summary>
/// A bank-data provider behind one seam (SimpleFIN Bridge today; e.g. GoCardless Bank Account Data later). The secret is
/// whatever the provider needs to read the accounts again (SimpleFIN: the access URL); the caller keeps it encrypted.
/// </summary>
public interface IBankDataProvider
{
    /// <summary>Stored in <see cref="Data.BankConnection.Provider"/>.</summary>
    string Key { get; }

    /// <summary>Exchanges what the member pasted (SimpleFIN: the one-time setup token) for the long-lived secret.</summary>
    Task<string> ClaimAsync(string setupToken, CancellationToken cancellationToken);

    /// <summary>Accounts with their transactions (posted and pending) between <paramref name="start"/> and <paramref name="end"/> (UTC).</summary>
    Task<BankFetchResult> FetchAsync(string secret, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);
}

/// <summary>One bank transaction. <see cref="Amount"/> is signed (negative = money out), in the account's currency.</summary>
public sealed record BankTransactionData(
    string Id,
    DateOnly? PostedOn,
    decimal Amount,
    string? Description,
    string? Payee,
    string? Memo,
    bool Pending);

public sealed record BankAccountData(
    string Id,
    string Name,
    string? Institution,
    string Currency,
    decimal? Balance,
    DateTimeOffset? BalanceAt,
    IReadOnlyList<BankTransactionData> Transactions);

/// <summary>What one fetch returned; <see cref="Messages"/> are the provider's notes for the member (e.g. "a bank needs attention").</summary>
public sealed record BankFetchResult(IReadOnlyList<BankAccountData> Accounts, IReadOnlyList<string> Messages);

public enum BankProviderErrorKind
{
    /// <summary>The provider refused the credentials (expired, revoked, setup token already used): reconnect.</summary>
    CredentialsRefused,
    /// <summary>Too many requests; <see cref="BankProviderException.RetryAfter"/> when the provider said how long to wait.</summary>
    RateLimited,
    /// <summary>Server error, timeout or network failure: try again later.</summary>
    Unavailable,
    /// <summary>The answer could not be read (not the expected JSON, a bad amount).</summary>
    BadData,
    /// <summary>What the member pasted is not usable (not a setup token, not https).</summary>
    BadInput,
}

/// <summary>A provider failure, typed so the sync can decide between reconnect, backoff and retry; the message is plain words.</summary>
public sealed class BankProviderException(BankProviderErrorKind kind, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public BankProviderErrorKind Kind { get; } = kind;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
