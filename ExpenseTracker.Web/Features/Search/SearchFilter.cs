using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Search;

/// <summary>
/// Turns query-line terms into SQL over the household's transactions: words through the full-text index (FTS5 on SQLite,
/// a tsvector with a GIN index on PostgreSQL), names through small
/// id subqueries of the household's own categories, tags, payees, members and accounts. Terms AND together; positive
/// terms of the same filter OR together (category:A category:B); negated terms each leave their matches out.
/// </summary>
public static class SearchFilter
{
    /// <summary>
    /// Above this many full-text matches (the household's own: on SQLite each search ANDs the household's token, on
    /// PostgreSQL in all households) the household's own index is the cheaper side to walk for the page: one id probe per
    /// row in range instead of one table seek per match, and the page's 50 newest are found early.
    /// </summary>
    public const int SeekMatchesUpTo = 5_000;

    /// <summary>
    /// From this many days of dates up, the totals of a search with many matches (<see cref="TextPlan.ScanHousehold"/> for the
    /// page) seek the matches instead (SQLite): they must visit every row of the range, and a long range of a big household
    /// holds more rows than the word matches (a year of a 250,000-row household: 124,131 rows to probe against 13,709
    /// matches to seek, 40 ms against 15). Short ranges keep the walk, which is then the smaller side.
    /// </summary>
    public const int SeekTotalsFromDays = 62;

    /// <summary>
    /// How the words' matches meet the household's rows, decided by <see cref="PlanAsync"/> from how many rows match
    /// (SQLite's planner knows nothing about an FTS5 result's size, with or without ANALYZE statistics; PostgreSQL's guesses
    /// a prefix tsquery's size from the GIN statistics and, under the page's LIMIT 50, walks all the household's rows in
    /// date order probing each when few of the guessed matches are the household's: seconds instead of milliseconds).
    /// </summary>
    public enum TextPlan
    {
        /// <summary>Leave it to SQLite's planner (filters built in code that cannot ask first).</summary>
        Planner,

        /// <summary>
        /// Few matches: look each matching row up by id. On PostgreSQL the matches are collected first into an array
        /// (<c>rowid = ANY(ARRAY(...))</c>, evaluated once), so the planner cannot turn them into a walk of the household.
        /// </summary>
        SeekMatches,

        /// <summary>
        /// Every match, sought by id, for totals over a long range (SQLite; see <see cref="TotalsPlan"/>). Only the matches can
        /// lead: the caller keeps the household's indexes out of the query (<see cref="HouseholdRows"/>), since SQLite's planner
        /// would otherwise walk the household's date range, guessing from average statistics that it is short.
        /// </summary>
        SeekAllMatches,

        /// <summary>
        /// Many matches: walk the household's (date) index and probe each row's id in the matches, so the covering index
        /// answers counts and sums without reading the rows. The id is compared as <c>Id + 0</c>, which no index can
        /// serve, so the planner cannot turn the matches into thousands of table seeks.
        /// </summary>
        ScanHousehold,
    }

    /// <summary>Counts (up to <see cref="SeekMatchesUpTo"/> + 1) the rows the positive words match and picks the plan.</summary>
    public static async Task<TextPlan> PlanAsync(AppDbContext db, IReadOnlyList<SearchTerm> terms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(terms);
        var postgres = db.Database.IsNpgsql();
        var fullText = PositiveFullText(postgres, terms);
        if (fullText is null)
        {
            return TextPlan.Planner;
        }

        var matches = await Matching(db, fullText).Take(SeekMatchesUpTo + 1).CountAsync(cancellationToken);
        return matches > SeekMatchesUpTo ? TextPlan.ScanHousehold : TextPlan.SeekMatches;
    }

    /// <summary>
    /// The plan for the totals of a search whose page uses <paramref name="pagePlan"/>: on SQLite a long date range (or none)
    /// seeks the household's matches even when they are many (see <see cref="SeekTotalsFromDays"/>).
    /// </summary>
    public static TextPlan TotalsPlan(AppDbContext db, TextPlan pagePlan, IReadOnlyList<SearchTerm> terms, DateOnly? from, DateOnly? to, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(terms);
        if (pagePlan != TextPlan.ScanHousehold || db.Database.IsNpgsql())
        {
            return pagePlan;
        }

        foreach (var date in terms.OfType<DateTerm>().Where(d => !d.Negated))
        {
            from = Later(from, date.From);
            to = Earlier(to, date.To);
        }

        if (from is not { } start)
        {
            return TextPlan.SeekAllMatches;
        }

        // Expenses are rarely dated far ahead: an open or future end counts from today.
        var end = to is { } e && e < today ? e : today;
        return end.DayNumber - start.DayNumber + 1 >= SeekTotalsFromDays ? TextPlan.SeekAllMatches : TextPlan.ScanHousehold;
    }

    /// <summary>
    /// The household's transactions for <paramref name="plan"/>: under <see cref="TextPlan.SeekAllMatches"/> the household is
    /// checked as <c>HouseholdId + 0</c>, which no index serves, so the full-text matches lead; else the household filter.
    /// </summary>
    public static IQueryable<Transaction> HouseholdRows(AppDbContext db, TextPlan plan)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (plan != TextPlan.SeekAllMatches)
        {
            return db.Transactions.AsNoTracking();
        }

        var householdId = db.CurrentHouseholdId;
        return db.Transactions.AsNoTracking().IgnoreQueryFilters([AppDbContext.HouseholdFilter]).Where(t => t.HouseholdId + 0 == householdId);
    }

    private static DateOnly? Later(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateOnly? Earlier(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a < b ? a : b;

    public static IQueryable<Transaction> Apply(AppDbContext db, IQueryable<Transaction> query, IReadOnlyList<SearchTerm> terms) =>
        Apply(db, query, terms, TextPlan.Planner);

    public static IQueryable<Transaction> Apply(AppDbContext db, IQueryable<Transaction> query, IReadOnlyList<SearchTerm> terms, TextPlan plan)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            return query;
        }

        var postgres = db.Database.IsNpgsql();
        if (PositiveFullText(postgres, terms) is { } fullText)
        {
            var ids = postgres && plan == TextPlan.SeekMatches ? MatchingFirst(db, fullText) : Matching(db, fullText);
            query = plan == TextPlan.ScanHousehold
                ? query.Where(t => ids.Contains(t.Id + 0))
                : query.Where(t => ids.Contains(t.Id));
        }

        foreach (var term in terms.OfType<TextTerm>().Where(t => t.Negated))
        {
            var ids = Matching(db, FullText(postgres, term));
            query = query.Where(t => !ids.Contains(t.Id));
        }

        foreach (var group in terms.OfType<NameTerm>().GroupBy(t => (t.Field, t.Negated)))
        {
            query = ApplyNames(db, query, group.Key.Field, group.Key.Negated, [.. group.Select(t => t.Name)]);
        }

        var kinds = terms.OfType<KindTerm>().Where(t => !t.Negated).Select(t => t.Kind).Distinct().ToArray();
        if (kinds.Length > 0)
        {
            query = query.Where(t => kinds.Contains(t.Kind));
        }

        var notKinds = terms.OfType<KindTerm>().Where(t => t.Negated).Select(t => t.Kind).Distinct().ToArray();
        if (notKinds.Length > 0)
        {
            query = query.Where(t => !notKinds.Contains(t.Kind));
        }

        foreach (var amount in terms.OfType<AmountTerm>())
        {
            var (min, max) = (amount.Min ?? long.MinValue, amount.Max ?? long.MaxValue);
            query = amount.Negated
                ? query.Where(t => t.AmountMinor < min || t.AmountMinor > max)
                : query.Where(t => t.AmountMinor >= min && t.AmountMinor <= max);
        }

        foreach (var date in terms.OfType<DateTerm>())
        {
            var (from, to) = (date.From ?? DateOnly.MinValue, date.To ?? DateOnly.MaxValue);
            query = date.Negated
                ? query.Where(t => t.Date < from || t.Date > to)
                : query.Where(t => t.Date >= from && t.Date <= to);
        }

        return query;
    }

    /// <summary>Plain words, each a prefix (the fallback for filters built in code with only a text).</summary>
    public static IReadOnlyList<SearchTerm> Words(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(w => w.Any(char.IsLetterOrDigit))
                .Select(w => new TextTerm(w, 0, false, w, false))];

    /// <summary>The positive words as one full-text query (all of them must match), or null without any.</summary>
    private static string? PositiveFullText(bool postgres, IReadOnlyList<SearchTerm> terms)
    {
        var positiveText = terms.OfType<TextTerm>().Where(t => !t.Negated).Select(t => FullText(postgres, t)).ToList();
        return positiveText.Count > 0 ? string.Join(postgres ? " & " : " ", positiveText) : null;
    }

    private static string FullText(bool postgres, TextTerm term) => postgres ? QueryLine.TsQuery(term) : QueryLine.FullTextQuery(term);

    /// <summary>
    /// Ids of the transactions whose payee, notes or tags match a full-text query: FTS5's MATCH on SQLite, <c>@@</c> against
    /// the GIN-indexed document on PostgreSQL (its 'simple' configuration: no stemming, no stop words, as FTS5's unicode61).
    /// </summary>
    private static IQueryable<long> Matching(AppDbContext db, string fullText)
    {
        if (db.Database.IsNpgsql())
        {
            return db.TransactionSearch.Where(s => s.Document!.Matches(EF.Functions.ToTsQuery("simple", fullText))).Select(s => s.RowId);
        }

        var match = HouseholdMatch(db.CurrentHouseholdId, fullText);
        return db.TransactionSearch.Where(s => s.Match == match).Select(s => s.RowId);
    }

    /// <summary>
    /// The FTS5 query of the words within one household: its token in the <c>household</c> column (migration
    /// "SearchByHousehold") AND the words in payee, notes or tags only, so no word can match a household token.
    /// </summary>
    internal static string HouseholdMatch(long householdId, string words) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"household : \"h{householdId}\" AND {{payee notes tags}} : ({words})");

    /// <summary><see cref="Matching"/> on PostgreSQL, collected before the household's rows are read (see <see cref="TextPlan.SeekMatches"/>).</summary>
    private static IQueryable<long> MatchingFirst(AppDbContext db, string tsQuery) =>
        db.TransactionSearch.FromSql($"""
            SELECT * FROM "TransactionSearch"
            WHERE rowid = ANY(ARRAY(SELECT rowid FROM "TransactionSearch" WHERE document @@ to_tsquery('simple', {tsQuery})))
            """).Select(s => s.RowId);

    private static IQueryable<Transaction> ApplyNames(AppDbContext db, IQueryable<Transaction> query, SearchField field, bool negated, string[] names)
    {
        switch (field)
        {
            case SearchField.Category:
            {
                var ids = Union(names, name => db.Categories.WhereLikeIgnoringCase(db.Database, c => c.Name, DbLike.Literal(name)).Select(c => c.Id));
                return negated ? query.Where(t => !t.Lines.Any(l => ids.Contains(l.CategoryId))) : query.Where(t => t.Lines.Any(l => ids.Contains(l.CategoryId)));
            }

            case SearchField.Tag:
            {
                var keys = names.Select(TextKey.Fold).ToArray();
                var ids = db.Tags.Where(x => keys.Contains(x.Key)).Select(x => x.Id);
                return negated ? query.Where(t => !t.Tags.Any(x => ids.Contains(x.TagId))) : query.Where(t => t.Tags.Any(x => ids.Contains(x.TagId)));
            }

            case SearchField.Payee:
            {
                var ids = Union(names, name =>
                {
                    var key = TextKey.Fold(name);
                    return db.Payees.Where(p => p.Key.Contains(key)).Select(p => p.Id);
                });
                return negated
                    ? query.Where(t => t.PayeeId == null || !ids.Contains(t.PayeeId.Value))
                    : query.Where(t => t.PayeeId != null && ids.Contains(t.PayeeId.Value));
            }

            case SearchField.Member:
            {
                var ids = Union(names, name => db.Members.WhereLikeIgnoringCase(db.Database, m => m.DisplayName, DbLike.Literal(name)).Select(m => m.Id));
                return negated
                    ? query.Where(t => t.PaidByMemberId == null || !ids.Contains(t.PaidByMemberId.Value))
                    : query.Where(t => t.PaidByMemberId != null && ids.Contains(t.PaidByMemberId.Value));
            }

            default:
            {
                var ids = Union(names, name => db.Accounts.WhereLikeIgnoringCase(db.Database, a => a.Name, DbLike.Literal(name)).Select(a => a.Id));
                return negated
                    ? query.Where(t => !ids.Contains(t.AccountId) && (t.ToAccountId == null || !ids.Contains(t.ToAccountId.Value)))
                    : query.Where(t => ids.Contains(t.AccountId) || (t.ToAccountId != null && ids.Contains(t.ToAccountId.Value)));
            }
        }
    }

    private static IQueryable<long> Union(string[] names, Func<string, IQueryable<long>> idsOf)
    {
        var result = idsOf(names[0]);
        foreach (var name in names.Skip(1))
        {
            result = result.Concat(idsOf(name));
        }

        return result;
    }
}
