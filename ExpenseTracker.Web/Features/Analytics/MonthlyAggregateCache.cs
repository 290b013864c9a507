using System.Collections.Concurrent;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Live;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>
/// Per-month aggregates of a household's whole spending (by category, kind, payee or member), kept in memory so a 24-month
/// chart or a rollover does not re-sum a big household's history on every render. Only unfiltered figures of an adult
/// reader are cached. A change to transactions drops the months its dates touch (all of the household's months when the
/// dates are unknown) before any page hears of the change, so reloads read fresh numbers. A computation that overlaps a
/// change is returned but not kept.
/// </summary>
public sealed class MonthlyAggregateCache
{
    public const string ByCategory = "category";
    public const string ByKind = "kind";
    public const string ByPayee = "payee";
    public const string ByMember = "member";

    /// <summary>Other members' private transactions per month and kind (reader-specific, like every adult figure).</summary>
    public const string HiddenPrivateByKind = "hidden-private";

    /// <summary>The reader key of budget figures, which count every member's private transactions.</summary>
    public const long HouseholdWideReader = -1;

    private readonly ConcurrentDictionary<Key, IReadOnlyList<KeyedTotal>> entries = new();
    private readonly ConcurrentDictionary<long, long> changeCounters = new();

    /// <summary>Counts the invalidations of every household at once (changes that may have been missed).</summary>
    private long everyHouseholdCounter;

    private (long Household, long Every) CounterOf(long householdId) =>
        (changeCounters.GetValueOrDefault(householdId), Interlocked.Read(ref everyHouseholdCounter));

    public MonthlyAggregateCache(HouseholdChangeNotifier notifier) => notifier.AddInvalidator(Invalidate);

    /// <param name="Reader">Null when the figures are the same for every adult (no private transactions in the household);
    /// else the reading member's id (0 for no member), or <see cref="HouseholdWideReader"/>.</param>
    private readonly record struct Key(long HouseholdId, int StartDay, string Dimension, int MonthIndex, long? Reader);

    /// <summary>
    /// Totals for each month from <paramref name="first"/> to <paramref name="last"/> (<see cref="KeyedTotal.Month"/> set),
    /// computing each run of missing months with one call of <paramref name="compute"/>(from, to) — a grouped query that
    /// returns rows with their month index. <paramref name="reader"/> keeps per-reader figures apart (see <see cref="Key"/>).
    /// </summary>
    public async Task<IReadOnlyList<KeyedTotal>> GetAsync(
        long householdId, int startDay, string dimension, BudgetMonth first, BudgetMonth last,
        Func<DateOnly, DateOnly, Task<List<KeyedTotal>>> compute, long? reader = null)
    {
        var result = new List<KeyedTotal>();
        var missing = new List<BudgetMonth>();
        for (var month = first; month <= last; month = month.Next)
        {
            if (entries.TryGetValue(new Key(householdId, startDay, dimension, month.Index, reader), out var totals))
            {
                result.AddRange(totals);
            }
            else
            {
                missing.Add(month);
            }
        }

        foreach (var run in Runs(missing))
        {
            var counter = CounterOf(householdId);
            var rows = await compute(BudgetPeriods.RangeOf(run[0], startDay).From, BudgetPeriods.RangeOf(run[^1], startDay).To);
            result.AddRange(rows);
            if (CounterOf(householdId) != counter)
            {
                continue;
            }

            var byMonth = rows.ToLookup(r => r.Month);
            foreach (var month in run)
            {
                entries[new Key(householdId, startDay, dimension, month.Index, reader)] = byMonth[month.Index].ToList();
            }

            if (CounterOf(householdId) != counter)
            {
                // A change landed while storing: drop what may be stale (the change's own invalidation may have run before).
                foreach (var month in run)
                {
                    entries.TryRemove(new Key(householdId, startDay, dimension, month.Index, reader), out _);
                }
            }
        }

        return result;
    }

    /// <summary>How many months are held (for tests and diagnostics).</summary>
    public int Count(long householdId) => entries.Keys.Count(k => k.HouseholdId == householdId);

    private void Invalidate(HouseholdChange change)
    {
        if (!change.Kind.HasFlag(HouseholdChangeKind.Transactions))
        {
            return;
        }

        if (change.HouseholdId == HouseholdChangeNotifier.EveryHousehold)
        {
            Interlocked.Increment(ref everyHouseholdCounter);
            entries.Clear();
            return;
        }

        changeCounters.AddOrUpdate(change.HouseholdId, 1, (_, n) => n + 1);
        foreach (var key in entries.Keys.Where(k => k.HouseholdId == change.HouseholdId))
        {
            var range = BudgetPeriods.RangeOf(BudgetMonth.FromIndex(key.MonthIndex), key.StartDay);
            if (change.From is not { } from || change.To is not { } to || (range.From <= to && range.To >= from))
            {
                entries.TryRemove(key, out _);
            }
        }
    }

    private static IEnumerable<List<BudgetMonth>> Runs(List<BudgetMonth> months)
    {
        var run = new List<BudgetMonth>();
        foreach (var month in months)
        {
            if (run.Count > 0 && run[^1].Next != month)
            {
                yield return run;
                run = [];
            }

            run.Add(month);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
