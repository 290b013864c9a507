namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>
/// QIF bank, cash and credit-card sections (one statement per !Account or !Type block). Investment sections are
/// refused. Dates are month-first unless the file proves otherwise (a first part above 12) or the caller says.
/// </summary>
public sealed class QifReader : IStatementReader
{
    private static readonly string[] CashTypes = ["bank", "cash", "ccard", "oth a", "oth l"];

    public string Format => "QIF";

    public bool CanRead(ReadOnlySpan<byte> head, string? fileName)
    {
        var text = TextDecoding.Sniff(head).TrimStart('\uFEFF', '\u00EF', '\u00BB', '\u00BF', ' ', '\r', '\n', '\t');
        return text.StartsWith("!Type:", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("!Account", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("!Option", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("!Clear", StringComparison.OrdinalIgnoreCase);
    }

    public StatementReadResult Read(Stream stream, ReaderOptions options)
    {
        var text = TextDecoding.Decode(TextDecoding.ReadAll(stream), options.Encoding);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var order = options.DateOrder
            ?? Values.GuessDateOrder(lines.Where(l => l.StartsWith('D')).Select(l => l[1..]))
            ?? DateOrder.MonthDayYear;

        var warnings = new List<string>();
        var statements = new List<ParsedStatement>();
        var entries = new List<ParsedEntry>();
        string? account = null, pendingAccount = null, section = null;
        var inAccountBlock = false;
        var sawInvestment = false;
        var record = new List<(char Code, string Value, int Line)>();

        void Flush()
        {
            if (entries.Count > 0)
            {
                statements.Add(new ParsedStatement(account, null, null, null, [.. entries]));
                entries.Clear();
            }
        }

        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('!'))
            {
                if (line.StartsWith("!Account", StringComparison.OrdinalIgnoreCase))
                {
                    inAccountBlock = true;
                    pendingAccount = null;
                }
                else if (line.StartsWith("!Type:", StringComparison.OrdinalIgnoreCase))
                {
                    Flush();
                    section = line[6..].Trim().ToLowerInvariant();
                    account = pendingAccount;
                    sawInvestment |= section.StartsWith("invst", StringComparison.Ordinal);
                }

                record.Clear();
                continue;
            }

            if (inAccountBlock)
            {
                if (line.StartsWith('N'))
                {
                    pendingAccount = line[1..].Trim();
                }
                else if (line.StartsWith('^'))
                {
                    inAccountBlock = false;
                }

                continue;
            }

            if (line.StartsWith('^'))
            {
                if (section is not null && CashTypes.Contains(section) && record.Count > 0)
                {
                    AddEntry(record, order, entries, warnings);
                }

                record.Clear();
                continue;
            }

            record.Add((line[0], line[1..], n + 1));
        }

        if (record.Count > 0 && section is not null && CashTypes.Contains(section))
        {
            AddEntry(record, order, entries, warnings);
        }

        Flush();
        if (statements.Count == 0)
        {
            throw new ImportRefusedException(sawInvestment
                ? "This is an investment QIF (!Type:Invst); only bank, cash and credit-card transactions can be imported."
                : "The QIF file contains no usable bank, cash or credit-card transactions." + (warnings.Count > 0 ? " " + warnings[0] : string.Empty));
        }

        if (sawInvestment)
        {
            warnings.Add("Investment sections (!Type:Invst) were skipped.");
        }

        return new StatementReadResult(Format, statements, warnings);
    }

    private static void AddEntry(List<(char Code, string Value, int Line)> record, DateOrder order, List<ParsedEntry> entries, List<string> warnings)
    {
        var first = record[0].Line;
        string? Field(char code) => record.Where(f => f.Code == code).Select(f => f.Value.Trim()).FirstOrDefault();

        var rawDate = Field('D');
        if (!Values.TryParseDate(rawDate, order, out var date))
        {
            warnings.Add($"Line {first}: transaction skipped, its date '{rawDate ?? "(missing)"}' is not a valid date.");
            return;
        }

        var rawAmount = Field('T') ?? Field('U');
        if (!Values.TryParseAmount(rawAmount, out var amount))
        {
            warnings.Add($"Line {first}: transaction skipped, its amount '{rawAmount ?? "(missing)"}' is not a number.");
            return;
        }

        var splits = new List<ParsedSplit>();
        string? splitCategory = null, splitMemo = null;
        foreach (var (code, value, _) in record)
        {
            switch (code)
            {
                case 'S':
                    splitCategory = value.Trim();
                    splitMemo = null;
                    break;
                case 'E':
                    splitMemo = value.Trim();
                    break;
                case '$' when Values.TryParseAmount(value, out var splitAmount):
                    splits.Add(new ParsedSplit(Empty(splitCategory), splitAmount, Empty(splitMemo)));
                    splitCategory = splitMemo = null;
                    break;
            }
        }

        entries.Add(new ParsedEntry(date, amount, null, Empty(Field('P')), Empty(Field('M')), Empty(Field('N')), splits, first)
        {
            Category = Empty(Field('L')),
        });
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
