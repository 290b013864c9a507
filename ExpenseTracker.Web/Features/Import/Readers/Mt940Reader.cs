using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>
/// SWIFT MT940 statements and MT942 interim reports. Decisions for real-world quirks:
/// <list type="bullet">
/// <item>Only known tags start a field, so a wrapped :86: line like ":26:37 Fo" stays part of the details.</item>
/// <item>The entry's date is the value date; an impossible one (Feb 30) becomes the month's last day, with a
/// warning, as banks that write it mean the end of the month.</item>
/// <item>"DR"/"CR" are D/C followed by the funds code R; "RD"/"RC" are reversals (RD adds, RC removes money).</item>
/// <item>Every :60F:/:60M: opening starts a statement of its own, so the pages of one :20: and several statements
/// per file each balance on their own.</item>
/// <item>Non-UTF-8 bytes are read as Windows-1252, or as CP852 when an 8-bit byte from 0x80-0x9F sits inside a
/// word (Central European banks such as Raiffeisen Hungary write CP852).</item>
/// </list>
/// </summary>
public sealed partial class Mt940Reader : IStatementReader
{
    private static readonly HashSet<string> KnownTags =
    [
        "20", "21", "25", "28", "28C", "60F", "60M", "61", "62F", "62M", "64", "65", "86", "13", "13D", "34F", "90D", "90C", "NS",
    ];

    public string Format => "MT940";

    public bool CanRead(ReadOnlySpan<byte> head, string? fileName)
    {
        var text = TextDecoding.Sniff(head);
        return text.Contains(":20:", StringComparison.Ordinal)
            && (text.Contains(":25:", StringComparison.Ordinal) || text.Contains(":61:", StringComparison.Ordinal));
    }

    public StatementReadResult Read(Stream stream, ReaderOptions options)
    {
        var bytes = TextDecoding.ReadAll(stream);
        var text = TextDecoding.Decode(bytes, options.Encoding, LooksLikeCp852(bytes) ? TextDecoding.CodePage852 : null);
        var warnings = new List<string>();
        var statements = new List<ParsedStatement>();
        Builder? current = null;
        (string Tag, StringBuilder Value, int Line)? field = null;
        var fields = new List<(string Tag, string Value, int Line)>();

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim('\u0001', '\u0003', '\r');
            var m = TagLine().Match(line);
            if (m.Success && KnownTags.Contains(m.Groups[1].Value))
            {
                if (field is { } f)
                {
                    fields.Add((f.Tag, f.Value.ToString(), f.Line));
                }

                field = (m.Groups[1].Value, new StringBuilder(line[m.Length..]), n + 1);
            }
            else if (field is { } f && line.Length > 0 && !line.StartsWith('-') && !line.StartsWith('{') && !line.StartsWith('}'))
            {
                f.Value.Append('\n').Append(line);
            }
            else if (line.StartsWith('-') && field is { } done)
            {
                fields.Add((done.Tag, done.Value.ToString(), done.Line));
                field = null;
            }
        }

        if (field is { } last)
        {
            fields.Add((last.Tag, last.Value.ToString(), last.Line));
        }

        for (var k = 0; k < fields.Count; k++)
        {
            var (tag, value, line) = fields[k];
            switch (tag)
            {
                case "20":
                    if (current is not null)
                    {
                        statements.Add(current.Build());
                    }

                    current = new Builder();
                    break;
                case "25":
                    current ??= new Builder();
                    current.Account = value.Trim();
                    break;
                case "60F" or "60M":
                    // A statement continued over several pages under one :20: repeats :60M:/:62M: per page: each page
                    // is its own statement for the balance arithmetic (same account and currency).
                    if (current is { } page && (page.Opening is not null || page.Entries.Count > 0))
                    {
                        statements.Add(page.Build());
                        current = new Builder { Account = page.Account, Currency = page.Currency };
                    }

                    current ??= new Builder();
                    current.Opening = Balance(value, current, warnings, line);
                    break;
                case "62F" or "62M":
                    current ??= new Builder();
                    current.Closing = Balance(value, current, warnings, line);
                    break;
                case "34F":
                    current ??= new Builder();
                    if (value.Length >= 3 && value[..3].All(char.IsAsciiLetterUpper))
                    {
                        current.Currency ??= value[..3];
                    }

                    break;
                case "61":
                    current ??= new Builder();
                    var details = k + 1 < fields.Count && fields[k + 1].Tag == "86" ? fields[k + 1].Value : null;
                    if (Entry(value, details, current, line, warnings) is { } entry)
                    {
                        current.Entries.Add(entry);
                    }

                    break;
            }
        }

        if (current is not null)
        {
            statements.Add(current.Build());
        }

        if (statements.Count == 0 || !statements.Any(s => s.Entries.Count > 0))
        {
            throw new ImportRefusedException("The MT940 file contains no usable statement lines (:61:)." + (warnings.Count > 0 ? " " + warnings[0] : string.Empty));
        }

        return new StatementReadResult(Format, statements, warnings);
    }

    private static StatementBalance? Balance(string value, Builder statement, List<string> warnings, int line)
    {
        var m = BalancePattern().Match(value.Trim());
        if (!m.Success || !TryAmount(m.Groups[4].Value, out var amount))
        {
            warnings.Add($"Line {line}: balance '{value.Trim()}' could not be read.");
            return null;
        }

        if (m.Groups[3].Success)
        {
            statement.Currency ??= m.Groups[3].Value;
        }

        var date = RepairDate(m.Groups[2].Value, out _);
        return new StatementBalance(m.Groups[1].Value == "D" ? Values.NoNegativeZero(-amount) : amount, date);
    }

    private static ParsedEntry? Entry(string value, string? details, Builder statement, int line, List<string> warnings)
    {
        var m = EntryPattern().Match(value);
        if (!m.Success || !TryAmount(m.Groups["amount"].Value, out var amount))
        {
            warnings.Add($"Line {line}: statement line ':61:{value.Split('\n')[0]}' could not be read.");
            return null;
        }

        var date = RepairDate(m.Groups["value"].Value, out var repaired);
        if (date is null)
        {
            warnings.Add($"Line {line}: statement line skipped, its date '{m.Groups["value"].Value}' is not a valid date.");
            return null;
        }

        if (repaired)
        {
            warnings.Add($"Line {line}: the date '{m.Groups["value"].Value}' does not exist; {date.Value:yyyy-MM-dd} (end of month) was used.");
        }

        var mark = m.Groups["mark"].Value;
        if (mark is "D" or "RC")
        {
            amount = Values.NoNegativeZero(-amount);
        }

        // Only the bank's own reference (after //) identifies an entry; the customer reference before it often
        // holds the counter account or NONREF and repeats across entries.
        var bankRef = m.Groups["bankref"].Value.Trim();
        var id = bankRef.Length > 0 && bankRef != "NONREF" ? bankRef : null;
        var (payee, memo) = Details(details);
        return new ParsedEntry(date.Value, amount, statement.Currency, payee, memo, id, [], line);
    }

    /// <summary>German ?xx subfields (?20-?29, ?60-?63 purpose; ?32/?33 name), SEPA /NAME/ /REMI/, or free text.</summary>
    private static (string? Payee, string? Memo) Details(string? details)
    {
        if (string.IsNullOrWhiteSpace(details))
        {
            return (null, null);
        }

        var marker = SubfieldStart().Match(details) is { Success: true } found ? found.Value[0] : '\0';
        if (marker != '\0')
        {
            // Triodos writes the German subfields with '>' instead of '?'.
            var joined = details.Replace("\n", string.Empty, StringComparison.Ordinal).Replace(marker, '?');
            // A subfield written twice (damaged or unusual files) keeps both values rather than failing the file.
            var sub = Subfield().Matches(joined).GroupBy(x => x.Groups[1].Value, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(x => x.Groups[2].Value.Trim()).Where(v => v.Length > 0)), StringComparer.Ordinal);
            var purpose = string.Join(" ", sub.Where(kv => kv.Key is ['2', _] or ['6', _]).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).Where(v => v.Length > 0));
            var name = string.Join(" ", new[] { sub.GetValueOrDefault("32"), sub.GetValueOrDefault("33") }.Where(n => !string.IsNullOrWhiteSpace(n)));
            return (name.Length > 0 ? name : null, purpose.Length > 0 ? purpose : sub.GetValueOrDefault("00"));
        }

        var flat = details.Replace("\n", string.Empty, StringComparison.Ordinal);
        if (SepaName().Match(flat) is { Success: true } nameMatch)
        {
            var remi = SepaRemittance().Match(flat);
            return (nameMatch.Groups[1].Value.Trim(), remi.Success ? remi.Groups[1].Value.Trim() : null);
        }

        var text = string.Join(" ", details.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        return (null, text);
    }

    private static DateOnly? RepairDate(string yymmdd, out bool repaired)
    {
        repaired = false;
        var year = 2000 + int.Parse(yymmdd[..2], CultureInfo.InvariantCulture);
        var month = int.Parse(yymmdd[2..4], CultureInfo.InvariantCulture);
        var day = int.Parse(yymmdd[4..6], CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day is < 1 or > 31)
        {
            return null;
        }

        var last = DateTime.DaysInMonth(year, month);
        repaired = day > last;
        return new DateOnly(year, month, Math.Min(day, last));
    }

    private static bool TryAmount(string raw, out decimal amount) => Values.TryParseAmount(raw.TrimEnd(','), ',', out amount);

    private static bool LooksLikeCp852(byte[] bytes)
    {
        for (var i = 1; i < bytes.Length - 1; i++)
        {
            if (bytes[i] is >= 0x80 and <= 0x9F && IsAsciiLetter(bytes[i - 1]) && IsAsciiLetter(bytes[i + 1]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAsciiLetter(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z');

    private sealed class Builder
    {
        public string? Account { get; set; }
        public string? Currency { get; set; }
        public StatementBalance? Opening { get; set; }
        public StatementBalance? Closing { get; set; }
        public List<ParsedEntry> Entries { get; } = [];

        public ParsedStatement Build() => new(Account, Currency, Opening, Closing, Entries);
    }

    [GeneratedRegex(@"^:([0-9]{2}[A-Z]?|NS):")]
    private static partial Regex TagLine();

    [GeneratedRegex(@"^([CD])(\d{6})([A-Z]{3})?([\d,]+)")]
    private static partial Regex BalancePattern();

    [GeneratedRegex(@"^(?<value>\d{6})(?<entry>\d{4})?(?<mark>RC|RD|C|D)(?<funds>[A-Z])?(?<amount>\d[\d,]*)(?<type>[A-Z][A-Z0-9]{3})?(?<ref>[^\n/]*(?:/(?!/)[^\n/]*)*)(?://(?<bankref>[^\n]*))?")]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"(?:\?|>)[23]\d")]
    private static partial Regex SubfieldStart();

    [GeneratedRegex(@"\?(\d\d)([^?]*)")]
    private static partial Regex Subfield();

    [GeneratedRegex(@"/NAME/([^/]*)")]
    private static partial Regex SepaName();

    [GeneratedRegex(@"/REMI/(?:USTD//)?([^/]*)")]
    private static partial Regex SepaRemittance();
}
