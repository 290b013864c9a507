using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>
/// Shared expenses and who owes whom. A transaction is shared when it has MemberShare rows (they add up to its
/// amount); its payer is PaidByMemberId. A member's net = what they paid for shared transactions − their shares.
/// A settlement is a Transaction of kind Settlement paid by the member who pays back (PaidByMemberId) with one
/// MemberShare row for the member who receives, holding the full amount: the same formula then moves both nets
/// toward zero, and it never counts as spending (spending is Expense − Refund only).
/// </summary>
public sealed class BalanceService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time)
{
    public async Task<BalanceSheet> GetBalancesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.ViewBalances, cancellationToken);
        return await ComputeAsync(db, cancellationToken);
    }

    private static async Task<BalanceSheet> ComputeAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var currency = await db.Households.Select(h => h.BaseCurrency).FirstAsync(cancellationToken);
        // Both sides are summed over the share rows, so the nets add up to zero even if an amount was edited
        // without re-splitting. Refunds run the other way.
        var shares = db.MemberShares.AsNoTracking()
            .Where(s => s.Transaction!.DeletedAt == null && s.Transaction.PaidByMemberId != null)
            .Where(s => s.Transaction!.Kind == TransactionKind.Expense || s.Transaction.Kind == TransactionKind.Refund
                        || s.Transaction.Kind == TransactionKind.Settlement);
        var paid = await shares
            .GroupBy(s => s.Transaction!.PaidByMemberId!.Value)
            .Select(g => new { MemberId = g.Key, Sum = g.Sum(s => s.Transaction!.Kind == TransactionKind.Refund ? -s.AmountMinor : s.AmountMinor) })
            .ToDictionaryAsync(x => x.MemberId, x => x.Sum, cancellationToken);
        var owed = await shares
            .GroupBy(s => s.MemberId)
            .Select(g => new { MemberId = g.Key, Sum = g.Sum(s => s.Transaction!.Kind == TransactionKind.Refund ? -s.AmountMinor : s.AmountMinor) })
            .ToDictionaryAsync(x => x.MemberId, x => x.Sum, cancellationToken);
        var members = await db.Members.AsNoTracking().OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.DisplayName, m.Color, m.LeftAt })
            .ToListAsync(cancellationToken);

        var balances = members
            .Select(m => new MemberBalance(m.Id, m.DisplayName, m.Color, m.LeftAt != null,
                paid.GetValueOrDefault(m.Id), owed.GetValueOrDefault(m.Id)))
            .Where(b => !b.IsFormer || b.PaidMinor != 0 || b.ShareMinor != 0)
            .ToList();
        var names = members.ToDictionary(m => m.Id, m => m.DisplayName);
        var transfers = DebtSimplifier.Simplify(balances.Select(b => new MemberNet(b.MemberId, b.NetMinor)).ToList())
            .Select(t => new SuggestedTransfer(t.FromMemberId, names[t.FromMemberId], t.ToMemberId, names[t.ToMemberId], t.AmountMinor))
            .ToList();
        return new BalanceSheet(currency, balances, transfers);
    }

    public async Task<TransactionShares> GetSharesAsync(long transactionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.ViewTransactions, cancellationToken);
        return await db.Transactions.AsNoTracking().VisibleTo(scope)
            .Where(t => t.Id == transactionId)
            .Select(t => new TransactionShares(t.Id, t.Version, t.AmountMinor, t.PaidByMemberId,
                t.Shares.OrderBy(s => s.MemberId).Select(s => new ShareAmount(s.MemberId, s.AmountMinor)).ToList()))
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("That expense");
    }

    /// <summary>
    /// Splits an expense or refund among members (replacing any earlier split) and bumps its version. With
    /// <paramref name="expectedVersion"/>, a newer save by someone else is a <see cref="ConcurrencyConflictException"/>.
    /// A split that does not add up throws <see cref="HouseholdValidationException"/> with the message to show.
    /// </summary>
    public async Task<TransactionShares> ShareAsync(
        long transactionId, SplitMethod method, IReadOnlyList<SplitPart> parts, long? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.ShareTransactions, cancellationToken);
        var transaction = await LoadForShareAsync(db, transactionId, expectedVersion, cancellationToken);
        if (transaction.Kind is not (TransactionKind.Expense or TransactionKind.Refund))
        {
            throw new HouseholdValidationException("Only expenses and refunds can be split.");
        }

        var memberIds = parts.Select(p => p.MemberId).Distinct().ToArray();
        var active = await db.Members.CountAsync(m => memberIds.Contains(m.Id) && m.LeftAt == null, cancellationToken);
        if (active != memberIds.Length)
        {
            throw new HouseholdValidationException("Split only among current members of this household.");
        }

        var household = await db.Households.AsNoTracking().FirstAsync(cancellationToken);
        var result = SplitCalculator.Split(transaction.AmountMinor, method, parts, transaction.PaidByMemberId,
            household.BaseCurrency, System.Globalization.CultureInfo.GetCultureInfo(household.Culture));
        if (!result.Succeeded)
        {
            throw new HouseholdValidationException(result.Error!);
        }

        db.MemberShares.RemoveRange(transaction.Shares);
        foreach (var share in result.Shares)
        {
            db.MemberShares.Add(new MemberShare { TransactionId = transaction.Id, MemberId = share.MemberId, AmountMinor = share.AmountMinor });
        }

        Touch(transaction, me.MemberId);
        await SaveAsync(db, cancellationToken);
        return new TransactionShares(transaction.Id, transaction.Version, transaction.AmountMinor, transaction.PaidByMemberId, result.Shares);
    }

    /// <summary>Makes a transaction unshared again (no share rows).</summary>
    public async Task UnshareAsync(long transactionId, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.ShareTransactions, cancellationToken);
        var transaction = await LoadForShareAsync(db, transactionId, expectedVersion, cancellationToken);
        if (transaction.Kind == TransactionKind.Settlement)
        {
            throw new HouseholdValidationException("A settlement is always between two members; delete it instead.");
        }

        db.MemberShares.RemoveRange(transaction.Shares);
        Touch(transaction, me.MemberId);
        await SaveAsync(db, cancellationToken);
    }

    /// <summary>
    /// Records that <paramref name="fromMemberId"/> paid <paramref name="toMemberId"/> back. Without an amount, the
    /// amount of the suggested transfer between the two (which clears it). Returns the settlement's id; delete it like
    /// any transaction to undo.
    /// </summary>
    public async Task<long> SettleUpAsync(
        long fromMemberId, long toMemberId, long? amountMinor = null, DateOnly? date = null, long? accountId = null,
        string? notes = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var me = await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.SettleUp, cancellationToken);
        if (fromMemberId == toMemberId)
        {
            throw new HouseholdValidationException("Choose two different people.");
        }

        var ids = new[] { fromMemberId, toMemberId };
        var names = await db.Members.Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.DisplayName, cancellationToken);
        if (names.Count != 2)
        {
            throw new NotFoundException("That member");
        }

        var household = await db.Households.AsNoTracking().FirstAsync(cancellationToken);
        if (amountMinor is null)
        {
            var sheet = await ComputeAsync(db, cancellationToken);
            amountMinor = sheet.Transfers.FirstOrDefault(t => t.FromMemberId == fromMemberId && t.ToMemberId == toMemberId)?.AmountMinor
                ?? throw new HouseholdValidationException($"{names[fromMemberId]} does not owe {names[toMemberId]} anything.");
        }

        if (amountMinor <= 0)
        {
            throw new HouseholdValidationException("The amount must be more than zero.");
        }

        var account = accountId is { } id
            ? await db.Accounts.Where(a => a.Id == id).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("That account")
            : await db.Accounts.OrderBy(a => a.Archived).ThenBy(a => a.Id).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new HouseholdValidationException("Add a payment account first.");

        var now = time.GetUtcNow().UtcDateTime;
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(household.TimeZoneId, out var z) ? z : TimeZoneInfo.Utc;
        var settlement = new Transaction
        {
            Kind = TransactionKind.Settlement,
            AmountMinor = amountMinor.Value,
            Currency = household.BaseCurrency,
            Date = date ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone)),
            AccountId = account,
            PaidByMemberId = fromMemberId,
            Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim(),
            NotesKey = string.IsNullOrWhiteSpace(notes) ? null : TextKey.Fold(notes),
            Source = TransactionSource.Manual,
            CreatedAt = now,
            CreatedByMemberId = me.MemberId,
            UpdatedAt = now,
            UpdatedByMemberId = me.MemberId,
        };
        settlement.Shares.Add(new MemberShare { MemberId = toMemberId, AmountMinor = amountMinor.Value });
        db.Transactions.Add(settlement);
        await db.SaveChangesAsync(cancellationToken);
        return settlement.Id;
    }

    public async Task<IReadOnlyList<SettlementRow>> ListSettlementsAsync(int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await HouseholdAccess.RequireAsync(db, scope, HouseholdAction.ViewBalances, cancellationToken);
        return await db.Transactions.AsNoTracking()
            .Where(t => t.Kind == TransactionKind.Settlement && t.PaidByMemberId != null)
            .OrderByDescending(t => t.Date).ThenByDescending(t => t.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200))
            .SelectMany(t => t.Shares, (t, s) => new SettlementRow(
                t.Id, t.Date, t.PaidByMemberId!.Value, t.PaidBy!.DisplayName, s.MemberId, s.Member!.DisplayName, t.AmountMinor, t.Notes))
            .ToListAsync(cancellationToken);
    }

    private async Task<Transaction> LoadForShareAsync(AppDbContext db, long transactionId, long? expectedVersion, CancellationToken cancellationToken)
    {
        var transaction = await db.Transactions.VisibleTo(scope).Include(t => t.Shares)
            .FirstOrDefaultAsync(t => t.Id == transactionId, cancellationToken)
            ?? throw new NotFoundException("That expense");
        if (expectedVersion is { } version)
        {
            if (transaction.Version != version)
            {
                throw new ConcurrencyConflictException();
            }

            db.Entry(transaction).Property(t => t.Version).OriginalValue = version;
        }

        return transaction;
    }

    private void Touch(Transaction transaction, long memberId)
    {
        transaction.UpdatedAt = time.GetUtcNow().UtcDateTime;
        transaction.UpdatedByMemberId = memberId;
    }

    private static async Task SaveAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflictException();
        }
    }
}
