using System.Text.RegularExpressions;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Import.Rules;

/// <summary>One rule made ready to match: the pattern folded (contains/equals) or compiled (regex), tags split.</summary>
public sealed class CompiledRule
{
    /// <summary>A regex that backtracks for longer than this is treated as "no match" rather than hanging an import.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    private readonly string foldedPattern;
    private readonly Regex? regex;

    public CompiledRule(CategoryRule rule)
    {
        Id = rule.Id;
        Field = rule.Field;
        Operator = rule.Operator;
        MinAmountMinor = rule.MinAmountMinor;
        MaxAmountMinor = rule.MaxAmountMinor;
        CategoryId = rule.CategoryId;
        RenamePayee = string.IsNullOrWhiteSpace(rule.RenamePayee) ? null : rule.RenamePayee.Trim();
        Tags = SplitTags(rule.Tags);
        foldedPattern = TextKey.Fold(rule.Pattern);
        regex = rule.Operator == RuleOperator.Regex ? CompiledRegex(rule.Pattern) : null;
    }

    public long Id { get; }
    public RuleField Field { get; }
    public RuleOperator Operator { get; }
    public long? MinAmountMinor { get; }
    public long? MaxAmountMinor { get; }
    public long? CategoryId { get; }
    public string? RenamePayee { get; }
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Throws <see cref="ArgumentException"/> for a pattern that does not compile.</summary>
    public static Regex CreateRegex(string pattern) => new(pattern, Options, MatchTimeout);

    // Compiled regexes run several times faster over a 50,000-row import; compiling costs a few milliseconds, so
    // they are kept per pattern (bounded: a household has a handful of rules).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    private static Regex CompiledRegex(string pattern)
    {
        if (Compiled.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        if (Compiled.Count > 1000)
        {
            Compiled.Clear();
        }

        return Compiled.GetOrAdd(pattern, p => new Regex(p, Options | RegexOptions.Compiled, MatchTimeout));
    }

    public static IReadOnlyList<string> SplitTags(string? tags) =>
        string.IsNullOrWhiteSpace(tags)
            ? []
            : tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .DistinctBy(TextKey.Fold, StringComparer.Ordinal)
                .ToArray();

    /// <summary>Whether the text condition and the amount range (on |amount|, bounds inclusive) both hold.</summary>
    public bool Matches(string? payee, string? notes, long amountMinor) => Matches(new RuleText(payee, notes), amountMinor);

    public bool Matches(RuleText text, long amountMinor)
    {
        var magnitude = amountMinor == long.MinValue ? long.MaxValue : Math.Abs(amountMinor);
        if ((MinAmountMinor is { } min && magnitude < min) || (MaxAmountMinor is { } max && magnitude > max))
        {
            return false;
        }

        return Field switch
        {
            RuleField.Payee => MatchesText(text.Payee, text.FoldedPayee),
            RuleField.Notes => MatchesText(text.Notes, text.FoldedNotes),
            _ => MatchesText(text.Payee, text.FoldedPayee) || MatchesText(text.Notes, text.FoldedNotes),
        };
    }

    private bool MatchesText(string? text, Func<string> folded)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (regex is not null)
        {
            try
            {
                return regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        return Operator == RuleOperator.Equals
            ? string.Equals(folded(), foldedPattern, StringComparison.Ordinal)
            : foldedPattern.Length > 0 && folded().Contains(foldedPattern, StringComparison.Ordinal);
    }
}

/// <summary>A row's payee and notes, folded at most once however many rules look at them.</summary>
public sealed class RuleText(string? payee, string? notes)
{
    private string? foldedPayee;
    private string? foldedNotes;

    public string? Payee => payee;
    public string? Notes => notes;
    public Func<string> FoldedPayee => FoldPayee;
    public Func<string> FoldedNotes => FoldNotes;

    public string FoldPayee() => foldedPayee ??= TextKey.Fold(payee);

    public string FoldNotes() => foldedNotes ??= TextKey.Fold(notes);
}

/// <summary>The household's enabled rules in order; the first that matches a row wins.</summary>
public sealed class RuleMatcher(IEnumerable<CompiledRule> rules)
{
    private readonly CompiledRule[] rules = rules.ToArray();

    public static RuleMatcher From(IEnumerable<CategoryRule> rules) =>
        new(rules.Where(r => r.Enabled).OrderBy(r => r.Order).ThenBy(r => r.Id).Select(r => new CompiledRule(r)));

    public int Count => rules.Length;

    public CompiledRule? FirstMatch(string? payee, string? notes, long amountMinor) => FirstMatch(new RuleText(payee, notes), amountMinor);

    public CompiledRule? FirstMatch(RuleText text, long amountMinor)
    {
        foreach (var rule in rules)
        {
            if (rule.Matches(text, amountMinor))
            {
                return rule;
            }
        }

        return null;
    }
}
