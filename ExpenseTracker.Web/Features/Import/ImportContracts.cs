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

// ---- The import pipeline (ImportService) as the import page uses it. ----

/// <summary>A file to import and how to read it. <see cref="AccountId"/> receives statements the file does not name
/// (or names an account the household does not have); <see cref="ExchangeRate"/> is household currency per one unit of
/// the statement currency, one rate per batch, needed when the statement's currency differs.</summary>
public sealed record ImportRequest(string FileName, byte[] Content, ReaderOptions Options)
{
    public long? AccountId { get; init; }
    public decimal? ExchangeRate { get; init; }
}

public enum PreviewRowStatus
{
    New = 0,
    /// <summary>Its import key exists already for this account: skipped.</summary>
    Duplicate = 1,
    /// <summary>Same amount and payee within 3 days of an existing transaction: imported unless the user unticks it.</summary>
    NearDuplicate = 2,
    /// <summary>Money between two of the household's own accounts: recorded as a Transfer, not spending.</summary>
    Transfer = 3,
}

/// <summary>
/// One parsed row. <see cref="AmountMinor"/> is signed (negative = money out) in the household currency after the
/// batch rate; <see cref="OriginalAmountMinor"/> is in the statement currency when that differs.
/// <see cref="RoundingFlag"/> says non-zero digits beyond the currency's decimals were rounded.
/// </summary>
public sealed record PreviewRow(
    int Index,
    int SourceLine,
    DateOnly Date,
    long AmountMinor,
    long? OriginalAmountMinor,
    string? Payee,
    string? Memo,
    string? BankId,
    string ImportKey,
    PreviewRowStatus Status,
    string? StatusDetail,
    CategorySuggestion Suggestion,
    bool RoundingFlag,
    long? TransferAccountId);

/// <summary>A row that could not be read: its line or row number, the column, and what was wrong in plain words.</summary>
public sealed record PreviewError(int SourceLine, string? Column, string Message);

public sealed record PreviewStatement(
    int Index,
    string? FileAccount,
    long? AccountId,
    string Currency,
    bool NeedsRate,
    IReadOnlyList<PreviewRow> Rows);

public sealed record ImportPreview(
    string FileName,
    string Format,
    IReadOnlyList<PreviewStatement> Statements,
    IReadOnlyList<PreviewError> Errors,
    IReadOnlyList<string> Warnings,
    CsvMapping? Mapping);

/// <summary>What the user changed in the preview: the account per statement, unticked rows, chosen categories.</summary>
public sealed record ImportChoices
{
    /// <summary>Statement index → account id (overrides the match).</summary>
    public IReadOnlyDictionary<int, long> Accounts { get; init; } = new Dictionary<int, long>();

    /// <summary>(statement index, row index) of rows the user unticked.</summary>
    public IReadOnlySet<(int Statement, int Row)> Excluded { get; init; } = new HashSet<(int, int)>();

    /// <summary>(statement index, row index) → category chosen in the preview (overrides the suggestion).</summary>
    public IReadOnlyDictionary<(int Statement, int Row), long> Categories { get; init; } = new Dictionary<(int, int), long>();
}

public sealed record ImportProgress(int Done, int Total, string Stage)
{
    public int Percent => Total == 0 ? 100 : (int)(Done * 100L / Total);
}

public sealed record ImportResult(IReadOnlyList<long> BatchIds, int Added, int DuplicatesSkipped, int Transfers);

public sealed record ImportBatchSummary(
    long Id,
    string FileName,
    string Format,
    string AccountName,
    string? CreatedBy,
    DateTime CreatedAt,
    int RowCount,
    int DuplicateCount,
    DateTime? UndoneAt);

public interface IImportService
{
    /// <summary>Reads and checks the file against the household without writing anything. Throws
    /// <see cref="Readers.ImportRefusedException"/> for a refused file (too large, binary, zip bomb, DTD, no usable rows).</summary>
    Task<ImportPreview> PreviewAsync(ImportRequest request, CancellationToken cancellationToken = default);

    /// <summary>All or nothing: one database transaction for the whole file (one batch per account, one change-log entry
    /// per batch). Re-checks duplicates inside the transaction. Members and owners only.</summary>
    Task<ImportResult> CommitAsync(ImportRequest request, ImportChoices choices, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Removes exactly that batch's transactions and frees its import keys.</summary>
    Task UndoAsync(long batchId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ImportBatchSummary>> HistoryAsync(CancellationToken cancellationToken = default);
}
