using System.Globalization;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>
/// The first rows of a CSV/TSV or XLSX file as text, for the mapping wizard: what the file holds, how it was read
/// (delimiter, encoding, sheet) and the mapping guessed from it, including a date format and decimal separator.
/// <see cref="ReaderOptions"/> override what is detected (encoding, sheet, delimiter and header via its mapping).
/// </summary>
public static class TabularFiles
{
    private const int GuessRows = 200;

    public static bool IsWorkbook(byte[] bytes, string? fileName) =>
        new XlsxStatementReader().CanRead(bytes.AsSpan(0, Math.Min(bytes.Length, 4096)), fileName);

    public static TabularSample Sample(byte[] bytes, string? fileName, ReaderOptions options, int maxRows = 20)
    {
        if (bytes.Length == 0)
        {
            throw new ImportRefusedException("The file is empty.");
        }

        return IsWorkbook(bytes, fileName) ? SampleWorkbook(bytes, options, maxRows) : SampleText(bytes, options, maxRows);
    }

    private static TabularSample SampleWorkbook(byte[] bytes, ReaderOptions options, int maxRows)
    {
        var table = XlsxStatementReader.ReadTable(bytes, options.SheetName, null);
        var cells = table.Rows.Select(r => r.Cells).ToList();
        return Build(cells, null, null, table.SheetNames, options, maxRows);
    }

    private static TabularSample SampleText(byte[] bytes, ReaderOptions options, int maxRows)
    {
        var text = TextDecoding.Decode(bytes, options.Encoding);
        var head = text.Length > 4096 ? text[..4096] : text;
        if (head.Contains('\0', StringComparison.Ordinal) || head.Count(c => c < ' ' && c is not ('\t' or '\r' or '\n' or '\f')) > head.Length / 100)
        {
            throw new ImportRefusedException("This is not a CSV file: it holds binary data, not text.");
        }

        var delimiter = options.CsvMapping?.Delimiter ?? CsvStatementReader.SniffDelimiter(text);
        var rows = CsvStatementReader.Parse(text, delimiter).Select(r => r.Cells).Where(c => c.Any(v => v.Trim().Length > 0)).ToList();
        return Build(rows, delimiter, options.Encoding?.WebName ?? DetectEncodingName(bytes), [], options, maxRows);
    }

    private static TabularSample Build(List<IReadOnlyList<string>> rows, char? delimiter, string? encoding, IReadOnlyList<string> sheets,
        ReaderOptions options, int maxRows)
    {
        if (rows.Count == 0)
        {
            throw new ImportRefusedException("The file is empty: it has no rows to import.");
        }

        var guess = CsvMappingGuesser.Guess(rows.Take(GuessRows + 1).ToList(), delimiter ?? ',') with { Delimiter = delimiter };
        var hasHeader = options.CsvMapping?.HasHeader ?? guess.HasHeader;
        var data = rows.Skip(hasHeader ? 1 : 0).ToList();
        var sample = data.Take(GuessRows).ToList();
        guess = guess with
        {
            DateFormat = DateFormats.Guess(sample.Select(r => Cell(r, guess.Date))),
            DecimalSeparator = Values.GuessDecimalSeparator(
                sample.SelectMany(r => new[] { Cell(r, guess.Amount), Cell(r, guess.Debit), Cell(r, guess.Credit) })),
        };

        return new TabularSample(hasHeader ? rows[0] : null, data.Take(maxRows).ToList(), data.Count, delimiter, encoding, sheets, guess);
    }

    private static string Cell(IReadOnlyList<string> row, int? index) => index is { } i && i < row.Count ? row[i] : string.Empty;

    /// <summary>The encoding <see cref="TextDecoding.Decode"/> would pick, by its web name.</summary>
    public static string DetectEncodingName(byte[] bytes) => TextDecoding.Detect(bytes).WebName;
}

/// <summary>Exact date formats (invariant culture) the wizard offers, and a guess of the one a column is written in.</summary>
public static class DateFormats
{
    /// <summary>One- or two-digit days and months ("d", "M") accept both 5.1.2024 and 05.01.2024. Month-first comes
    /// before day-first where both fit, as the CSV reader assumes when no day is above 12.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "yyyy-M-d", "d.M.yyyy", "M/d/yyyy", "d/M/yyyy", "M-d-yyyy", "d-M-yyyy", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd",
        "d.M.yy", "M/d/yy", "d/M/yy", "d-MMM-yyyy", "d MMM yyyy", "d-MMM-yy", "MMM d, yyyy",
    ];

    public static bool TryParse(string? text, string format, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>The first format every non-empty value parses with, agreeing with the day/month order the values show; else null.</summary>
    public static string? Guess(IEnumerable<string> values)
    {
        var list = values.Where(v => v.Trim().Length > 0).Take(200).ToList();
        if (list.Count == 0)
        {
            return null;
        }

        var order = Values.GuessDateOrder(list);
        foreach (var format in All)
        {
            var monthFirst = format.StartsWith("M/", StringComparison.Ordinal) || format.StartsWith("M-", StringComparison.Ordinal);
            var dayFirst = format.StartsWith('d');
            if ((order == DateOrder.DayMonthYear && monthFirst) || (order == DateOrder.MonthDayYear && dayFirst))
            {
                continue;
            }

            if (list.TrueForAll(v => TryParse(v, format, out _)))
            {
                return format;
            }
        }

        return null;
    }
}
