using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Alerts;

/// <summary>
/// What a change to a household's transactions is worth telling: budgets that reached their warn or alert threshold this
/// month, and new expenses far above the usual (<see cref="UnusualExpenseDetector"/>). State-based and idempotent: it
/// asks "where does each budget stand now", and the outbox key (rule, budget, month, member) turns "reached 80 %" into one
/// alert per threshold per month however many expenses, edits, instances or restarts follow. Runs in a scope of its own
/// (<see cref="SpendingAlertListener"/>); it sets the scope's household itself, as a job (no member, no role).
/// </summary>
public sealed class SpendingAlerts(
    IDbContextFactory<AppDbContext> dbFactory,
    HouseholdScope scope,
    BudgetService budgets,
    NotificationOutbox outbox,
    TimeProvider time)
{
    public const string WarnRule = "budget-warn";
    public const string OverRule = "budget-over";
    public const string UnusualRule = "unusual-expense";

    /// <summary>Expenses dated further back than this are history being entered or imported, not news.</summary>
    public const int RecentDays = 45;

    /// <summary>New expenses judged per pass (an import of thousands is judged over several passes of the same call).</summary>
    public const int BatchSize = 500;

    public static string CheckpointName(long householdId) =>
        string.Create(CultureInfo.InvariantCulture, $"unusual-expense:h{householdId}");

    /// <summary>Evaluates both rules for a change whose transaction dates span <paramref name="from"/>–<paramref name="to"/> (null: unknown); returns the outbox messages added.</summary>
    public async Task<int> ProcessAsync(long householdId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
    {
        scope.Set(householdId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await AlertAudience.LoadAsync(db, cancellationToken) is not { } audience)
        {
            return 0;
        }

        var added = await outbox.EnqueueAsync(await BudgetRequestsAsync(audience, from, to, cancellationToken), cancellationToken);
        return added + await UnusualExpensesAsync(db, audience, cancellationToken);
    }

    /// <summary>One request per threshold each budget has reached in the current budget month (if the change touched it).</summary>
    public async Task<IReadOnlyList<NotificationRequest>> BudgetRequestsAsync(AlertAudience audience, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audience);
        var today = BudgetPeriods.Today(time, audience.TimeZoneId);
        var range = BudgetPeriods.RangeOf(BudgetPeriods.MonthOf(today, audience.MonthStartDay), audience.MonthStartDay);
        if ((from is { } f && f > range.To) || (to is { } t && t < range.From))
        {
            return []; // a past month's history or a future expense: budgets this month did not move
        }

        var view = await budgets.GetMonthAsync(range.Month, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var monthName = range.Month.Format(audience.Culture);
        var requests = new List<NotificationRequest>();
        foreach (var row in view.Categories.Concat(view.Overall is { } o ? [o] : []).Concat(view.Allowances))
        {
            var figures = row.Figures;
            if (figures.Threshold == BudgetThreshold.None)
            {
                continue;
            }

            var recipients = row.MemberId is { } memberId ? audience.ForAllowance(memberId) : audience.Adults;
            var name = row.MemberId is null ? row.Name : string.Create(audience.Culture, $"{row.Name}'s allowance");
            var body = string.Create(audience.Culture,
                $"{audience.Money(figures.SpentMinor)} of {audience.Money(figures.AvailableMinor)} spent in {monthName}.");
            var reached = new List<(string Rule, string Title)>
            {
                (WarnRule, string.Create(audience.Culture, $"{name} budget at {row.WarnPercent}%")),
            };
            if (figures.Threshold == BudgetThreshold.Alert)
            {
                reached.Add((OverRule, row.AlertPercent == 100
                    ? string.Create(audience.Culture, $"{name} budget used up")
                    : string.Create(audience.Culture, $"{name} budget at {row.AlertPercent}%")));
            }

            foreach (var (rule, title) in reached)
            {
                requests.AddRange(recipients.Select(member => new NotificationRequest(audience.HouseholdId, member, NotificationType.BudgetAlert, rule,
                    string.Create(CultureInfo.InvariantCulture, $"budget:{row.BudgetId}"), range.Month.ToString(), title, body, "budgets", now)));
            }
        }

        return requests;
    }

    private sealed record Candidate(long Id, DateOnly Date, long AmountMinor, long? PayeeId, string? Payee, bool IsPrivate, long? CreatedBy);

    /// <summary>Judges the expenses saved since the household's checkpoint; enqueues, then moves the checkpoint past them.</summary>
    private async Task<int> UnusualExpensesAsync(AppDbContext db, AlertAudience audience, CancellationToken cancellationToken)
    {
        var name = CheckpointName(audience.HouseholdId);
        var checkpoint = await db.JobCheckpoints.FirstOrDefaultAsync(c => c.Name == name, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var recent = BudgetPeriods.Today(time, audience.TimeZoneId).AddDays(-RecentDays);
        var query = db.Transactions.AsNoTracking().Where(t => t.Kind == TransactionKind.Expense);

        // No checkpoint yet (first expense since the feature came): only what was saved just now, not years of history.
        var fresh = now.AddMinutes(-10);
        var lastJudged = checkpoint is null ? 0 : LastId(checkpoint);
        query = checkpoint is null ? query.Where(t => t.CreatedAt >= fresh) : query.Where(t => t.Id > lastJudged);
        var added = 0;
        while (true)
        {
            var batch = await query
                .OrderBy(t => t.Id)
                .Take(BatchSize)
                .Select(t => new Candidate(t.Id, t.Date, t.AmountMinor, t.PayeeId, t.Payee != null ? t.Payee.Name : null, t.IsPrivate, t.CreatedByMemberId))
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return added;
            }

            var requests = await JudgeAsync(db, audience, [.. batch.Where(c => c.Date >= recent)], now, cancellationToken);

            added += await outbox.EnqueueAsync(requests, cancellationToken);
            var last = batch[^1].Id;
            await SaveCheckpointAsync(db, name, last, cancellationToken);
            query = db.Transactions.AsNoTracking().Where(t => t.Kind == TransactionKind.Expense && t.Id > last);
        }
    }

    private sealed record MainLine(long TransactionId, long Id, long CategoryId, long AmountMinor, string Category);

    /// <summary>An earlier expense (or line) of a payee's or category's history, in (date, transaction id, line id) order.</summary>
    private readonly record struct Point(DateOnly Date, long Id, long LineId, long AmountMinor);

    /// <summary>
    /// Judges a pass's candidates together: one query for their main lines, then per payee and per main category two
    /// queries for the history all of them need (everything between the group's first and last candidate, and the
    /// <see cref="UnusualExpenseDetector.MaxHistory"/> before the first). Each candidate is then judged against the latest
    /// of those before it, exactly as one query per candidate would: API scripts write hundreds of expenses a second, and
    /// three queries each cost more than the writes.
    /// </summary>
    private static async Task<List<NotificationRequest>> JudgeAsync(
        AppDbContext db, AlertAudience audience, List<Candidate> candidates, DateTime now, CancellationToken cancellationToken)
    {
        var requests = new List<NotificationRequest>();
        if (candidates.Count == 0)
        {
            return requests;
        }

        // The candidates are the household's own transactions: their lines are read by TransactionId. With the household
        // filter on the lines, SQLite reads all of the household's lines through (HouseholdId, CategoryId) instead.
        var ids = candidates.Select(c => c.Id).ToArray();
        var mains = (await db.TransactionLines.IgnoreQueryFilters([AppDbContext.HouseholdFilter]).AsNoTracking()
                .Where(l => ids.Contains(l.TransactionId))
                .Select(l => new MainLine(l.TransactionId, l.Id, l.CategoryId, l.AmountMinor, l.Category!.Name))
                .ToListAsync(cancellationToken))
            .GroupBy(l => l.TransactionId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(l => l.AmountMinor).ThenBy(l => l.Id).First());
        var judged = candidates.Where(c => mains.ContainsKey(c.Id)).ToList();

        var byPayee = new Dictionary<long, List<Point>>();
        foreach (var group in judged.Where(c => c.PayeeId is not null).GroupBy(c => c.PayeeId!.Value))
        {
            var (first, last) = Span(group);
            var expenses = Expenses(db).Where(t => t.PayeeId == group.Key);
            var between = await After(expenses, first).Where(t => t.Date < last.Date || (t.Date == last.Date && t.Id < last.Id))
                .Select(t => new Point(t.Date, t.Id, 0, t.AmountMinor)).ToListAsync(cancellationToken);
            var before = await Before(expenses, first).OrderByDescending(t => t.Date).ThenByDescending(t => t.Id)
                .Take(UnusualExpenseDetector.MaxHistory).Select(t => new Point(t.Date, t.Id, 0, t.AmountMinor)).ToListAsync(cancellationToken);
            byPayee[group.Key] = Ordered(before, between);
        }

        var byCategory = new Dictionary<long, List<Point>>();
        foreach (var group in judged.GroupBy(c => mains[c.Id].CategoryId))
        {
            var (first, last) = Span(group);
            var category = group.Key;
            var between = await After(CategoryHistory(db, audience.HouseholdId), first).Where(t => t.Date < last.Date || (t.Date == last.Date && t.Id < last.Id))
                .SelectMany(t => t.Lines, (t, l) => new { t.Date, t.Id, LineId = l.Id, l.CategoryId, l.AmountMinor })
                .Where(l => l.CategoryId + 0 == category)
                .Select(l => new Point(l.Date, l.Id, l.LineId, l.AmountMinor)).ToListAsync(cancellationToken);
            var before = await Before(CategoryHistory(db, audience.HouseholdId), first)
                .SelectMany(t => t.Lines, (t, l) => new { t.Date, t.Id, LineId = l.Id, l.CategoryId, l.AmountMinor })
                .Where(l => l.CategoryId + 0 == category)
                .OrderByDescending(l => l.Date).ThenByDescending(l => l.Id).ThenByDescending(l => l.LineId)
                .Take(UnusualExpenseDetector.MaxHistory)
                .Select(l => new Point(l.Date, l.Id, l.LineId, l.AmountMinor)).ToListAsync(cancellationToken);
            byCategory[category] = Ordered(before, between);
        }

        foreach (var candidate in judged)
        {
            var main = mains[candidate.Id];
            var payee = candidate.PayeeId is { } payeeId
                ? UnusualExpenseDetector.BaselineOf(HistoryBefore(byPayee[payeeId], candidate), audience.UnitMinor, provisional: true)
                : null;
            var category = UnusualExpenseDetector.BaselineOf(HistoryBefore(byCategory[main.CategoryId], candidate), audience.UnitMinor);
            requests.AddRange(Judge(audience, candidate, main, payee, category, now));
        }

        return requests;
    }

    private static IQueryable<Transaction> Expenses(AppDbContext db) => db.Transactions.AsNoTracking().Where(t => t.Kind == TransactionKind.Expense);

    /// <summary>
    /// The household's expenses for a category's history, read newest first by (HouseholdId, Date) with each one's lines
    /// by TransactionId. The household is named on the transactions only (lines are reached through them), and the query
    /// compares <c>CategoryId + 0</c>: with the household filter on the lines, or an indexable category column, SQLite
    /// (no ANALYZE statistics) walks the transactions and, for each, every line of the category through a category index:
    /// 40–130 ms a pass on the 6,000-row demo household, growing with its square, against 1–3 ms this way.
    /// </summary>
    private static IQueryable<Transaction> CategoryHistory(AppDbContext db, long householdId) =>
        db.HouseholdTransactions(householdId).AsNoTracking().Where(t => t.Kind == TransactionKind.Expense);

    /// <summary>"Before the expense": earlier dates, and on the same date the ones saved before it.</summary>
    private static IQueryable<Transaction> Before(IQueryable<Transaction> expenses, Candidate candidate) =>
        expenses.Where(t => t.Date < candidate.Date || (t.Date == candidate.Date && t.Id < candidate.Id));

    private static IQueryable<Transaction> After(IQueryable<Transaction> expenses, Candidate candidate) =>
        expenses.Where(t => t.Date > candidate.Date || (t.Date == candidate.Date && t.Id >= candidate.Id));

    private static (Candidate First, Candidate Last) Span(IEnumerable<Candidate> group)
    {
        var ordered = group.OrderBy(c => c.Date).ThenBy(c => c.Id).ToList();
        return (ordered[0], ordered[^1]);
    }

    private static List<Point> Ordered(List<Point> before, List<Point> between) =>
        [.. before.Concat(between).OrderBy(p => p.Date).ThenBy(p => p.Id).ThenBy(p => p.LineId)];

    /// <summary>The latest <see cref="UnusualExpenseDetector.MaxHistory"/> points before the candidate, oldest first.</summary>
    private static List<SpendingPoint> HistoryBefore(List<Point> history, Candidate candidate)
    {
        var earlier = history.Where(p => p.Date < candidate.Date || (p.Date == candidate.Date && p.Id < candidate.Id)).ToList();
        return [.. earlier.Skip(Math.Max(0, earlier.Count - UnusualExpenseDetector.MaxHistory)).Select(p => new SpendingPoint(p.Date, p.AmountMinor))];
    }

    private static IEnumerable<NotificationRequest> Judge(
        AlertAudience audience, Candidate candidate, MainLine main, Baseline? payee, Baseline? category, DateTime now)
    {
        var verdict = UnusualExpenseDetector.Judge(candidate.AmountMinor, payee, main.AmountMinor, category);
        if (!verdict.IsUnusual)
        {
            return [];
        }

        var namedByPayee = verdict.Payee is { IsProvisional: false } && candidate.Payee is not null;
        var usual = namedByPayee ? verdict.Payee! : verdict.Category!;
        var where = namedByPayee ? candidate.Payee : main.Category;
        var title = string.Create(audience.Culture, $"Unusual expense: {audience.Money(candidate.AmountMinor)} at {candidate.Payee ?? main.Category}");
        var body = string.Create(audience.Culture,
            $"{audience.Money(candidate.AmountMinor)} on {candidate.Date.ToString("d", audience.Culture)} ({main.Category}). Usually about {audience.Money(usual.MedianMinor)} at {where}.");
        var link = new ExpenseQuery
        {
            Range = ExpenseQuery.Custom,
            From = candidate.Date,
            To = candidate.Date,
            Payees = candidate.PayeeId is { } p ? [p] : [],
            Categories = candidate.PayeeId is null ? [main.CategoryId] : [],
        }.ToUrl();
        var recipients = candidate.IsPrivate ? audience.ForPrivate(candidate.CreatedBy) : audience.Adults;
        var subject = string.Create(CultureInfo.InvariantCulture, $"transaction:{candidate.Id}");
        var period = candidate.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return recipients.Select(member => new NotificationRequest(audience.HouseholdId, member, NotificationType.UnusualSpending,
            UnusualRule, subject, period, title, body, link, now)).ToList();
    }

    /// <summary>
    /// The checkpoint is the last transaction id judged. <see cref="JobCheckpoint"/> holds a time, so the id is kept as that
    /// many microseconds (a dedicated column would read better): PostgreSQL keeps times to the microsecond and would round
    /// an id kept as 100 ns ticks up past the expenses saved after it. A checkpoint an older version wrote as ticks reads as
    /// a lower id, so those expenses are judged again, which the outbox key makes harmless.
    /// </summary>
    private static long LastId(JobCheckpoint checkpoint) => checkpoint.LastRunUtc.Ticks / TimeSpan.TicksPerMicrosecond;

    private static async Task SaveCheckpointAsync(AppDbContext db, string name, long lastId, CancellationToken cancellationToken)
    {
        var at = new DateTime(lastId * TimeSpan.TicksPerMicrosecond, DateTimeKind.Utc);
        var updated = await db.JobCheckpoints.Where(c => c.Name == name && c.LastRunUtc < at)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastRunUtc, at), cancellationToken);
        if (updated == 0)
        {
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "JobCheckpoints" ("Name", "LastRunUtc") VALUES ({name}, {at}) ON CONFLICT ("Name") DO NOTHING""",
                cancellationToken);
        }
    }
}
