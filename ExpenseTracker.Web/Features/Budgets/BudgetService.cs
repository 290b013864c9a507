using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Budgets;

/// <summary>
/// Budgets of the current household. Roles: Owner and Member change budgets (allowances: the Owner only); Viewers read;
/// a Child reads only their own allowance. Sums run in SQL (grouped by category, and by month for rollover), never over
/// a household's rows in memory. A budget's amount rows are few and are read as they are.
/// </summary>
public sealed class BudgetService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time, MonthlyAggregateCache cache, Bills.BillService bills)
{
    public const long MaxAmountMinor = 100_000_000_000;

    public async Task<BudgetMonthView> GetMonthAsync(BudgetMonth month, CancellationToken cancellationToken = default)
    {
        scope.RequireHousehold();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await db.Households.AsNoTracking()
            .Select(h => new { h.BaseCurrency, h.TimeZoneId, h.MonthStartDay })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new HouseholdAccessException("No current household.");
        var startDay = household.MonthStartDay;
        var zone = BudgetPeriods.FindZone(household.TimeZoneId);
        var range = BudgetPeriods.RangeOf(month, startDay);
        var today = BudgetPeriods.Today(time, zone);
        var isChild = scope.Role == MemberRole.Child;

        var budgets = (await db.Budgets.AsNoTracking()
                .Where(b => !isChild || b.MemberId == scope.MemberId)
                .Select(b => new
                {
                    b.Id,
                    b.CategoryId,
                    b.MemberId,
                    b.Rollover,
                    b.WarnPercent,
                    b.AlertPercent,
                    b.ArchivedAt,
                    Amounts = b.Amounts.Select(a => new { a.Month, a.AmountMinor, a.IsOverride }).ToList(),
                })
                .ToListAsync(cancellationToken))
            .Where(b => b.ArchivedAt is null || LocalDate(b.ArchivedAt.Value, zone) >= range.From)
            .Select(b => new LoadedBudget(b.Id, b.CategoryId, b.MemberId, b.Rollover, b.WarnPercent, b.AlertPercent,
                b.Amounts.Select(a => new AmountEntry(BudgetMonth.Of(a.Month), a.AmountMinor, a.IsOverride)).ToList()))
            .Where(b => BudgetMath.AmountFor(b.Amounts, month) is not null)
            .ToList();

        var categories = await db.Categories.AsNoTracking()
            .OrderBy(c => c.SortOrder).ThenBy(c => c.Name)
            .Select(c => new { c.Id, c.Name, c.Color, c.Icon })
            .ToListAsync(cancellationToken);
        var members = await db.Members.AsNoTracking().Select(m => new { m.Id, m.DisplayName, m.Color }).ToDictionaryAsync(m => m.Id, cancellationToken);

        // Budgets are household money: other members' private transactions count in their categories and allowances.
        var visible = SpendingQueries.HouseholdWide(db, new ExpenseFilter(), scope).AsNoTracking();
        var spentByCategory = isChild
            ? []
            : await visible.Between(range.From, range.To).Lines().ByCategory().ToDictionaryAsync(t => t.Key, t => t.AmountMinor, cancellationToken);
        var allowanceBudgets = budgets.Where(b => b.MemberId is not null).ToList();
        var spentByMember = allowanceBudgets.Count == 0
            ? []
            : await visible.Between(range.From, range.To).PerMember().ByMember().ToDictionaryAsync(t => t.Key, t => t.AmountMinor, cancellationToken);

        // Rollover needs each earlier month's spending: one grouped query from the earliest first month on.
        var rollover = budgets.Where(b => b.Rollover && BudgetMath.FirstMonth(b.Amounts) < month).ToList();
        var history = new Dictionary<(BudgetMonth Month, long Key), long>();
        var memberHistory = new Dictionary<(BudgetMonth Month, long Key), long>();
        if (rollover.Count > 0)
        {
            var first = rollover.Min(b => BudgetMath.FirstMonth(b.Amounts)!.Value);
            var from = BudgetPeriods.RangeOf(first, startDay).From;
            var to = range.From.AddDays(-1);
            if (rollover.Any(b => b.MemberId is null))
            {
                var rows = await SpendingQueries.MonthlyAsync(db, scope, cache, MonthlyAggregateCache.ByCategory, new ExpenseFilter(),
                    startDay, first, month.Previous, cancellationToken, householdWide: true);
                foreach (var row in rows)
                {
                    history[(BudgetMonth.FromIndex(row.Month), row.Key)] = row.AmountMinor;
                }
            }

            if (rollover.Any(b => b.MemberId is not null))
            {
                foreach (var row in await visible.Between(from, to).PerMember().ByMonthAndMember(startDay).ToListAsync(cancellationToken))
                {
                    memberHistory[(BudgetMonth.FromIndex(row.Month), row.Key)] = row.AmountMinor;
                }
            }
        }

        // The month's bills (those this member can see), per category and in all: their share of a budget is expected on
        // their due dates, not spread over the month.
        var billList = isChild || budgets.Count == 0 ? [] : await bills.ListAsync(db, includeArchived: false, cancellationToken);
        var billsByCategory = billList.Where(b => b.CategoryId is not null).GroupBy(b => b.CategoryId!.Value)
            .ToDictionary(g => g.Key, g => BillPlan.Of(g.Select(b => (b.Schedule, b.AmountMinor)), range, today));
        var allBills = BillPlan.Of(billList.Select(b => (b.Schedule, b.AmountMinor)), range, today);

        var monthFilter = new ExpenseFilter { From = range.From, To = range.To, Kinds = [TransactionKind.Expense, TransactionKind.Refund] };
        BudgetRow Row(LoadedBudget budget, string name, string? color, string? icon, long spent, Func<BudgetMonth, long> spentIn, ExpenseFilter drill,
            BillPlan billPlan = default)
        {
            var carried = budget.Rollover
                ? BudgetMath.Carried(budget.Amounts, spentIn, month)
                : 0;
            var amount = BudgetMath.AmountFor(budget.Amounts, month)!.Value;
            var isOverride = budget.Amounts.Any(a => a.IsOverride && a.Month == month);
            return new BudgetRow(budget.Id, budget.CategoryId, budget.MemberId, name, color, icon, budget.Rollover,
                budget.WarnPercent, budget.AlertPercent, isOverride,
                BudgetMath.Figures(amount, carried, spent, range, today, budget.WarnPercent, budget.AlertPercent, billPlan), drill);
        }

        var categoryRows = new List<BudgetRow>();
        var budgeted = new HashSet<long>();
        BudgetRow? overall = null;
        if (!isChild)
        {
            foreach (var category in categories)
            {
                var budget = budgets.FirstOrDefault(b => b.CategoryId == category.Id && b.MemberId is null);
                if (budget is null)
                {
                    continue;
                }

                budgeted.Add(category.Id);
                categoryRows.Add(Row(budget, category.Name, category.Color, category.Icon, spentByCategory.GetValueOrDefault(category.Id),
                    m => history.GetValueOrDefault((m, category.Id)),
                    monthFilter with { CategoryIds = [category.Id] }, billsByCategory.GetValueOrDefault(category.Id)));
            }

            if (budgets.FirstOrDefault(b => b.CategoryId is null && b.MemberId is null) is { } overallBudget)
            {
                overall = Row(overallBudget, "Overall", null, null, spentByCategory.Values.Sum(),
                    m => history.Where(h => h.Key.Month == m).Sum(h => h.Value), monthFilter, allBills);
            }
        }

        var allowances = allowanceBudgets
            .Where(b => b.CategoryId is null && members.ContainsKey(b.MemberId!.Value))
            .Select(b =>
            {
                var member = members[b.MemberId!.Value];
                return Row(b, member.DisplayName, member.Color, null, spentByMember.GetValueOrDefault(member.Id),
                    m => memberHistory.GetValueOrDefault((m, member.Id)),
                    monthFilter with { SpendingOfMemberId = member.Id });
            })
            .ToList();

        var unbudgetedCategories = categories
            .Where(c => !budgeted.Contains(c.Id) && spentByCategory.GetValueOrDefault(c.Id) != 0)
            .Select(c => new UnbudgetedCategory(c.Id, c.Name, c.Color, c.Icon, spentByCategory[c.Id], monthFilter with { CategoryIds = [c.Id] }))
            .ToList();
        var unbudgeted = new UnbudgetedRow(
            unbudgetedCategories.Sum(c => c.SpentMinor),
            unbudgetedCategories,
            monthFilter with { CategoryIds = unbudgetedCategories.Count == 0 ? [-1] : unbudgetedCategories.Select(c => c.CategoryId).ToList() });

        var total = isChild ? allowances.Sum(a => a.Figures.SpentMinor) : spentByCategory.Values.Sum();
        return new BudgetMonthView(month, range, today, range.Contains(today), BudgetPeriods.DaysLeft(range, today), household.BaseCurrency,
            categoryRows, overall, unbudgeted, allowances, total, CanWrite());
    }

    /// <summary>The budget month containing today in the household's time zone.</summary>
    public async Task<BudgetMonth> CurrentMonthAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await db.Households.AsNoTracking().Select(h => new { h.TimeZoneId, h.MonthStartDay }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new HouseholdAccessException("No current household.");
        return BudgetPeriods.CurrentMonth(time, household.TimeZoneId, household.MonthStartDay);
    }

    public async Task<IReadOnlyList<BudgetDetails>> ListAsync(bool includeArchived = false, CancellationToken cancellationToken = default)
    {
        scope.RequireHousehold();
        var isChild = scope.Role == MemberRole.Child;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Budgets.AsNoTracking()
            .Where(b => includeArchived || b.ArchivedAt == null)
            .Where(b => !isChild || b.MemberId == scope.MemberId)
            .OrderBy(b => b.CategoryId == null ? 0 : 1).ThenBy(b => b.Category!.SortOrder).ThenBy(b => b.Id)
            .Select(b => new
            {
                b.Id,
                b.CategoryId,
                b.MemberId,
                b.Rollover,
                b.WarnPercent,
                b.AlertPercent,
                b.ArchivedAt,
                Name = b.Category != null ? b.Category.Name : b.Member != null ? b.Member.DisplayName : "Overall",
                Amounts = b.Amounts.OrderBy(a => a.Month).Select(a => new { a.Month, a.AmountMinor, a.IsOverride }).ToList(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(b => new BudgetDetails(b.Id, b.CategoryId, b.MemberId, b.Name, b.Rollover, b.WarnPercent, b.AlertPercent, b.ArchivedAt,
                b.Amounts.Select(a => new BudgetAmountEntry(BudgetMonth.Of(a.Month), a.AmountMinor, a.IsOverride)).ToList()))
            .ToList();
    }

    /// <summary>Sets a category's monthly budget from <paramref name="from"/> on (until a later change already stored); creates the budget if needed.</summary>
    public Task<long> SetCategoryBudgetAsync(long categoryId, BudgetMonth from, long amountMinor, CancellationToken cancellationToken = default) =>
        SetAsync(categoryId, null, from, amountMinor, cancellationToken);

    /// <summary>Sets the overall monthly budget (all spending) from <paramref name="from"/> on.</summary>
    public Task<long> SetOverallBudgetAsync(BudgetMonth from, long amountMinor, CancellationToken cancellationToken = default) =>
        SetAsync(null, null, from, amountMinor, cancellationToken);

    /// <summary>Sets a member's (a child's) monthly allowance from <paramref name="from"/> on. Owner only.</summary>
    public Task<long> SetAllowanceAsync(long memberId, BudgetMonth from, long amountMinor, CancellationToken cancellationToken = default) =>
        SetAsync(null, memberId, from, amountMinor, cancellationToken);

    /// <summary>Changes an existing budget's amount from a month on.</summary>
    public Task SetAmountFromAsync(long budgetId, BudgetMonth from, long amountMinor, CancellationToken cancellationToken = default) =>
        UpsertAmountAsync(budgetId, from, amountMinor, isOverride: false, cancellationToken);

    /// <summary>A different amount for one month only ("December: Gifts 400").</summary>
    public Task OverrideMonthAsync(long budgetId, BudgetMonth month, long amountMinor, CancellationToken cancellationToken = default) =>
        UpsertAmountAsync(budgetId, month, amountMinor, isOverride: true, cancellationToken);

    /// <summary>Removes a one-month override; the repeating amount applies again.</summary>
    public async Task ClearOverrideAsync(long budgetId, BudgetMonth month, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var budget = await FindForWriteAsync(db, budgetId, cancellationToken);
        db.BudgetAmounts.RemoveRange(budget.Amounts.Where(a => a.IsOverride && BudgetMonth.Of(a.Month) == month));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SetRolloverAsync(long budgetId, bool rollover, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var budget = await FindForWriteAsync(db, budgetId, cancellationToken);
        budget.Rollover = rollover;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Alert thresholds in percent of the budget: 1 ≤ warn &lt; alert ≤ 1000.</summary>
    public async Task SetThresholdsAsync(long budgetId, int warnPercent, int alertPercent, CancellationToken cancellationToken = default)
    {
        if (warnPercent < 1 || alertPercent > 1000 || warnPercent >= alertPercent)
        {
            throw new ExpenseValidationException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["WarnPercent"] = ["The warning must be at least 1% and below the alert; the alert at most 1000%."],
            });
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var budget = await FindForWriteAsync(db, budgetId, cancellationToken);
        budget.WarnPercent = warnPercent;
        budget.AlertPercent = alertPercent;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Hides the budget from the months after today's; earlier months still show it.</summary>
    public async Task ArchiveAsync(long budgetId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var budget = await FindForWriteAsync(db, budgetId, cancellationToken);
        budget.ArchivedAt ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<long> SetAsync(long? categoryId, long? memberId, BudgetMonth from, long amountMinor, CancellationToken cancellationToken)
    {
        RequireWrite(allowance: memberId is not null);
        ValidateAmount(amountMinor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (categoryId is { } c && !await db.Categories.AnyAsync(x => x.Id == c, cancellationToken))
        {
            throw new NotFoundException("That category");
        }

        if (memberId is { } m && !await db.Members.AnyAsync(x => x.Id == m, cancellationToken))
        {
            throw new NotFoundException("That member");
        }

        var budget = await db.Budgets.Include(b => b.Amounts)
            .Where(b => b.CategoryId == categoryId && b.MemberId == memberId && b.ArchivedAt == null)
            .OrderBy(b => b.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (budget is null)
        {
            budget = new Budget { CategoryId = categoryId, MemberId = memberId, CreatedAt = time.GetUtcNow().UtcDateTime };
            db.Budgets.Add(budget);
        }

        var startDay = await db.Households.Select(h => h.MonthStartDay).FirstAsync(cancellationToken);
        Upsert(db, budget, from, amountMinor, isOverride: false, startDay);
        await db.SaveChangesAsync(cancellationToken);
        return budget.Id;
    }

    private async Task UpsertAmountAsync(long budgetId, BudgetMonth month, long amountMinor, bool isOverride, CancellationToken cancellationToken)
    {
        ValidateAmount(amountMinor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var budget = await FindForWriteAsync(db, budgetId, cancellationToken);
        var startDay = await db.Households.Select(h => h.MonthStartDay).FirstAsync(cancellationToken);
        Upsert(db, budget, month, amountMinor, isOverride, startDay);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Rows match by month name, so a later change of the month start day does not orphan them.</summary>
    private static void Upsert(AppDbContext db, Budget budget, BudgetMonth month, long amountMinor, bool isOverride, int startDay)
    {
        var existing = budget.Amounts.FirstOrDefault(a => a.IsOverride == isOverride && BudgetMonth.Of(a.Month) == month);
        if (existing is not null)
        {
            existing.AmountMinor = amountMinor;
            return;
        }

        var row = new BudgetAmount { Month = BudgetPeriods.RangeOf(month, startDay).From, AmountMinor = amountMinor, IsOverride = isOverride };
        budget.Amounts.Add(row);
        db.BudgetAmounts.Add(row);
    }

    private async Task<Budget> FindForWriteAsync(AppDbContext db, long budgetId, CancellationToken cancellationToken)
    {
        RequireWrite(allowance: false);
        var budget = await db.Budgets.Include(b => b.Amounts).FirstOrDefaultAsync(b => b.Id == budgetId, cancellationToken)
            ?? throw new NotFoundException("That budget");
        RequireWrite(allowance: budget.MemberId is not null);
        return budget;
    }

    private static void ValidateAmount(long amountMinor)
    {
        if (amountMinor is < 0 or > MaxAmountMinor)
        {
            throw new ExpenseValidationException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["AmountMinor"] = ["A budget is zero or more, and below a sane maximum."],
            });
        }
    }

    private bool CanWrite() => scope.Role is null ? scope.IsSet : scope.Role is MemberRole.Owner or MemberRole.Member;

    /// <summary>Owners and members change budgets; only an owner sets a member's allowance. Jobs (no role) may.</summary>
    private void RequireWrite(bool allowance)
    {
        scope.RequireHousehold();
        if (!CanWrite())
        {
            throw new HouseholdAccessException("Only owners and members can change budgets.");
        }

        if (allowance && scope.Role is not (null or MemberRole.Owner))
        {
            throw new HouseholdAccessException("Only an owner sets allowances.");
        }
    }

    private static DateOnly LocalDate(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    private sealed record LoadedBudget(long Id, long? CategoryId, long? MemberId, bool Rollover, int WarnPercent, int AlertPercent, List<AmountEntry> Amounts);
}
