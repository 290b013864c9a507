using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Bills;

/// <summary>
/// Bills of the current household. Owner and Member change them and mark them paid; Viewers read; a Child sees only
/// the personal bills that are theirs. Paying records the expense and advances the bill in one SaveChanges (one
/// database transaction); <see cref="Bill.NextDue"/> is a concurrency token, so the same occurrence is never paid twice.
/// </summary>
public sealed class BillService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time)
{
    public const int NameMaxLength = 100;
    public const int MaxLeadDays = 60;

    public async Task<BillsOverview> GetOverviewAsync(int days = 30, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (today, currency) = await TodayAsync(db, cancellationToken);
        var bills = await ListAsync(db, false, cancellationToken);
        var upcoming = bills
            .Where(b => b.NextDue is { } due && due <= today.AddDays(days))
            .Select(b => new UpcomingBill(b, b.NextDue!.Value, today))
            .OrderBy(u => u.Due).ThenBy(u => u.Bill.Name, StringComparer.CurrentCulture)
            .ToList();
        return new BillsOverview(today, currency, HouseholdPermissions.Can(scope, HouseholdAction.ManageBills), upcoming, bills);
    }

    public async Task<IReadOnlyList<BillDetails>> ListAsync(bool includeArchived = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ListAsync(db, includeArchived, cancellationToken);
    }

    /// <summary>Every occurrence of the visible bills in a calendar month, paid ones (before the next due date) marked.</summary>
    public async Task<IReadOnlyList<BillOccurrence>> MonthAsync(int year, int month, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (today, _) = await TodayAsync(db, cancellationToken);
        var (from, to) = HouseholdDates.MonthOf(new DateOnly(year, month, 1));
        return (await ListAsync(db, false, cancellationToken))
            .SelectMany(b => BillSchedule.Between(b.Schedule, from, to).Select(d =>
            {
                var paid = b.NextDue is not { } next || d < next;
                return new BillOccurrence(b.Id, b.Name, d, b.AmountMinor, paid, !paid && d < today);
            }))
            .OrderBy(o => o.Date).ThenBy(o => o.Name, StringComparer.CurrentCulture)
            .ToList();
    }

    /// <summary>
    /// Recurring expenses of the last three years (enough for a yearly rhythm) that are not bills yet. Only payees seen
    /// at least <see cref="RecurringDetector.MinOccurrences"/> times are loaded, as a narrow projection.
    /// </summary>
    public async Task<IReadOnlyList<RecurringCandidate>> DetectRecurringAsync(CancellationToken cancellationToken = default)
    {
        if (!HouseholdPermissions.Can(scope, HouseholdAction.ManageBills))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (today, _) = await TodayAsync(db, cancellationToken);
        var from = today.AddYears(-3);
        var expenses = db.HouseholdTransactions(scope.RequireHousehold()).AsNoTracking().VisibleTo(scope)
            .Where(t => t.Kind == TransactionKind.Expense && t.PayeeId != null && t.Date >= from && t.Date <= today);
        var frequent = expenses.GroupBy(t => t.PayeeId).Where(g => g.Count() >= RecurringDetector.MinOccurrences).Select(g => g.Key);
        var history = await expenses.Where(t => frequent.Contains(t.PayeeId))
            .Select(t => new PastExpense(t.Payee!.Key, t.Payee.Name, t.Date, t.AmountMinor,
                t.Lines.OrderBy(l => l.Id).Select(l => (long?)l.CategoryId).FirstOrDefault(), t.AccountId))
            .ToListAsync(cancellationToken);
        var billed = (await db.Bills.AsNoTracking().Where(b => b.ArchivedAt == null && b.PayeeName != null).Select(b => b.PayeeName!).ToListAsync(cancellationToken))
            .Select(RecurringDetector.KeyOf)
            .ToHashSet(StringComparer.Ordinal);
        return RecurringDetector.Detect(history, billed, today);
    }

    public async Task<long> AddAsync(BillInput input, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ManageBills);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (today, currency) = await TodayAsync(db, cancellationToken);
        await ValidateAsync(db, input, currency, cancellationToken);
        var bill = new Bill { Name = "", Currency = currency, CreatedAt = time.GetUtcNow().UtcDateTime };
        await MapAsync(db, bill, input, cancellationToken);

        // Occurrences before today are taken as already paid: adding a bill does not make its past overdue.
        bill.NextDue = BillSchedule.NextOnOrAfter(input.Schedule, input.Start > today ? input.Start : today);
        db.Bills.Add(bill);
        await db.SaveChangesAsync(cancellationToken);
        return bill.Id;
    }

    public async Task EditAsync(long id, BillInput input, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ManageBills);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (today, currency) = await TodayAsync(db, cancellationToken);
        var bill = await db.Bills.FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw new NotFoundException("That bill");
        await ValidateAsync(db, input, currency, cancellationToken);
        var scheduleChanged = BillScheduleSpec.Of(bill) != input.Schedule;
        await MapAsync(db, bill, input, cancellationToken);
        if (scheduleChanged)
        {
            // An unpaid occurrence stays due under the new schedule; nothing before the start is ever due.
            var from = bill.NextDue ?? today;
            bill.NextDue = BillSchedule.NextOnOrAfter(input.Schedule, from < input.Start ? input.Start : from);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SetArchivedAsync(long id, bool archived, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ManageBills);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bill = await db.Bills.FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw new NotFoundException("That bill");
        bill.ArchivedAt = archived ? time.GetUtcNow().UtcDateTime : null;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Records the due occurrence as an expense (Source = Bill) of <paramref name="amountMinor"/> (default: the bill's
    /// amount) on <paramref name="date"/> (default: today) and advances the bill to its next occurrence. Returns the
    /// transaction id.
    /// </summary>
    public async Task<long> MarkPaidAsync(long billId, long? amountMinor = null, DateOnly? date = null, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.ManageBills);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (today, _) = await TodayAsync(db, cancellationToken);
        var bill = await db.Bills.FirstOrDefaultAsync(b => b.Id == billId && b.ArchivedAt == null, cancellationToken)
            ?? throw new NotFoundException("That bill");
        var transaction = await RecordAsync(db, bill, amountMinor ?? bill.AmountMinor, date ?? today, cancellationToken);
        await SaveOnceAsync(db, cancellationToken);
        return transaction.Id;
    }

    /// <summary>
    /// Records every occurrence of an auto-create bill due on or before <paramref name="today"/> (default: the
    /// household's today), dated on its due date. Idempotent: each occurrence advances the bill, so a second run finds
    /// nothing due. For the scheduled job (a scope without a role) and for owners and members.
    /// </summary>
    public async Task<int> CreateDueAsync(DateOnly? today = null, CancellationToken cancellationToken = default)
    {
        scope.RequireHousehold();
        if (scope.Role is not null)
        {
            HouseholdPermissions.Require(scope, HouseholdAction.ManageBills);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var day = today ?? (await TodayAsync(db, cancellationToken)).Today;
        var bills = await db.Bills
            .Where(b => b.AutoCreate && b.ArchivedAt == null && b.NextDue != null && b.NextDue <= day)
            .OrderBy(b => b.Id)
            .ToListAsync(cancellationToken);
        var created = 0;
        foreach (var bill in bills)
        {
            while (bill.NextDue is { } due && due <= day)
            {
                await RecordAsync(db, bill, bill.AmountMinor, due, cancellationToken);
                created++;
            }
        }

        await SaveOnceAsync(db, cancellationToken);
        return created;
    }

    private async Task<Transaction> RecordAsync(AppDbContext db, Bill bill, long amountMinor, DateOnly date, CancellationToken cancellationToken)
    {
        if (bill.NextDue is not { } due)
        {
            throw new FieldValidationException(nameof(Bill.NextDue), "This bill has no payment due any more.");
        }

        var accountId = bill.AccountId
            ?? await db.Accounts.Where(a => !a.Archived).OrderBy(a => a.Id).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken)
            ?? 0;
        var input = new ExpenseInput
        {
            AmountMinor = amountMinor,
            Date = date,
            Payee = bill.PayeeName,
            AccountId = accountId,
            Source = TransactionSource.Bill,
            Lines = bill.CategoryId is { } categoryId ? [new LineInput(categoryId, amountMinor)] : [],
        };
        var errors = ExpenseValidator.Validate(input, bill.Currency);
        if (bill.CategoryId is null)
        {
            errors[nameof(BillInput.CategoryId)] = ["Choose a category for this bill first."];
        }

        if (errors.Count > 0)
        {
            throw new ExpenseValidationException(errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var memberId = bill.OwnerMemberId ?? scope.MemberId;
        var payee = await ExpenseService.FindOrCreatePayeeAsync(db, bill.PayeeName, cancellationToken);
        var transaction = new Transaction
        {
            Kind = TransactionKind.Expense,
            AmountMinor = amountMinor,
            Currency = bill.Currency,
            Date = date,
            Payee = payee,
            AccountId = accountId,
            PaidByMemberId = memberId,
            Source = TransactionSource.Bill,
            BillId = bill.Id,
            CreatedAt = now,
            CreatedByMemberId = scope.MemberId,
            UpdatedAt = now,
            UpdatedByMemberId = scope.MemberId,
            Lines = [new TransactionLine { CategoryId = bill.CategoryId!.Value, AmountMinor = amountMinor }],
        };
        db.Transactions.Add(transaction);
        bill.NextDue = BillSchedule.NextAfter(BillScheduleSpec.Of(bill), due);
        return transaction;
    }

    private static async Task SaveOnceAsync(AppDbContext db, CancellationToken cancellationToken)
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

    /// <summary>The bills this member can see, on the caller's context (the budget month reads them beside its own queries).</summary>
    internal async Task<List<BillDetails>> ListAsync(AppDbContext db, bool includeArchived, CancellationToken cancellationToken)
    {
        scope.RequireHousehold();
        var isChild = scope.Role == MemberRole.Child;
        var memberId = scope.MemberId;
        return await db.Bills.AsNoTracking()
            .Where(b => includeArchived || b.ArchivedAt == null)
            .Where(b => !isChild || b.OwnerMemberId == memberId)
            .OrderBy(b => b.Name)
            .Select(b => new BillDetails(b.Id, b.Name, b.PayeeName, b.CategoryId, b.Category != null ? b.Category.Name : null, b.AmountMinor,
                b.Currency, b.IsEstimate, b.MinAmountMinor, b.MaxAmountMinor, b.ScheduleKind, b.Interval, b.DayOfMonth, b.DayOfWeek, b.Month,
                b.StartDate, b.EndDate, b.ReminderLeadDays, b.AutoCreate, b.AccountId, b.OwnerMemberId, b.NextDue, b.ArchivedAt != null))
            .ToListAsync(cancellationToken);
    }

    private async Task<(DateOnly Today, string Currency)> TodayAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        scope.RequireHousehold();
        var household = await db.Households.AsNoTracking().Select(h => new { h.TimeZoneId, h.BaseCurrency }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new HouseholdAccessException("No current household.");
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(household.TimeZoneId, out var found) ? found : TimeZoneInfo.Utc;
        return (DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime), household.BaseCurrency);
    }

    private static async Task ValidateAsync(AppDbContext db, BillInput input, string currency, CancellationToken cancellationToken)
    {
        var errors = BillSchedule.Validate(input.Schedule);
        var max = Money.ToMinor(Money.MaxMajorAmount, currency);
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors[nameof(input.Name)] = ["Give the bill a name."];
        }
        else if (input.Name.Trim().Length > NameMaxLength)
        {
            errors[nameof(input.Name)] = [$"The name can be at most {NameMaxLength} characters."];
        }

        if (input.Payee?.Trim().Length > ExpenseValidator.PayeeMaxLength)
        {
            errors[nameof(input.Payee)] = [$"The payee can be at most {ExpenseValidator.PayeeMaxLength} characters."];
        }

        if (input.AmountMinor <= 0 || input.AmountMinor > max)
        {
            errors[nameof(input.AmountMinor)] = ["Enter an amount greater than zero."];
        }

        if (input.IsEstimate && (input.MinAmountMinor is not { } low || input.MaxAmountMinor is not { } high
            || low <= 0 || high > max || low > input.AmountMinor || high < input.AmountMinor))
        {
            errors[nameof(input.MinAmountMinor)] = ["An estimate needs a range from a positive minimum to a maximum around the amount."];
        }

        if (input.ReminderLeadDays < 0 || input.ReminderLeadDays > MaxLeadDays)
        {
            errors[nameof(input.ReminderLeadDays)] = [$"Remind between 0 and {MaxLeadDays} days ahead."];
        }

        if (input.Start < ExpenseValidator.MinDate || input.Start > ExpenseValidator.MaxDate)
        {
            errors[nameof(input.Start)] = ["Pick a start between 1900 and 2100."];
        }

        if (input.CategoryId is not { } categoryId || !await db.Categories.AnyAsync(c => c.Id == categoryId, cancellationToken))
        {
            errors[nameof(input.CategoryId)] = ["Choose a category of this household."];
        }

        if (input.AccountId is { } accountId && !await db.Accounts.AnyAsync(a => a.Id == accountId, cancellationToken))
        {
            errors[nameof(input.AccountId)] = ["That account does not exist in this household."];
        }

        if (input.OwnerMemberId is { } ownerId && !await db.Members.AnyAsync(m => m.Id == ownerId && m.LeftAt == null, cancellationToken))
        {
            errors[nameof(input.OwnerMemberId)] = ["A personal bill belongs to a current member of this household."];
        }

        if (errors.Count > 0)
        {
            throw new ExpenseValidationException(errors);
        }
    }

    private static async Task MapAsync(AppDbContext db, Bill bill, BillInput input, CancellationToken cancellationToken)
    {
        bill.Name = input.Name.Trim();
        var payee = await ExpenseService.FindOrCreatePayeeAsync(db, input.Payee, cancellationToken);
        bill.Payee = payee;
        bill.PayeeId = payee?.Id;
        bill.PayeeName = payee?.Name;
        bill.CategoryId = input.CategoryId;
        bill.AmountMinor = input.AmountMinor;
        bill.IsEstimate = input.IsEstimate;
        bill.MinAmountMinor = input.IsEstimate ? input.MinAmountMinor : null;
        bill.MaxAmountMinor = input.IsEstimate ? input.MaxAmountMinor : null;
        bill.ScheduleKind = input.Kind;
        bill.Interval = input.Kind is BillScheduleKind.EveryNWeeks or BillScheduleKind.EveryNMonths ? input.Interval : 1;
        bill.DayOfMonth = input.DayOfMonth;
        bill.DayOfWeek = input.DayOfWeek;
        bill.Month = input.Month;
        bill.StartDate = input.Start;
        bill.EndDate = input.End;
        bill.ReminderLeadDays = input.ReminderLeadDays;
        bill.AutoCreate = input.AutoCreate;
        bill.AccountId = input.AccountId;
        bill.OwnerMemberId = input.OwnerMemberId;
    }
}
