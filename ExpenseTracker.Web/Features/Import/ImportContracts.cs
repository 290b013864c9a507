using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Web.Features.Import;

// The seams between the import pipeline, the rules engine and the mapping wizard. Implementations live in their
// own files: Rules/ (ICategorySuggester), Readers/TabularFiles.cs (ITabularSampler), Mapping/ (the wizard).

/// <summary>One row to categorise: the payee and memo as the file states them, and the signed amount (negative = out).</summary>
public sealed record CategorizeInput(string? Payee, string? Memo, long AmountMinor);

public enum SuggestionSource
{
    None = 0,
    Rule = 1,
    History = 2,
}

/// <summary>
/// What the rules (first matching enabled rule, in order) or else the household's history (the category most used for
/// the same folded payee) suggest for a row. <see cref="RenamedPayee"/> is set when a rule renames the payee.
/// </summary>
public sealed record CategorySuggestion(
    long? CategoryId,
    IReadOnlyList<string> Tags,
    string? RenamedPayee,
    long? RuleId,
    SuggestionSource Source)
{
    public static readonly CategorySuggestion None = new(null, [], null, null, SuggestionSource.None);
}

public interface ICategorySuggester
{
    /// <summary>
    /// One suggestion per input, in the same order, for the current household. Loads the rules and the payee history
    /// once per call (a 50,000-row import makes one call), never one query per row.
    /// </summary>
    Task<IReadOnlyList<CategorySuggestion>> SuggestAsync(IReadOnlyList<CategorizeInput> rows, CancellationToken cancellationToken = default);
}

/// <summary>The raw cells of a CSV/TSV or XLSX file, for the mapping wizard: what it shows and what it guesses from.</summary>
public sealed record TabularSample(
    IReadOnlyList<string>? Headers,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    int TotalRows,
    char? Delimiter,
    string? EncodingName,
    IReadOnlyList<string> SheetNames,
    CsvMapping GuessedMapping);

public static class TabularFormats
{
    /// <summary>Whether a file is tabular (CSV/TSV/XLSX), i.e. needs the mapping wizard rather than a fixed format.</summary>
    public static bool IsTabular(string format) =>
        format.Equals("CSV", StringComparison.OrdinalIgnoreCase) || format.Equals("XLSX", StringComparison.OrdinalIgnoreCase);
}
