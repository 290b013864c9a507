using System.Globalization;
using System.Text;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>
/// CSV and TSV: delimiter sniffed among , ; tab |, quoted fields (with embedded separators and line breaks),
/// CR, LF or CRLF lines, header row or not. Without a mapping the columns, date order and decimal separator are
/// guessed from the header and the data (<see cref="CsvMappingGuesser"/>).
/// </summary>
public sealed class CsvStatementReader : IStatementReader
{
    private static readonly char[] Delimiters = [',', ';', '\t', '|'];

    public string Format => "CSV";

    public bool CanRead(ReadOnlySpan<byte> head, string? fileName) => true;

    public StatementReadResult Read(Stream stream, ReaderOptions options)
    {
        var text = TextDecoding.Decode(TextDecoding.ReadAll(stream), options.Encoding);
        var delimiter = options.CsvMapping?.Delimiter ?? SniffDelimiter(text);
        var rows = Parse(text, delimiter).Where(r => r.Cells.Any(c => c.Trim().Length > 0)).ToList();
        return ReadTable(Format, rows, delimiter, options);
    }

    /// <summary>Rows of cells (CSV, or XLSX cells as text) to entries through the mapping; shared with the XLSX reader.</summary>
    internal static StatementReadResult ReadTable(string format, IReadOnlyList<CsvRow> rows, char? delimiter, ReaderOptions options)
    {
        if (rows.Count == 0)
        {
            throw new ImportRefusedException("The file is empty: it has no rows to import.");
        }

        var mapping = options.CsvMapping is { } given ? given with { Delimiter = delimiter } : CsvMappingGuesser.Guess(rows.Select(r => r.Cells).ToList(), delimiter ?? ',') with { Delimiter = delimiter };
        if (mapping.Date is null || (mapping.Amount is null && mapping.Debit is null && mapping.Credit is null))
        {
            throw new ImportRefusedException("No date and amount columns could be recognised in this file; map the columns by hand.");
        }

        // Some exports repeat the header further down (Mint, Amazon); such rows are not data.
        var header = mapping.HasHeader ? rows[0].Cells : null;
        var data = mapping.HasHeader ? rows.Skip(1).Where(r => !r.Cells.SequenceEqual(header!, StringComparer.Ordinal)).ToList() : rows;
        var dateColumn = data.Select(r => Cell(r.Cells, mapping.Date)).Where(v => v is not null).Select(v => v!).ToList();
        var guessedOrder = options.DateOrder is null ? Values.GuessDateOrder(dateColumn) : null;
        var order = options.DateOrder ?? guessedOrder ?? DateOrder.MonthDayYear;
        var decimalSeparator = mapping.DecimalSeparator ?? Values.GuessDecimalSeparator(
            data.SelectMany(r => new[] { Cell(r.Cells, mapping.Amount), Cell(r.Cells, mapping.Debit), Cell(r.Cells, mapping.Credit) })
                .Where(v => v is not null).Select(v => v!));
        mapping = mapping with { DecimalSeparator = decimalSeparator };

        var warnings = new List<string>();
        if (options.DateOrder is null && mapping.DateFormat is null && guessedOrder is null && dateColumn.Any(AmbiguousDay))
        {
            warnings.Add("The date order is ambiguous (no day above 12); month/day/year was assumed.");
        }

        var entries = new List<ParsedEntry>();
        foreach (var row in data)
        {
            var entry = ReadRow(row, mapping, order, warnings);
            if (entry is not null)
            {
                entries.Add(entry);
            }
        }

        if (entries.Count == 0)
        {
            throw new ImportRefusedException("The file has 0 usable rows." + (warnings.Count > 0 ? " " + warnings[^1] : string.Empty));
        }

        return new StatementReadResult(format, [new ParsedStatement(null, null, null, null, entries)], warnings) { Mapping = mapping };
    }

    private static bool AmbiguousDay(string v)
    {
        var parts = v.Trim().Split('/', '.', '-');
        return parts.Length >= 3 && parts[0].Length <= 2 && parts.Take(2).All(p => p.All(char.IsDigit) && p.Length > 0);
    }

    private static ParsedEntry? ReadRow(CsvRow row, CsvMapping mapping, DateOrder order, List<string> warnings)
    {
        var cells = row.Cells;
        var rawDate = Cell(cells, mapping.Date);
        if (string.IsNullOrWhiteSpace(rawDate))
        {
            warnings.Add($"Row {row.Line}: skipped, the date column is empty.");
            return null;
        }

        DateOnly date;
        var dateOk = mapping.DateFormat is { } format
            ? DateOnly.TryParseExact(rawDate.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            : Values.TryParseDate(rawDate, order, out date);
        if (!dateOk)
        {
            warnings.Add($"Row {row.Line}, column {mapping.Date + 1}: '{rawDate}' is not a date.");
            return null;
        }

        if (!TryAmount(row, mapping, warnings, out var amount))
        {
            return null;
        }

        var tags = Cell(cells, mapping.Tags) is { } t
            ? t.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        return new ParsedEntry(date, amount, Clean(Cell(cells, mapping.Currency))?.ToUpperInvariant(), Clean(Cell(cells, mapping.Payee)),
            Clean(Cell(cells, mapping.Memo)), Clean(Cell(cells, mapping.Reference)), [], row.Line)
        {
            Category = Clean(Cell(cells, mapping.Category)),
            Tags = tags,
        };
    }

    private static bool TryAmount(CsvRow row, CsvMapping mapping, List<string> warnings, out decimal amount)
    {
        amount = 0m;
        var sep = mapping.DecimalSeparator;
        if (mapping.Amount is { } a)
        {
            var raw = Cell(row.Cells, a);
            if (!Values.TryParseAmount(raw, sep, out amount))
            {
                warnings.Add($"Row {row.Line}, column {a + 1}: '{raw}' is not an amount.");
                return false;
            }

            var direction = Cell(row.Cells, mapping.Direction)?.Trim().ToLowerInvariant();
            if (direction is "debit" or "d" or "dr" or "withdrawal")
            {
                amount = Values.NoNegativeZero(-decimal.Abs(amount));
            }

            return true;
        }

        var debitRaw = Cell(row.Cells, mapping.Debit);
        var creditRaw = Cell(row.Cells, mapping.Credit);
        var hasDebit = Values.TryParseAmount(debitRaw, sep, out var debit);
        var hasCredit = Values.TryParseAmount(creditRaw, sep, out var credit);
        if (!hasDebit && !hasCredit)
        {
            warnings.Add($"Row {row.Line}: neither the debit nor the credit column holds an amount.");
            return false;
        }

        amount = hasDebit && debit != 0m ? Values.NoNegativeZero(-decimal.Abs(debit)) : hasCredit ? credit : debit;
        return true;
    }

    private static string? Cell(IReadOnlyList<string> cells, int? index) =>
        index is { } i && i >= 0 && i < cells.Count ? cells[i] : null;

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    internal static char SniffDelimiter(string text)
    {
        var sample = Parse(text.Length > 20000 ? text[..20000] : text, '\u0000')
            .Select(r => r.Cells[0]).Where(l => l.Trim().Length > 0).Take(20).ToList();
        var best = ',';
        var bestScore = -1.0;
        foreach (var d in Delimiters)
        {
            var counts = sample.Select(l => Parse(l, d).FirstOrDefault()?.Cells.Count ?? 1).ToList();
            if (counts.Count == 0 || counts.Max() < 2)
            {
                continue;
            }

            var mode = counts.GroupBy(c => c).OrderByDescending(g => g.Count()).First();
            var score = mode.Count() * 1000.0 / counts.Count + mode.Key;
            if (score > bestScore)
            {
                bestScore = score;
                best = d;
            }
        }

        return best;
    }

    internal sealed record CsvRow(int Line, IReadOnlyList<string> Cells);

    /// <summary>RFC 4180 with CR, LF or CRLF row ends; a NUL delimiter splits rows only.</summary>
    internal static IEnumerable<CsvRow> Parse(string text, char delimiter)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var line = 1;
        var rowLine = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')) ? 1 : 0;
                    cell.Append(c);
                }

                continue;
            }

            if (c == '"' && delimiter != '\u0000' && cell.ToString().Trim().Length == 0)
            {
                cell.Clear();
                quoted = true;
            }
            else if (c == delimiter)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                cells.Add(cell.ToString());
                cell.Clear();
                yield return new CsvRow(rowLine, cells);
                cells = [];
                line++;
                rowLine = line;
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            yield return new CsvRow(rowLine, cells);
        }
    }
}
