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
        regex = rule.Operator == RuleOperator.Regex ? CreateRegex(rule.Pattern) : null;
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

    public static IReadOnlyList<string> SplitTags(string? tags) =>
        string.IsNullOrWhiteSpace(tags)
            ? []
            : tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .DistinctBy(TextKey.Fold, StringComparer.Ordinal)
                .ToArray();

    /// <summary>Whether the text condition and the amount range (on |amount|, bounds inclusive) both hold.</summary>
    public bool Matches(string? payee, string? notes, long amountMinor)
    {
        var magnitude = amountMinor == long.MinValue ? long.MaxValue : Math.Abs(amountMinor);
        if ((MinAmountMinor is { } min && magnitude < min) || (MaxAmountMinor is { } max && magnitude > max))
        {
            return false;
        }

        return Field switch
        {
            RuleField.Payee => MatchesText(payee),
            RuleField.Notes => MatchesText(notes),
            _ => MatchesText(payee) || MatchesText(notes),
        };
    }

    private bool MatchesText(string? text)
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

        var folded = TextKey.Fold(text);
        return Operator == RuleOperator.Equals
            ? string.Equals(folded, foldedPattern, StringComparison.Ordinal)
            : foldedPattern.Length > 0 && folded.Contains(foldedPattern, StringComparison.Ordinal);
    }
}

/// <summary>The household's enabled rules in order; the first that matches a row wins.</summary>
public sealed class RuleMatcher(IEnumerable<CompiledRule> rules)
{
    private readonly CompiledRule[] rules = rules.ToArray();

    public static RuleMatcher From(IEnumerable<CategoryRule> rules) =>
        new(rules.Where(r => r.Enabled).OrderBy(r => r.Order).ThenBy(r => r.Id).Select(r => new CompiledRule(r)));

    public int Count => rules.Length;

    public CompiledRule? FirstMatch(string? payee, string? notes, long amountMinor)
    {
        foreach (var rule in rules)
        {
            if (rule.Matches(payee, notes, amountMinor))
            {
                return rule;
            }
        }

        return null;
    }
}
