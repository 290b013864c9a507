using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Import.Rules;

/// <summary>
/// Suggests a category per row: the first enabled rule in order that matches, else the category the household used
/// most for the same folded payee. One query for the rules and one grouped query for the history per call.
/// </summary>
public sealed class RuleCategorySuggester(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope) : ICategorySuggester
{
    public async Task<IReadOnlyList<CategorySuggestion>> SuggestAsync(IReadOnlyList<CategorizeInput> rows, CancellationToken cancellationToken = default)
    {
        scope.RequireHousehold();
        if (rows.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var matcher = RuleMatcher.From(await db.CategoryRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(cancellationToken));
        var suggestions = new CategorySuggestion[rows.Count];
        var unmatched = new List<(int Index, string Key)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var text = new RuleText(row.Payee, row.Memo);
            var rule = matcher.FirstMatch(text, row.AmountMinor);
            if (rule is not null)
            {
                suggestions[i] = new CategorySuggestion(rule.CategoryId, rule.Tags, rule.RenamePayee, rule.Id, SuggestionSource.Rule);
                continue;
            }

            suggestions[i] = CategorySuggestion.None;
            var key = text.FoldPayee();
            if (key.Length > 0)
            {
                unmatched.Add((i, key));
            }
        }

        if (unmatched.Count > 0)
        {
            var history = await MostUsedCategoriesAsync(db, unmatched.Select(u => u.Key).Distinct(StringComparer.Ordinal).ToArray(), cancellationToken);
            foreach (var (index, key) in unmatched)
            {
                if (history.TryGetValue(key, out var categoryId))
                {
                    suggestions[index] = new CategorySuggestion(categoryId, [], null, null, SuggestionSource.History);
                }
            }
        }

        return suggestions;
    }

    /// <summary>Folded payee → its most used (non-archived) category; ties go to the most recently used, then the lower id.</summary>
    private async Task<Dictionary<string, long>> MostUsedCategoriesAsync(AppDbContext db, string[] keys, CancellationToken cancellationToken)
    {
        // Grouped by payee id, not by key: no join to Payees per row (half the work on 250,000 rows); each group's key
        // comes from one lookup per group.
        var payeeIds = db.Payees.Where(p => keys.Contains(p.Key)).Select(p => (long?)p.Id);
        var counts = await (
                from t in db.Transactions.AsNoTracking().VisibleTo(scope)
                join l in db.TransactionLines on t.Id equals l.TransactionId
                where payeeIds.Contains(t.PayeeId)
                select new { t.PayeeId, l.CategoryId, t.Date })
            .GroupBy(x => new { x.PayeeId, x.CategoryId })
            .Select(g => new
            {
                Key = db.Payees.Where(p => p.Id == g.Key.PayeeId).Select(p => p.Key).First(),
                g.Key.CategoryId,
                Count = g.Count(),
                Last = g.Max(x => x.Date),
            })
            .ToListAsync(cancellationToken);
        var archived = (await db.Categories.AsNoTracking().Where(c => c.Archived).Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        return counts.Where(c => !archived.Contains(c.CategoryId))
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(c => c.Count).ThenByDescending(c => c.Last).ThenBy(c => c.CategoryId).First().CategoryId,
                StringComparer.Ordinal);
    }
}
