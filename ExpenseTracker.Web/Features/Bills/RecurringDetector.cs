using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Bills;

/// <summary>One past expense, as the detector sees it; <see cref="PayeeKey"/> is the folded payee name.</summary>
public sealed record PastExpense(string PayeeKey, string PayeeName, DateOnly Date, long AmountMinor, long? CategoryId, long AccountId);

/// <summary>A payee paid at a regular interval; <see cref="ToBillInput"/> turns it into a bill due next on <see cref="NextDue"/>.</summary>
public sealed record RecurringCandidate(
    string PayeeName,
    BillScheduleKind Kind,
    long AmountMinor,
    long MinAmountMinor,
    long MaxAmountMinor,
    int Occurrences,
    DateOnly LastDate,
    DateOnly NextDue,
    long? CategoryId,
    long AccountId)
{
    public bool IsEstimate => MinAmountMinor != MaxAmountMinor;

    public BillInput ToBillInput() => new()
    {
        Name = PayeeName,
        Payee = PayeeName,
        CategoryId = CategoryId,
        AmountMinor = AmountMinor,
        IsEstimate = IsEstimate,
        MinAmountMinor = IsEstimate ? MinAmountMinor : null,
        MaxAmountMinor = IsEstimate ? MaxAmountMinor : null,
        Kind = Kind,
        DayOfMonth = Kind == BillScheduleKind.Weekly ? null : NextDue.Day,
        DayOfWeek = Kind == BillScheduleKind.Weekly ? NextDue.DayOfWeek : null,
        Month = Kind == BillScheduleKind.Yearly ? NextDue.Month : null,
        Start = NextDue,
        AccountId = AccountId,
    };
}

/// <summary>
/// Finds recurring expenses: per folded payee, at least <see cref="MinOccurrences"/> payments at a weekly, monthly or
/// yearly rhythm (most gaps near the period, still going on), either of a similar amount (within
/// <see cref="AmountTolerance"/> of the median) or — every payment of the payee on the rhythm — an estimated bill
/// whose amount varies (power, water). Payees that already have a bill are left out. Pure.
/// </summary>
public static class RecurringDetector
{
    public const int MinOccurrences = 3;
    public const decimal AmountTolerance = 0.10m;

    private static readonly (BillScheduleKind Kind, int Period, int MinGap, int MaxGap)[] Rhythms =
    [
        (BillScheduleKind.Weekly, 7, 5, 9),
        (BillScheduleKind.MonthlyOnDay, 30, 25, 36),
        (BillScheduleKind.Yearly, 365, 340, 390),
    ];

    public static IReadOnlyList<RecurringCandidate> Detect(IEnumerable<PastExpense> history, IReadOnlySet<string> payeesWithBills, DateOnly today)
    {
        var candidates = new List<RecurringCandidate>();
        foreach (var payee in history.Where(e => e.PayeeKey.Length > 0 && !payeesWithBills.Contains(e.PayeeKey)).GroupBy(e => e.PayeeKey, StringComparer.Ordinal))
        {
            var all = payee.OrderBy(e => e.Date).ToList();
            if (all.Count < MinOccurrences)
            {
                continue;
            }

            var median = Median(all.Select(e => e.AmountMinor));
            var similar = all.Where(e => Math.Abs(e.AmountMinor - median) <= median * AmountTolerance).ToList();
            var found = Regular(similar, today) ?? Regular(all, today);
            if (found is { } match)
            {
                candidates.Add(match);
            }
        }

        return candidates.OrderBy(c => c.NextDue).ThenBy(c => c.PayeeName, StringComparer.CurrentCulture).ToList();
    }

    private static RecurringCandidate? Regular(List<PastExpense> items, DateOnly today)
    {
        if (items.Count < MinOccurrences)
        {
            return null;
        }

        var gaps = items.Zip(items.Skip(1), (a, b) => b.Date.DayNumber - a.Date.DayNumber).ToList();
        var medianGap = Median(gaps.Select(g => (long)g));
        foreach (var (kind, period, minGap, maxGap) in Rhythms)
        {
            if (medianGap < minGap || medianGap > maxGap)
            {
                continue;
            }

            // Most gaps on the rhythm (one missed or shifted payment is tolerated), and not ended long ago.
            var onRhythm = gaps.Count(g => g >= minGap && g <= maxGap);
            var last = items[^1];
            if (onRhythm * 5 < gaps.Count * 4 || today.DayNumber - last.Date.DayNumber > (2 * period) + 3)
            {
                return null;
            }

            var spec = kind switch
            {
                BillScheduleKind.Weekly => new BillScheduleSpec(kind, last.Date),
                BillScheduleKind.Yearly => new BillScheduleSpec(kind, last.Date, Month: last.Date.Month, DayOfMonth: last.Date.Day),
                _ => new BillScheduleSpec(kind, last.Date, DayOfMonth: MostCommon(items.Select(e => e.Date.Day))),
            };
            var next = BillSchedule.NextAfter(spec, last.Date < today.AddDays(-1) ? today.AddDays(-1) : last.Date)!.Value;
            return new RecurringCandidate(last.PayeeName, kind, Median(items.Select(e => e.AmountMinor)), items.Min(e => e.AmountMinor),
                items.Max(e => e.AmountMinor), items.Count, last.Date, next, MostCommon(items.Select(e => e.CategoryId)),
                MostCommon(items.Select(e => e.AccountId)));
        }

        return null;
    }

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[(sorted.Count - 1) / 2];
    }

    private static T MostCommon<T>(IEnumerable<T> values) =>
        values.GroupBy(v => v).OrderByDescending(g => g.Count()).First().Key;

    /// <summary>The fold used for payees everywhere (<see cref="TextKey"/>), so "Telco Mobile" and "TELCO MOBILE" match.</summary>
    public static string KeyOf(string? payee) => TextKey.Fold(payee);
}
