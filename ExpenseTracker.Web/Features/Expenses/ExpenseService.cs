using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Search;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Expenses;

/// <summary>
/// Reads and writes expenses of the current household. Every query runs under the household filter; every id
/// from outside is checked to belong to the household ("not yours" is NotFound). Reads apply
/// <see cref="TransactionVisibility.VisibleTo"/> (private ones only for their author, children only their own);
/// writes load through <see cref="TransactionVisibility.EditableBy"/> (viewers are refused).
/// </summary>
public sealed class ExpenseService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time)
{
    public const int MaxPageSize = 200;

    public async Task<ExpensePage> ListAsync(ExpensePageRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var plan = await SearchFilter.PlanAsync(db, Terms(request.Filter), cancellationToken);
        var query = Apply(db, db.Transactions.AsNoTracking(), request.Filter, plan).VisibleTo(scope);

        // The totals scan the filter's whole range, the page stops after its rows: the totals run on a second
        // connection meanwhile (SQLite readers do not block each other; Microsoft.Data.Sqlite's async calls complete
        // synchronously, so the overlap needs its own thread).
        var totalsPlan = SearchFilter.TotalsPlan(db, plan, Terms(request.Filter), request.Filter.From, request.Filter.To,
            DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var totalsTask = Task.Run(() => TotalsAsync(request.Filter, totalsPlan, cancellationToken), cancellationToken);

        query = (request.Sort, request.Descending) switch
        {
            (ExpenseSort.Amount, true) => query.OrderByDescending(t => t.AmountMinor).ThenByDescending(t => t.Id),
            (ExpenseSort.Amount, false) => query.OrderBy(t => t.AmountMinor).ThenBy(t => t.Id),
            (ExpenseSort.Payee, true) => query.OrderByDescending(t => t.Payee!.Key).ThenByDescending(t => t.Id),
            (ExpenseSort.Payee, false) => query.OrderBy(t => t.Payee!.Key).ThenBy(t => t.Id),
            (_, true) => query.OrderByDescending(t => t.Date).ThenByDescending(t => t.Id),
            (_, false) => query.OrderBy(t => t.Date).ThenBy(t => t.Id),
        };

        var take = Math.Clamp(request.Take, 1, MaxPageSize);
        var page = await query.Skip(Math.Max(0, request.Skip)).Take(take)
            .Select(t => new
            {
                t.Id,
                t.Version,
                t.Date,
                t.Kind,
                t.AmountMinor,
                Payee = t.Payee == null ? null : t.Payee.Name,
                t.Notes,
                Account = t.Account!.Name,
                ToAccount = t.ToAccount == null ? null : t.ToAccount.Name,
                PaidBy = t.PaidBy == null ? null : t.PaidBy.DisplayName,
                t.IsPrivate,
                IsShared = t.Shares.Any(),
            })
            .ToListAsync(cancellationToken);

        // Categories and tags of this page only, one indexed query each. Projected inside the page query, EF joins
        // them as household-filtered derived tables that SQLite materialises for the whole household on every page.
        // The ids come from the household-filtered page; the household is still checked, as HouseholdId + 0, which no
        // index serves: with the named filter's plain HouseholdId = ?, SQLite walks every line of the household by its
        // (HouseholdId, CategoryId) index instead of seeking the page's 50 transaction ids.
        var ids = page.Select(r => r.Id).ToArray();
        var householdId = scope.HouseholdId ?? -1;
        var lines = (await db.TransactionLines.AsNoTracking().IgnoreQueryFilters([AppDbContext.HouseholdFilter])
                .Where(l => ids.Contains(l.TransactionId) && l.HouseholdId + 0 == householdId)
                .OrderByDescending(l => l.AmountMinor).ThenBy(l => l.Id)
                .Select(l => new { l.TransactionId, Chip = new CategoryChip(l.CategoryId, l.Category!.Name, l.Category.Color, l.Category.Icon) })
                .ToListAsync(cancellationToken))
            .ToLookup(l => l.TransactionId, l => l.Chip);
        var tags = (await db.TransactionTags.AsNoTracking().IgnoreQueryFilters([AppDbContext.HouseholdFilter])
                .Where(x => ids.Contains(x.TransactionId) && x.HouseholdId + 0 == householdId)
                .OrderBy(x => x.Tag!.Key)
                .Select(x => new { x.TransactionId, x.Tag!.Name })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.TransactionId, x => x.Name);
        var rows = page.Select(t => new ExpenseRow(
                t.Id, t.Version, t.Date, t.Kind, t.AmountMinor, t.Payee, t.Notes, t.Account, t.ToAccount, t.PaidBy,
                lines[t.Id].ToList(), tags[t.Id].ToList(), t.IsPrivate, t.IsShared && t.Kind != TransactionKind.Settlement))
            .ToList();
        var (total, spending, hidden) = await totalsTask;
        return new ExpensePage(rows, total, spending, hidden);
    }

    /// <summary>The filter's visible count and spending and its hidden private line.</summary>
    private async Task<(int Total, long Spending, PrivateSummary Hidden)> TotalsAsync(
        ExpenseFilter filter, SearchFilter.TextPlan plan, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // The count and sum visit every row of the filter; the rest reads few rows (the private index, or the category's
        // lines) and keeps the page's plan.
        var counted = Apply(db, SearchFilter.HouseholdRows(db, plan), filter, plan);
        if (plan == SearchFilter.TextPlan.SeekAllMatches)
        {
            plan = SearchFilter.TextPlan.ScanHousehold;
        }

        var filtered = Apply(db, db.Transactions.AsNoTracking(), filter, plan);
        var visible = filtered.VisibleTo(scope);
        var hidden = await filtered.SummarizeHiddenPrivateAsync(scope, filter.CategoryIds, cancellationToken);

        // Count and spending in one pass. For adults (and viewers and jobs) what they see and the hidden private rows
        // split the filtered rows exactly, so both come from the filter alone minus the hidden line: the filter reads
        // no rows (the household's covering index answers it) and the hidden rows come from their small private
        // index. A child sees only their own rows and gets no hidden line.
        var complement = scope.Role != MemberRole.Child;
        var totals = await (complement ? counted : counted.VisibleTo(scope))
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Count = g.Count(),
                Spending = g.Sum(t => t.Kind == TransactionKind.Expense ? t.AmountMinor : t.Kind == TransactionKind.Refund ? -t.AmountMinor : 0),
            })
            .FirstOrDefaultAsync(cancellationToken);
        var (hiddenCount, hiddenSpending) = complement ? (hidden.Count, hidden.SpendingMinor) : (0, 0L);
        var spending = filter.CategoryIds.Count > 0 || filter.SpendingOfMemberId is not null
            ? await SpendingAsync(db, visible, filter, cancellationToken)
            : (totals?.Spending ?? 0) - hiddenSpending;
        return ((totals?.Count ?? 0) - hiddenCount, spending, hidden);
    }

    /// <summary>Spending = Expense − Refund, summed in SQL. With a category filter only the matching lines count.</summary>
    private static async Task<long> SpendingAsync(AppDbContext db, IQueryable<Transaction> filtered, ExpenseFilter filter, CancellationToken cancellationToken)
    {
        if (filter.CategoryIds.Count > 0)
        {
            var ids = filter.CategoryIds.ToArray();
            return await db.TransactionLines.AsNoTracking()
                .Where(l => ids.Contains(l.CategoryId) && filtered.Any(t => t.Id == l.TransactionId))
                .Where(l => l.Transaction!.Kind == TransactionKind.Expense || l.Transaction.Kind == TransactionKind.Refund)
                .SumAsync(l => l.Transaction!.Kind == TransactionKind.Refund ? -l.AmountMinor : l.AmountMinor, cancellationToken);
        }

        if (filter.SpendingOfMemberId is { } spender)
        {
            // The member's share of a shared transaction, else (they paid it) the whole amount: the "spending per member" rule.
            return await filtered
                .Where(t => t.Kind == TransactionKind.Expense || t.Kind == TransactionKind.Refund)
                .Select(t => new
                {
                    t.Kind,
                    Amount = t.Shares.Any() ? t.Shares.Where(s => s.MemberId == spender).Sum(s => s.AmountMinor) : t.AmountMinor,
                })
                .SumAsync(x => x.Kind == TransactionKind.Refund ? -x.Amount : x.Amount, cancellationToken);
        }

        return await filtered
            .Where(t => t.Kind == TransactionKind.Expense || t.Kind == TransactionKind.Refund)
            .SumAsync(t => t.Kind == TransactionKind.Refund ? -t.AmountMinor : t.AmountMinor, cancellationToken);
    }

    internal static IQueryable<Transaction> Apply(AppDbContext db, IQueryable<Transaction> query, ExpenseFilter filter) =>
        Apply(db, query, filter, SearchFilter.TextPlan.Planner);

    /// <summary>The filter's query-line terms, or its plain text as prefix words.</summary>
    private static IReadOnlyList<SearchTerm> Terms(ExpenseFilter filter) =>
        filter.Terms.Count > 0 ? filter.Terms : SearchFilter.Words(filter.Text);

    internal static IQueryable<Transaction> Apply(AppDbContext db, IQueryable<Transaction> query, ExpenseFilter filter, SearchFilter.TextPlan plan)
    {
        // The words first: SQLite tests the conditions in this order, and the full-text id probe is the cheapest one
        // that rules most rows out.
        query = SearchFilter.Apply(db, query, Terms(filter), plan);

        if (filter.From is { } from)
        {
            query = query.Where(t => t.Date >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(t => t.Date <= to);
        }

        if (filter.CategoryIds.Count > 0)
        {
            var ids = filter.CategoryIds.ToArray();
            query = query.Where(t => t.Lines.Any(l => ids.Contains(l.CategoryId)));
        }

        if (filter.TagIds.Count > 0)
        {
            var ids = filter.TagIds.ToArray();
            query = query.Where(t => t.Tags.Any(x => ids.Contains(x.TagId)));
        }

        if (filter.MemberIds.Count > 0)
        {
            var ids = filter.MemberIds.ToArray();
            query = query.Where(t => t.PaidByMemberId != null && ids.Contains(t.PaidByMemberId.Value));
        }

        if (filter.AccountIds.Count > 0)
        {
            var ids = filter.AccountIds.ToArray();
            query = query.Where(t => ids.Contains(t.AccountId) || (t.ToAccountId != null && ids.Contains(t.ToAccountId.Value)));
        }

        if (filter.Kinds.Count > 0)
        {
            var kinds = filter.Kinds.ToArray();
            query = query.Where(t => kinds.Contains(t.Kind));
        }

        if (filter.MinAmountMinor is { } min)
        {
            query = query.Where(t => t.AmountMinor >= min);
        }

        if (filter.MaxAmountMinor is { } max)
        {
            query = query.Where(t => t.AmountMinor <= max);
        }

        if (filter.PayeeIds.Count > 0)
        {
            var ids = filter.PayeeIds.ToArray();
            query = query.Where(t => t.PayeeId != null && ids.Contains(t.PayeeId.Value));
        }

        if (filter.SpendingOfMemberId is { } spender)
        {
            query = query.Where(t => t.Shares.Any(s => s.MemberId == spender) || (!t.Shares.Any() && t.PaidByMemberId == spender));
        }

        return query;
    }

    public async Task<ExpenseDetails> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Transactions.AsNoTracking().VisibleTo(scope)
            .Where(t => t.Id == id)
            .Select(t => new
            {
                t.Id, t.Version, t.Kind, t.AmountMinor, t.Currency, t.Date,
                Payee = t.Payee == null ? null : t.Payee.Name, t.Notes, t.AccountId, t.ToAccountId, t.PaidByMemberId,
                t.OriginalAmountMinor, t.OriginalCurrency, t.ExchangeRate, t.IsPrivate,
            })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("That expense");

        // Its lines, tags and shares by transaction id, the household checked as HouseholdId + 0 (see ListAsync): as
        // collections of one query, EF joins them as household-filtered derived tables that SQLite materialises whole.
        var householdId = scope.HouseholdId ?? -1;
        var tags = await db.TransactionTags.AsNoTracking().IgnoreQueryFilters([AppDbContext.HouseholdFilter])
            .Where(x => x.TransactionId == id && x.HouseholdId + 0 == householdId)
            .Select(x => x.Tag!.Name).ToListAsync(cancellationToken);
        var lines = await db.TransactionLines.AsNoTracking().IgnoreQueryFilters([AppDbContext.HouseholdFilter])
            .Where(l => l.TransactionId == id && l.HouseholdId + 0 == householdId)
            .OrderBy(l => l.Id).Select(l => new LineInput(l.CategoryId, l.AmountMinor, l.Note)).ToListAsync(cancellationToken);
        var shares = await db.MemberShares.AsNoTracking().IgnoreQueryFilters([AppDbContext.HouseholdFilter])
            .Where(x => x.TransactionId == id && x.HouseholdId + 0 == householdId)
            .OrderBy(x => x.MemberId).Select(x => new ShareAmount(x.MemberId, x.AmountMinor)).ToListAsync(cancellationToken);
        return new ExpenseDetails(
            row.Id, row.Version, row.Kind, row.AmountMinor, row.Currency, row.Date, row.Payee, row.Notes, row.AccountId,
            row.ToAccountId, row.PaidByMemberId, tags, lines, row.OriginalAmountMinor, row.OriginalCurrency, row.ExchangeRate,
            row.IsPrivate, shares);
    }

    public async Task<ExpenseLookups> GetLookupsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var categories = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Name)
            .Select(c => new LookupItem(c.Id, c.Name, c.Color, c.Icon, c.Archived)).ToListAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.Name)
            .Select(a => new LookupItem(a.Id, a.Name, null, null, a.Archived)).ToListAsync(cancellationToken);
        var members = await db.Members.AsNoTracking().OrderBy(m => m.Id)
            .Select(m => new LookupItem(m.Id, m.DisplayName, m.Color, null, m.LeftAt != null)).ToListAsync(cancellationToken);
        var tags = await db.Tags.AsNoTracking().OrderBy(t => t.Key)
            .Select(t => new LookupItem(t.Id, t.Name)).ToListAsync(cancellationToken);
        return new ExpenseLookups(categories, accounts, members, tags);
    }

    /// <summary>Payee names for autocomplete: those containing the typed text (accent- and case-insensitive).</summary>
    public async Task<IReadOnlyList<string>> SearchPayeesAsync(string? text, int take = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = TextKey.Fold(text);
        var query = db.Payees.AsNoTracking();
        if (key.Length > 0)
        {
            query = query.Where(p => p.Key.Contains(key));
        }

        return await query.OrderBy(p => p.Key).Take(Math.Clamp(take, 1, 200)).Select(p => p.Name).ToListAsync(cancellationToken);
    }

    public async Task<long> CreateAsync(ExpenseInput input, CancellationToken cancellationToken = default) =>
        (await RetryOnNewNameRaceAsync(() => CreateOnceAsync(input, cancellationToken))).Id;

    /// <summary>
    /// Creates the expense and returns it as <see cref="GetAsync"/> reads it, described from what was just saved instead of
    /// read back (the API answers every create with the resource: four queries fewer per create).
    /// </summary>
    public async Task<ExpenseDetails> CreateDescribedAsync(ExpenseInput input, CancellationToken cancellationToken = default) =>
        Describe(await RetryOnNewNameRaceAsync(() => CreateOnceAsync(input, cancellationToken)));

    /// <summary>A saved transaction as <see cref="GetAsync"/> returns it: lines in saved order, tags by tag id, shares by member.</summary>
    private static ExpenseDetails Describe(Transaction t) => new(
        t.Id, t.Version, t.Kind, t.AmountMinor, t.Currency, t.Date, t.Payee?.Name, t.Notes, t.AccountId, t.ToAccountId, t.PaidByMemberId,
        [.. t.Tags.OrderBy(x => x.TagId).Select(x => x.Tag!.Name)],
        [.. t.Lines.OrderBy(l => l.Id).Select(l => new LineInput(l.CategoryId, l.AmountMinor, l.Note))],
        t.OriginalAmountMinor, t.OriginalCurrency, t.ExchangeRate, t.IsPrivate,
        [.. t.Shares.OrderBy(x => x.MemberId).Select(x => new ShareAmount(x.MemberId, x.AmountMinor))]);

    /// <summary>
    /// Two saves that create the same new payee or tag at once (API clients under load) collide on its unique key; the
    /// loser's save rolled back whole, and run again it finds the winner's payee or tag.
    /// </summary>
    private static async Task<T> RetryOnNewNameRaceAsync<T>(Func<Task<T>> save)
    {
        try
        {
            return await save();
        }
        catch (DbUpdateException error) when (DbErrors.IsUniqueViolation(error, "Payees", "Key") || DbErrors.IsUniqueViolation(error, "Tags", "Key"))
        {
            return await save();
        }
    }

    private async Task<Transaction> CreateOnceAsync(ExpenseInput input, CancellationToken cancellationToken)
    {
        RequireWrite();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await db.Households.AsNoTracking().FirstOrDefaultAsync(cancellationToken)
            ?? throw new HouseholdAccessException("No current household.");
        await ValidateAsync(db, input, household.BaseCurrency, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var transaction = new Transaction
        {
            Currency = household.BaseCurrency,
            CreatedAt = now,
            CreatedByMemberId = scope.MemberId,
            Source = input.Source,
        };
        await MapAsync(db, transaction, input, now, cancellationToken);
        await ApplySplitAsync(db, transaction, input, household, [], cancellationToken);
        db.Transactions.Add(transaction);
        await db.SaveChangesAsync(cancellationToken);
        return transaction;
    }

    /// <summary>Saves an edit made to version <paramref name="expectedVersion"/>; a newer save by someone else is a conflict.</summary>
    public Task<long> UpdateAsync(long id, long expectedVersion, ExpenseInput input, CancellationToken cancellationToken = default) =>
        RetryOnNewNameRaceAsync(() => UpdateOnceAsync(id, expectedVersion, input, cancellationToken));

    private async Task<long> UpdateOnceAsync(long id, long expectedVersion, ExpenseInput input, CancellationToken cancellationToken)
    {
        RequireWrite();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var transaction = await LoadEditableAsync(db, id, q => q.Include(t => t.Lines).Include(t => t.Tags).Include(t => t.Shares), cancellationToken);
        if (transaction.Version != expectedVersion)
        {
            throw new ConcurrencyConflictException();
        }

        await ValidateAsync(db, input, transaction.Currency, cancellationToken);
        db.Entry(transaction).Property(t => t.Version).OriginalValue = expectedVersion;
        var now = time.GetUtcNow().UtcDateTime;
        db.TransactionLines.RemoveRange(transaction.Lines);
        db.TransactionTags.RemoveRange(transaction.Tags);
        transaction.Lines.Clear();
        transaction.Tags.Clear();
        var previousShares = transaction.Shares.Select(x => new ShareAmount(x.MemberId, x.AmountMinor)).ToList();
        await MapAsync(db, transaction, input, now, cancellationToken);
        var household = await db.Households.AsNoTracking().FirstAsync(cancellationToken);
        await ApplySplitAsync(db, transaction, input, household, previousShares, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflictException();
        }

        return transaction.Version;
    }

    /// <summary>Soft delete: hidden everywhere, restorable with <see cref="RestoreAsync"/>.</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        RequireWrite();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var transaction = await LoadEditableAsync(db, id, q => q, cancellationToken);
        transaction.DeletedAt = time.GetUtcNow().UtcDateTime;
        transaction.DeletedByMemberId = scope.MemberId;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RestoreAsync(long id, CancellationToken cancellationToken = default)
    {
        RequireWrite();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deleted = db.Transactions.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).Where(t => t.DeletedAt != null);
        if (!await deleted.VisibleTo(scope).AnyAsync(t => t.Id == id, cancellationToken))
        {
            throw new NotFoundException("That deleted expense");
        }

        var transaction = await deleted.EditableBy(scope).FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw new HouseholdAccessException(RefusalMessage());
        transaction.DeletedAt = null;
        transaction.DeletedByMemberId = null;
        transaction.UpdatedAt = time.GetUtcNow().UtcDateTime;
        transaction.UpdatedByMemberId = scope.MemberId;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Copies an expense to today (in the household's time zone) and returns the new id.</summary>
    public async Task<long> DuplicateAsync(long id, DateOnly date, CancellationToken cancellationToken = default)
    {
        var source = await GetAsync(id, cancellationToken);
        var input = source.ToInput() with { Date = date, Source = TransactionSource.Manual };
        if (!HouseholdPermissions.Can(scope.Role ?? MemberRole.Owner, HouseholdAction.ShareTransactions))
        {
            // A child copies their own expense without the split a parent made.
            input = input with { Split = null };
        }

        return await CreateAsync(input, cancellationToken);
    }

    /// <summary>"Not visible" is NotFound; visible but not this member's to change is a refusal.</summary>
    private async Task<Transaction> LoadEditableAsync(
        AppDbContext db, long id, Func<IQueryable<Transaction>, IQueryable<Transaction>> include, CancellationToken cancellationToken)
    {
        var transaction = await include(db.HouseholdTransactions(scope.RequireHousehold()).EditableBy(scope)).FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (transaction is not null)
        {
            return transaction;
        }

        if (await db.Transactions.AsNoTracking().VisibleTo(scope).AnyAsync(t => t.Id == id, cancellationToken))
        {
            throw new HouseholdAccessException(RefusalMessage());
        }

        throw new NotFoundException("That expense");
    }

    private string RefusalMessage() => scope.Role is { } role
        ? HouseholdPermissions.RefusalMessage(role, HouseholdAction.EditAnyTransaction)
        : "You cannot change this expense.";

    /// <summary>
    /// Replaces the member shares with the split of <paramref name="input"/> (none: not shared). Members must be
    /// current members of the household, or already in the split being edited.
    /// </summary>
    private async Task ApplySplitAsync(
        AppDbContext db, Transaction transaction, ExpenseInput input, Household household, IReadOnlyList<ShareAmount> previous,
        CancellationToken cancellationToken)
    {
        var parts = input.Split?.Parts ?? [];
        db.MemberShares.RemoveRange(transaction.Shares);
        transaction.Shares.Clear();
        if (parts.Count == 0 && previous.Count == 0)
        {
            return;
        }

        if (scope.Role is { } role && !HouseholdPermissions.Can(role, HouseholdAction.ShareTransactions))
        {
            // Someone who may not split (a child) can still edit their own expense that a parent split, unchanged.
            var unchanged = input.Split?.Method == SplitMethod.ExactAmounts && parts.Count == previous.Count
                && previous.All(p => parts.Any(x => x.MemberId == p.MemberId && x.Value == p.AmountMinor))
                && previous.Sum(p => p.AmountMinor) == transaction.AmountMinor;
            if (!unchanged)
            {
                throw new HouseholdAccessException(HouseholdPermissions.RefusalMessage(role, HouseholdAction.ShareTransactions));
            }
        }

        if (parts.Count == 0)
        {
            return;
        }

        var previousMembers = previous.Select(p => p.MemberId).ToArray();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (transaction.Kind is not (TransactionKind.Expense or TransactionKind.Refund))
        {
            errors[nameof(ExpenseInput.Split)] = ["Only expenses and refunds can be split."];
        }
        else if (input.IsPrivate)
        {
            errors[nameof(ExpenseInput.Split)] = ["A private expense cannot be split: the others would not see what they owe."];
        }
        else
        {
            var ids = parts.Select(p => p.MemberId).Distinct().ToArray();
            var allowed = await db.Members.CountAsync(m => ids.Contains(m.Id) && (m.LeftAt == null || previousMembers.Contains(m.Id)), cancellationToken);
            if (allowed != ids.Length)
            {
                errors[nameof(ExpenseInput.Split)] = ["Split only among current members of this household."];
            }
            else
            {
                var result = SplitCalculator.Split(transaction.AmountMinor, input.Split!.Method, parts, transaction.PaidByMemberId,
                    household.BaseCurrency, System.Globalization.CultureInfo.GetCultureInfo(household.Culture));
                if (!result.Succeeded)
                {
                    errors[nameof(ExpenseInput.Split)] = [result.Error!];
                }
                else
                {
                    foreach (var share in result.Shares)
                    {
                        transaction.Shares.Add(new MemberShare { MemberId = share.MemberId, AmountMinor = share.AmountMinor });
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ExpenseValidationException(errors);
        }
    }

    private void RequireWrite()
    {
        if (!scope.IsSet)
        {
            throw new HouseholdAccessException("No current household.");
        }

        if (!scope.CanWrite)
        {
            throw new HouseholdAccessException("Viewers can look but not change expenses.");
        }
    }

    private static async Task ValidateAsync(AppDbContext db, ExpenseInput input, string currency, CancellationToken cancellationToken)
    {
        var errors = ExpenseValidator.Validate(input, currency);

        // Everything referenced must belong to this household; the query filter hides other households' rows.
        var accountIds = new[] { input.AccountId, input.ToAccountId ?? input.AccountId }.Distinct().ToArray();
        var foundAccounts = await db.Accounts.CountAsync(a => accountIds.Contains(a.Id), cancellationToken);
        if (input.AccountId > 0 && foundAccounts != accountIds.Length)
        {
            errors.TryAdd(nameof(input.AccountId), ["That account does not exist in this household."]);
        }

        var categoryIds = input.Lines.Select(l => l.CategoryId).Distinct().ToArray();
        if (categoryIds.Length > 0 && await db.Categories.CountAsync(c => categoryIds.Contains(c.Id), cancellationToken) != categoryIds.Length)
        {
            errors.TryAdd(nameof(input.Lines), ["That category does not exist in this household."]);
        }

        if (input.PaidByMemberId is { } memberId && !await db.Members.AnyAsync(m => m.Id == memberId, cancellationToken))
        {
            errors.TryAdd(nameof(input.PaidByMemberId), ["That member does not belong to this household."]);
        }

        if (errors.Count > 0)
        {
            throw new ExpenseValidationException(errors);
        }
    }

    private async Task MapAsync(AppDbContext db, Transaction transaction, ExpenseInput input, DateTime now, CancellationToken cancellationToken)
    {
        transaction.Kind = input.Kind;
        transaction.AmountMinor = input.AmountMinor;
        transaction.Date = input.Date;
        transaction.Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim();
        transaction.NotesKey = transaction.Notes is null ? null : TextKey.Fold(transaction.Notes);
        transaction.AccountId = input.AccountId;
        transaction.ToAccountId = input.Kind == TransactionKind.Transfer ? input.ToAccountId : null;
        transaction.PaidByMemberId = input.PaidByMemberId ?? scope.MemberId;
        transaction.OriginalAmountMinor = input.OriginalCurrency is null ? null : input.OriginalAmountMinor;
        transaction.OriginalCurrency = input.OriginalCurrency;
        transaction.ExchangeRate = input.OriginalCurrency is null ? null : input.ExchangeRate;
        transaction.IsPrivate = input.IsPrivate;
        transaction.UpdatedAt = now;
        transaction.UpdatedByMemberId = scope.MemberId;
        transaction.Payee = await FindOrCreatePayeeAsync(db, input.Payee, cancellationToken);
        transaction.PayeeId = transaction.Payee?.Id;
        foreach (var line in input.Lines)
        {
            transaction.Lines.Add(new TransactionLine { CategoryId = line.CategoryId, AmountMinor = line.AmountMinor, Note = line.Note });
        }

        foreach (var tag in await FindOrCreateTagsAsync(db, input.Tags, cancellationToken))
        {
            transaction.Tags.Add(new TransactionTag { Tag = tag });
        }
    }

    internal static async Task<Payee?> FindOrCreatePayeeAsync(AppDbContext db, string? name, CancellationToken cancellationToken)
    {
        var key = TextKey.Fold(name);
        if (key.Length == 0)
        {
            return null;
        }

        var payee = db.Payees.Local.FirstOrDefault(p => p.Key == key)
            ?? await db.Payees.FirstOrDefaultAsync(p => p.Key == key, cancellationToken);
        if (payee is null)
        {
            payee = new Payee { Name = name!.Trim(), Key = key };
            db.Payees.Add(payee);
        }

        return payee;
    }

    internal static async Task<List<Tag>> FindOrCreateTagsAsync(AppDbContext db, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var wanted = names.Where(n => !string.IsNullOrWhiteSpace(n))
            .Select(n => (Name: n.Trim(), Key: TextKey.Fold(n)))
            .DistinctBy(n => n.Key)
            .ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        var keys = wanted.Select(w => w.Key).ToArray();
        var existing = await db.Tags.Where(t => keys.Contains(t.Key)).ToDictionaryAsync(t => t.Key, cancellationToken);
        var result = new List<Tag>();
        foreach (var (name, key) in wanted)
        {
            if (!existing.TryGetValue(key, out var tag))
            {
                tag = new Tag { Name = name, Key = key };
                db.Tags.Add(tag);
            }

            result.Add(tag);
        }

        return result;
    }
}
