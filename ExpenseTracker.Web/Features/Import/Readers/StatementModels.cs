using System.Text;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>One category line of a split transaction (QIF S/$).</summary>
public sealed record ParsedSplit(string? Category, decimal Amount, string? Memo);

/// <summary>
/// One transaction as the file states it. <see cref="Amount"/> is signed (negative = money out) and keeps the
/// decimals written in the file (-30.000 stays -30.000); the importer converts to minor units.
/// </summary>
public sealed record ParsedEntry(
    DateOnly Date,
    decimal Amount,
    string? Currency,
    string? Payee,
    string? Memo,
    string? BankId,
    IReadOnlyList<ParsedSplit> Splits,
    int SourceLine)
{
    public string? Category { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
}

public sealed record StatementBalance(decimal Amount, DateOnly? Date);

/// <summary>One account's statement within a file; a file may hold several (OFX, CAMT, MT940, QIF).</summary>
public sealed record ParsedStatement(
    string? Account,
    string? Currency,
    StatementBalance? Opening,
    StatementBalance? Closing,
    IReadOnlyList<ParsedEntry> Entries);

public sealed record StatementReadResult(
    string Format,
    IReadOnlyList<ParsedStatement> Statements,
    IReadOnlyList<string> Warnings)
{
    /// <summary>For CSV: the column mapping used (guessed or given), so a wizard can show and adjust it.</summary>
    public CsvMapping? Mapping { get; init; }

    public IEnumerable<ParsedEntry> AllEntries => Statements.SelectMany(s => s.Entries);
}

public enum DateOrder
{
    DayMonthYear,
    MonthDayYear,
    YearMonthDay,
}

public sealed record ReaderOptions
{
    public static readonly ReaderOptions Default = new();

    /// <summary>Overrides encoding detection (BOM, declared charset, UTF-8 check, Windows-1252 fallback).</summary>
    public Encoding? Encoding { get; init; }

    /// <summary>Overrides the date-order guess for dates like 01/02/2024 (CSV, QIF).</summary>
    public DateOrder? DateOrder { get; init; }

    /// <summary>XLSX sheet name; null means the first sheet.</summary>
    public string? SheetName { get; init; }

    /// <summary>CSV column mapping; null means guessed from the header and the data.</summary>
    public CsvMapping? CsvMapping { get; init; }
}

/// <summary>
/// Zero-based CSV column indexes. Either <see cref="Amount"/> or <see cref="Debit"/>/<see cref="Credit"/>.
/// <see cref="Direction"/> is a column saying debit/credit for unsigned amounts (Mint exports).
/// </summary>
public sealed record CsvMapping
{
    public int? Date { get; init; }
    public int? Amount { get; init; }
    public int? Debit { get; init; }
    public int? Credit { get; init; }
    public int? Direction { get; init; }
    public int? Payee { get; init; }
    public int? Memo { get; init; }
    public int? Category { get; init; }
    public int? Tags { get; init; }
    public int? Currency { get; init; }
    public int? Reference { get; init; }
    public bool HasHeader { get; init; } = true;
    public char? Delimiter { get; init; }

    /// <summary>An exact .NET date format (invariant culture), e.g. "dd.MM.yyyy"; null means guessed.</summary>
    public string? DateFormat { get; init; }

    public char? DecimalSeparator { get; init; }
}

/// <summary>The file cannot be imported; <see cref="Exception.Message"/> says why in plain words.</summary>
public sealed class ImportRefusedException(string message) : Exception(message);

public interface IStatementReader
{
    string Format { get; }

    /// <summary>Whether the file looks like this format, judged from its first bytes (and name as a hint).</summary>
    bool CanRead(ReadOnlySpan<byte> head, string? fileName);

    /// <summary>Reads every statement, or throws <see cref="ImportRefusedException"/>.</summary>
    StatementReadResult Read(Stream stream, ReaderOptions options);
}
