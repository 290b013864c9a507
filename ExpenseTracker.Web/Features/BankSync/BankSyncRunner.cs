using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Features.Notifications;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Web.Features.BankSync;

/// <summary>What one sync did: rows added, duplicates skipped (the overlap), the import batches, or why it failed.</summary>
public sealed record BankSyncOutcome(bool Succeeded, int Added, int Duplicates, IReadOnlyList<long> BatchIds, string? Error, IReadOnlyList<string> Messages);

/// <summary>One sync at a time per connection (a "Sync now" during a scheduled run waits for it, then finds nothing new).</summary>
public sealed class BankSyncLocks
{
    private readonly ConcurrentDictionary<long, SemaphoreSlim> locks = new();

    public SemaphoreSlim For(long connectionId) => locks.GetOrAdd(connectionId, _ => new SemaphoreSlim(1, 1));
}

/// <summary>The access secret, encrypted with Data Protection under its own purpose; never logged, never shown.</summary>
public sealed class BankSecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("ExpenseTracker.BankSync.ProviderSecret.v1");

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string payload) => protector.Unprotect(payload);
}

/// <summary>
/// Syncs one connection of the current household: fetches from the provider in date windows, turns each linked account's
/// posted transactions into a parsed statement and commits them through the import pipeline (<see cref="ImportService"/>:
/// dedupe by the bank's id, rules, transfers, one batch per account, undo from import history). Records the outcome on the
/// connection: success resets the failure run; a failure sets the status, plain words, the next attempt (backoff or the
/// provider's Retry-After) and tells the owners once per run of failures. Role checks are the caller's (the scheduler acts
/// for the household without a member).
/// </summary>
public sealed class BankSyncRunner(
    IDbContextFactory<AppDbContext> dbFactory,
    HouseholdScope scope,
    ImportService import,
    IEnumerable<IBankDataProvider> providers,
    BankSecretProtector secrets,
    BankSyncLocks locks,
    NotificationOutbox outbox,
    TimeProvider time,
    IOptions<BankSyncOptions> options,
    ILogger<BankSyncRunner> logger)
{
    public const string Format = "SimpleFIN";
    private const string ExpiredMessage = "The bank connection expired — reconnect with a new setup token.";

    public IBankDataProvider Provider(string key) =>
        providers.FirstOrDefault(p => p.Key == key) ?? throw new InvalidOperationException($"No bank-data provider '{key}' is registered.");

    public async Task<BankSyncOutcome> SyncAsync(long connectionId, CancellationToken cancellationToken = default)
    {
        var householdId = scope.RequireHousehold();
        var gate = locks.For(connectionId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var connection = await db.BankConnections.SingleOrDefaultAsync(c => c.Id == connectionId, cancellationToken)
                ?? throw new NotFoundException("That bank connection");
            var household = await db.Households.AsNoTracking().Where(h => h.Id == householdId)
                .Select(h => new { h.BaseCurrency, h.TimeZoneId }).SingleAsync(cancellationToken);
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(household.TimeZoneId, out var z) ? z : TimeZoneInfo.Utc;
            var now = time.GetUtcNow();
            connection.LastAttemptAt = now.UtcDateTime;
            BankSyncOutcome outcome;
            try
            {
                outcome = await FetchAndImportAsync(db, connection, household.BaseCurrency, zone, now, cancellationToken);
                connection.Status = connection.Status == BankConnectionStatus.Paused ? BankConnectionStatus.Paused : BankConnectionStatus.Ok;
                connection.LastSuccessAt = time.GetUtcNow().UtcDateTime;
                connection.LastError = null;
                connection.ConsecutiveFailures = 0;
                connection.FailureNotified = false;
                connection.NextAttemptAt = (now + options.Value.Interval).UtcDateTime;
            }
            catch (BankProviderException e)
            {
                logger.LogWarning("Bank sync of connection {Connection} failed: {Kind}", connection.Id, e.Kind);
                outcome = await FailAsync(connection, e.Kind, e.RetryAfter, zone, now, cancellationToken);
            }
            catch (CryptographicException)
            {
                // The server's Data Protection keys changed (e.g. restored elsewhere): the secret cannot be read any more.
                logger.LogWarning("Bank sync of connection {Connection}: the stored secret cannot be decrypted", connection.Id);
                outcome = await FailAsync(connection, BankProviderErrorKind.CredentialsRefused, null, zone, now, cancellationToken);
            }
            catch (ImportRefusedException e)
            {
                outcome = await FailAsync(connection, BankProviderErrorKind.BadData, null, zone, now, cancellationToken, e.Message);
            }

            await db.SaveChangesAsync(CancellationToken.None);
            return outcome;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<BankSyncOutcome> FetchAndImportAsync(AppDbContext db, BankConnection connection, string baseCurrency, TimeZoneInfo zone,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var secret = secrets.Unprotect(connection.ProtectedSecret);
        var provider = Provider(connection.Provider);
        var links = await db.BankAccountLinks.Where(l => l.ConnectionId == connection.Id).ToListAsync(cancellationToken);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        DateOnly StartOf(BankAccountLink link) =>
            link.SyncedThrough is { } through ? through.AddDays(-options.Value.OverlapDays) : today.AddDays(-connection.HistoryDays);
        var synced = links.Where(l => l.AccountId is not null).ToList();
        // With nothing linked yet, one short request refreshes the account list and balances.
        var start = synced.Count == 0 ? today.AddDays(-1) : synced.Min(StartOf);

        var accounts = new Dictionary<string, BankAccountData>(StringComparer.Ordinal);
        var transactions = new Dictionary<string, Dictionary<string, BankTransactionData>>(StringComparer.Ordinal);
        var messages = new List<string>();
        for (var from = start; from <= today; from = from.AddDays(options.Value.MaxWindowDays))
        {
            var windowStart = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var windowEnd = new DateTimeOffset(from.AddDays(options.Value.MaxWindowDays).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var page = await provider.FetchAsync(secret, windowStart, windowEnd < now ? windowEnd : now, cancellationToken);
            messages.AddRange([.. page.Messages.Where(m => !messages.Contains(m))]);
            foreach (var account in page.Accounts)
            {
                accounts[account.Id] = account;
                if (!transactions.TryGetValue(account.Id, out var byId))
                {
                    transactions[account.Id] = byId = new(StringComparer.Ordinal);
                }

                foreach (var t in account.Transactions)
                {
                    // A pending row is skipped; once posted (same id), the posted version is the one kept.
                    if (!t.Pending || !byId.ContainsKey(t.Id))
                    {
                        byId[t.Id] = t;
                    }
                }
            }
        }

        foreach (var account in accounts.Values)
        {
            var link = links.FirstOrDefault(l => l.ExternalId == account.Id);
            if (link is null)
            {
                link = new BankAccountLink { ConnectionId = connection.Id, ExternalId = Bounded(account.Id), ExternalName = Bounded(account.Name) };
                db.BankAccountLinks.Add(link);
                links.Add(link);
            }

            link.ExternalName = Bounded(account.Name);
            link.Institution = account.Institution is null ? null : Bounded(account.Institution);
            link.Currency = Currencies.IsKnown(account.Currency) ? account.Currency : null;
            link.BalanceMinor = account.Balance is { } balance && link.Currency is { } currency && Math.Abs(balance) <= Money.MaxMajorAmount
                ? Money.ToMinor(balance, currency) : null;
            link.BalanceAt = account.BalanceAt?.UtcDateTime;
        }

        var statements = new List<ParsedStatement>();
        var targets = new Dictionary<int, long>();
        var fed = new List<(BankAccountLink Link, DateOnly Latest)>();
        foreach (var link in synced)
        {
            if (!transactions.TryGetValue(link.ExternalId, out var byId))
            {
                messages.Add($"The bank did not return {link.ExternalName} this time.");
                continue;
            }

            if (link.Currency is { } currency && currency != baseCurrency)
            {
                messages.Add($"{link.ExternalName} is in {currency}, not {baseCurrency}: it is not synced.");
                continue;
            }

            var linkStart = StartOf(link);
            var posted = byId.Values.Where(t => !t.Pending && t.PostedOn is { } on && on >= linkStart && t.Amount != 0)
                .OrderBy(t => t.PostedOn).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
            if (posted.Count == 0)
            {
                continue;
            }

            // The bank's description becomes the payee, or the note when the bank names the payee separately (and differently).
            var entries = posted.Select((t, i) => new ParsedEntry(
                t.PostedOn!.Value, t.Amount, link.Currency, t.Payee ?? t.Description,
                t.Memo ?? (t.Payee is null || string.Equals(t.Payee, t.Description, StringComparison.OrdinalIgnoreCase) ? null : t.Description),
                t.Id, [], i + 1)).ToList();
            targets[statements.Count] = link.AccountId!.Value;
            statements.Add(new ParsedStatement(link.ExternalName, link.Currency ?? baseCurrency, null, null, entries));
            fed.Add((link, posted[^1].PostedOn!.Value));
        }

        ImportResult? result = null;
        if (statements.Count > 0)
        {
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var name = string.Create(CultureInfo.InvariantCulture, $"{Format} sync {local:yyyy-MM-dd HH:mm}");
            result = await import.CommitParsedAsync(new StatementReadResult(Format, statements, []), name, targets,
                new ImportOrigin(TransactionSource.BankSync, connection.Id), cancellationToken);
        }

        foreach (var (link, latest) in fed)
        {
            link.SyncedThrough = link.SyncedThrough is { } through && through > latest ? through : latest;
        }

        var duplicates = result?.DuplicatesSkipped ?? statements.Sum(s => s.Entries.Count);
        return new BankSyncOutcome(true, result?.Added ?? 0, duplicates, result?.BatchIds ?? [], null, messages);
    }

    private async Task<BankSyncOutcome> FailAsync(BankConnection connection, BankProviderErrorKind kind, TimeSpan? retryAfter, TimeZoneInfo zone,
        DateTimeOffset now, CancellationToken cancellationToken, string? detail = null)
    {
        connection.ConsecutiveFailures++;
        if (kind is BankProviderErrorKind.CredentialsRefused)
        {
            connection.Status = BankConnectionStatus.NeedsReconnect;
            connection.NextAttemptAt = null;
            connection.LastError = ExpiredMessage;
        }
        else
        {
            var o = options.Value;
            var backoff = TimeSpan.FromTicks((long)Math.Min(o.MaxBackoff.Ticks, o.Backoff.Ticks * Math.Pow(2, Math.Min(30, connection.ConsecutiveFailures - 1))));
            var next = now + (retryAfter is { } wait && wait > TimeSpan.Zero ? wait : backoff);
            connection.Status = connection.Status == BankConnectionStatus.Paused ? BankConnectionStatus.Paused : BankConnectionStatus.Failing;
            connection.NextAttemptAt = next.UtcDateTime;
            var at = TimeZoneInfo.ConvertTime(next, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var what = kind switch
            {
                BankProviderErrorKind.RateLimited => "The bank asked us to slow down",
                BankProviderErrorKind.BadData => detail ?? "The bank sent data that could not be read",
                _ => "The bank is not answering",
            };
            connection.LastError = Bounded($"{what.TrimEnd('.')}; will retry at {at}.", 500);
        }

        if (!connection.FailureNotified && (connection.Status == BankConnectionStatus.NeedsReconnect || connection.ConsecutiveFailures >= options.Value.NotifyAfterFailures))
        {
            await NotifyOwnersAsync(connection, now, cancellationToken);
            connection.FailureNotified = true;
        }

        return new BankSyncOutcome(false, 0, 0, [], connection.LastError, []);
    }

    private async Task NotifyOwnersAsync(BankConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owners = await db.Members.AsNoTracking()
            .Where(m => m.Role == MemberRole.Owner && m.LeftAt == null && m.UserId != null)
            .Select(m => m.Id).ToListAsync(cancellationToken);
        var period = now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var requests = owners.Select(member => new NotificationRequest(connection.HouseholdId, member, NotificationType.BankSync, "bank-sync-failing",
            "bank:" + connection.Id.ToString(CultureInfo.InvariantCulture), period,
            $"Bank connection “{connection.Name}” needs attention",
            connection.LastError + "\n\nOpen Settings → Bank connections to see it.",
            BankConnectionsLink, now.UtcDateTime)).ToList();
        await outbox.EnqueueAsync(requests, cancellationToken);
    }

    public const string BankConnectionsLink = "settings/bank-connections";

    private static string Bounded(string text, int max = 200) => text.Length <= max ? text : text[..max];
}
