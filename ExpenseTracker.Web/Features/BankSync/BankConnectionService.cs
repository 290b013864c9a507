using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.BankSync;

public sealed record BankAccountLinkView(
    long Id,
    string ExternalName,
    string? Institution,
    string? Currency,
    long? AccountId,
    string? AccountName,
    DateOnly? SyncedThrough,
    long? BalanceMinor,
    DateTime? BalanceAt);

public sealed record BankConnectionView(
    long Id,
    string Name,
    string Provider,
    BankConnectionStatus Status,
    int HistoryDays,
    DateTime CreatedAt,
    DateTime? LastAttemptAt,
    DateTime? LastSuccessAt,
    string? LastError,
    DateTime? NextAttemptAt,
    IReadOnlyList<BankAccountLinkView> Accounts);

/// <summary>
/// Settings → Bank connections: add a connection from a setup token, map its bank accounts to payment accounts, sync now,
/// pause, resume, remove. Owners and Members change; Viewers see the list; Children see nothing. The secret never leaves
/// this service unencrypted and is never part of a view.
/// </summary>
public sealed class BankConnectionService(
    IDbContextFactory<AppDbContext> dbFactory,
    HouseholdScope scope,
    BankSyncRunner runner,
    BankSecretProtector secrets,
    TimeProvider time)
{
    public const int NameMaxLength = 100;
    public static readonly int[] HistoryChoices = [30, 90, 365];

    public static bool CanManage(HouseholdScope scope) => HouseholdPermissions.Can(scope, HouseholdAction.Import);

    public async Task<IReadOnlyList<BankConnectionView>> ListAsync(CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ViewHouseholdReports);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var links = await db.BankAccountLinks.AsNoTracking().OrderBy(l => l.Id)
            .Select(l => new { l.ConnectionId, View = new BankAccountLinkView(l.Id, l.ExternalName, l.Institution, l.Currency, l.AccountId,
                l.Account == null ? null : l.Account.Name, l.SyncedThrough, l.BalanceMinor, l.BalanceAt) })
            .ToListAsync(cancellationToken);
        var connections = await db.BankConnections.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken);
        return [.. connections.Select(c => new BankConnectionView(c.Id, c.Name, c.Provider, c.Status, c.HistoryDays, c.CreatedAt, c.LastAttemptAt,
            c.LastSuccessAt, c.LastError, c.NextAttemptAt, [.. links.Where(l => l.ConnectionId == c.Id).Select(l => l.View)]))];
    }

    /// <summary>
    /// Claims the setup token (it works once), stores the connection with the secret encrypted, and reads the bank account
    /// list. The connection is kept even when reading the accounts fails: the token is used up, and the next sync retries.
    /// </summary>
    public async Task<long> AddAsync(string? name, string? setupToken, int historyDays, string provider = SimpleFinProvider.ProviderKey,
        CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.Import);
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new FieldValidationException("name", "Give the connection a name, e.g. the bank's.");
        }

        if (trimmed.Length > NameMaxLength)
        {
            throw new FieldValidationException("name", $"The name is longer than {NameMaxLength} characters.");
        }

        if (!HistoryChoices.Contains(historyDays))
        {
            throw new FieldValidationException("historyDays", "Choose 30, 90 or 365 days.");
        }

        if (string.IsNullOrWhiteSpace(setupToken))
        {
            throw new FieldValidationException("setupToken", "Paste the setup token from the SimpleFIN Bridge.");
        }

        string secret;
        try
        {
            secret = await runner.Provider(provider).ClaimAsync(setupToken, cancellationToken);
        }
        catch (BankProviderException e)
        {
            throw new FieldValidationException("setupToken", e.Kind is BankProviderErrorKind.Unavailable or BankProviderErrorKind.RateLimited
                ? "The SimpleFIN Bridge could not be reached (" + e.Message.TrimEnd('.') + "). Try again in a few minutes: the token is not used up."
                : e.Message);
        }

        long id;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var connection = new BankConnection
            {
                Provider = provider,
                Name = trimmed,
                ProtectedSecret = secrets.Protect(secret),
                HistoryDays = historyDays,
                CreatedAt = time.GetUtcNow().UtcDateTime,
                CreatedByMemberId = scope.MemberId,
            };
            db.BankConnections.Add(connection);
            await db.SaveChangesAsync(CancellationToken.None);
            id = connection.Id;
        }

        await runner.SyncAsync(id, cancellationToken);
        return id;
    }

    /// <summary>Link id → payment account id, or null for "don't sync". Only accounts in the household currency can be synced.</summary>
    public async Task SaveMappingAsync(long connectionId, IReadOnlyDictionary<long, long?> mapping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        HouseholdPermissions.Require(scope, HouseholdAction.Import);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var links = await db.BankAccountLinks.Where(l => l.ConnectionId == connectionId).ToListAsync(cancellationToken);
        if (links.Count == 0 && !await db.BankConnections.AnyAsync(c => c.Id == connectionId, cancellationToken))
        {
            throw new NotFoundException("That bank connection");
        }

        var baseCurrency = await db.Households.Where(h => h.Id == scope.RequireHousehold()).Select(h => h.BaseCurrency).SingleAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().Where(a => !a.Archived).Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var (linkId, accountId) in mapping)
        {
            var link = links.FirstOrDefault(l => l.Id == linkId) ?? throw new NotFoundException("That bank account");
            if (accountId is { } chosen && !accounts.Contains(chosen))
            {
                throw new FieldValidationException("link-" + linkId, "That payment account does not exist in this household.");
            }

            if (accountId is not null && link.Currency is { } currency && currency != baseCurrency)
            {
                throw new FieldValidationException("link-" + linkId, $"{link.ExternalName} is in {currency}; only accounts in {baseCurrency} can be synced.");
            }

            link.AccountId = accountId;
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    public async Task<BankSyncOutcome> SyncNowAsync(long connectionId, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.Import);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var status = await db.BankConnections.Where(c => c.Id == connectionId).Select(c => (BankConnectionStatus?)c.Status).SingleOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("That bank connection");
            if (status == BankConnectionStatus.Paused)
            {
                throw new FieldValidationException("status", "The connection is paused: resume it first.");
            }
        }

        return await runner.SyncAsync(connectionId, cancellationToken);
    }

    public Task PauseAsync(long connectionId, CancellationToken cancellationToken = default) =>
        UpdateAsync(connectionId, c =>
        {
            c.Status = BankConnectionStatus.Paused;
            c.NextAttemptAt = null;
        }, cancellationToken);

    /// <summary>Resumes a paused or failing connection: due at once (a connection that needs reconnecting stays so until it syncs).</summary>
    public Task ResumeAsync(long connectionId, CancellationToken cancellationToken = default) =>
        UpdateAsync(connectionId, c =>
        {
            c.Status = c.ConsecutiveFailures > 0 ? BankConnectionStatus.Failing : BankConnectionStatus.Ok;
            c.NextAttemptAt = time.GetUtcNow().UtcDateTime;
        }, cancellationToken);

    /// <summary>Removes the connection and its account links; transactions it imported stay (their batches forget the connection).</summary>
    public async Task RemoveAsync(long connectionId, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.Import);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.BankConnections.AnyAsync(c => c.Id == connectionId, cancellationToken))
        {
            throw new NotFoundException("That bank connection");
        }

        await db.ImportBatches.Where(b => b.BankConnectionId == connectionId).ExecuteUpdateAsync(s => s.SetProperty(b => b.BankConnectionId, (long?)null), cancellationToken);
        await db.BankAccountLinks.Where(l => l.ConnectionId == connectionId).ExecuteDeleteAsync(cancellationToken);
        await db.BankConnections.Where(c => c.Id == connectionId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(CancellationToken.None);
    }

    private async Task UpdateAsync(long connectionId, Action<BankConnection> change, CancellationToken cancellationToken)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.Import);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = await db.BankConnections.SingleOrDefaultAsync(c => c.Id == connectionId, cancellationToken)
            ?? throw new NotFoundException("That bank connection");
        change(connection);
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
