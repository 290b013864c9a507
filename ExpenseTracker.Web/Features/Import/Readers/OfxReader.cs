using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>
/// OFX/QFX 1.x (SGML, leaf tags unclosed) and 2.x (XML). A tolerant tag scanner rather than an XML parser: only
/// the aggregates we need are tracked (statements, transactions, account, ledger balance), and a leaf's value
/// is the text up to the next tag, so closed and unclosed leaves read alike.
/// </summary>
public sealed partial class OfxReader : IStatementReader
{
    private static readonly HashSet<string> Tracked =
    [
        "STMTRS", "CCSTMTRS", "STMTTRN", "BANKACCTFROM", "CCACCTFROM", "BANKACCTTO", "CCACCTTO", "LEDGERBAL",
        "AVAILBAL", "PAYEE", "CURRENCY", "ORIGCURRENCY", "STATUS", "SONRS", "STMTTRNRS", "CCSTMTTRNRS",
    ];

    public string Format => "OFX";

    public bool CanRead(ReadOnlySpan<byte> head, string? fileName)
    {
        var text = TextDecoding.Sniff(head);
        return text.Contains("OFXHEADER", StringComparison.OrdinalIgnoreCase)
            || text.Contains("<OFX>", StringComparison.OrdinalIgnoreCase)
            || text.Contains("DATA:OFXSGML", StringComparison.OrdinalIgnoreCase);
    }

    public StatementReadResult Read(Stream stream, ReaderOptions options)
    {
        var bytes = TextDecoding.ReadAll(stream);
        var text = TextDecoding.Decode(bytes, options.Encoding, DeclaredEncoding(bytes));
        var start = text.IndexOf("<OFX", StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            throw new ImportRefusedException("This OFX file has no <OFX> body.");
        }

        if (text.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
        {
            throw new ImportRefusedException("The file declares a DTD (<!DOCTYPE>); such files are refused for safety.");
        }

        var body = text[start..];
        if (body.Contains("<INVSTMTRS>", StringComparison.OrdinalIgnoreCase)
            && !body.Contains("<STMTRS>", StringComparison.OrdinalIgnoreCase)
            && !body.Contains("<CCSTMTRS>", StringComparison.OrdinalIgnoreCase))
        {
            throw new ImportRefusedException(
                "This is an investment statement (positions and trades); only bank and credit-card statements can be imported.");
        }

        var warnings = new List<string>();
        var headerLines = text.AsSpan(0, start).Count('\n');
        var statements = Parse(body, headerLines, warnings);
        if (statements.Count == 0)
        {
            throw new ImportRefusedException(NoStatementReason(body));
        }

        if (!statements.Any(s => s.Entries.Count > 0))
        {
            var why = warnings.Count > 0 ? " " + warnings[0] : " It states balances only.";
            throw new ImportRefusedException("The OFX statement contains no usable transactions." + why);
        }

        return new StatementReadResult(Format, statements, warnings);
    }

    private static string NoStatementReason(string body)
    {
        foreach (Match status in StatusBlock().Matches(body))
        {
            var code = LeafValues(status.Value, "CODE").FirstOrDefault();
            if (code is not null && code != "0")
            {
                var message = LeafValues(status.Value, "MESSAGE").FirstOrDefault();
                return $"The bank answered with error code {code}{(message is null ? string.Empty : $" ({message})")} and sent no statement.";
            }
        }

        return body.Contains("<ACCTINFORS>", StringComparison.OrdinalIgnoreCase)
            ? "This OFX file lists accounts but contains no statement or transactions."
            : "This OFX file contains no bank or credit-card statement.";
    }

    private static IEnumerable<string> LeafValues(string body, string tag) =>
        Regex.Matches(body, "<" + tag + @">\s*([^<\r\n]*)", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1))
            .Select(m => m.Groups[1].Value.Trim())
            .Where(v => v.Length > 0);

    private static Encoding? DeclaredEncoding(byte[] bytes)
    {
        var head = Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, 1024));
        var xml = XmlEncoding().Match(head);
        if (xml.Success)
        {
            return TextDecoding.FromName(xml.Groups[1].Value);
        }

        var charset = Charset().Match(head);
        return charset.Success && !charset.Groups[1].Value.Equals("NONE", StringComparison.OrdinalIgnoreCase)
            ? TextDecoding.FromName(charset.Groups[1].Value.Trim())
            : null;
    }

    private static List<ParsedStatement> Parse(string body, int headerLines, List<string> warnings)
    {
        var statements = new List<ParsedStatement>();
        var stack = new List<(string Tag, Dictionary<string, string> Leaves)>();
        StatementBuilder? current = null;
        string? lastLeaf = null;
        int i = 0, line = headerLines + 1, counted = 0;
        while (i < body.Length)
        {
            var lt = body.IndexOf('<', i);
            if (lt < 0)
            {
                break;
            }

            if (string.CompareOrdinal(body, lt, "<![CDATA[", 0, 9) == 0)
            {
                var end = body.IndexOf("]]>", lt, StringComparison.Ordinal);
                end = end < 0 ? body.Length : end;
                if (lastLeaf is not null && stack.Count > 0)
                {
                    stack[^1].Leaves[lastLeaf] = body[(lt + 9)..end].Trim();
                }

                i = end + 3;
                continue;
            }

            line += CountLines(body, counted, lt);
            counted = lt;
            var gt = body.IndexOf('>', lt);
            if (gt < 0)
            {
                break;
            }

            var rawTag = body[(lt + 1)..gt].Trim();
            i = gt + 1;
            if (rawTag.StartsWith('?') || rawTag.StartsWith('!'))
            {
                continue;
            }

            var closing = rawTag.StartsWith('/');
            var selfClosing = rawTag.EndsWith('/');
            var tag = rawTag.Trim('/').Split(' ')[0].ToUpperInvariant();
            if (closing)
            {
                lastLeaf = null;
                var at = stack.FindLastIndex(f => f.Tag == tag);
                if (at < 0)
                {
                    continue;
                }

                for (var k = stack.Count - 1; k >= at; k--)
                {
                    current = Close(stack[k], stack, current, statements, warnings);
                    stack.RemoveAt(k);
                }

                continue;
            }

            if (Tracked.Contains(tag) && !selfClosing)
            {
                lastLeaf = null;
                stack.Add((tag, new Dictionary<string, string>(StringComparer.Ordinal) { ["@line"] = line.ToString(CultureInfo.InvariantCulture) }));
                if (tag is "STMTRS" or "CCSTMTRS")
                {
                    current = new StatementBuilder();
                }

                continue;
            }

            var next = body.IndexOf('<', i);
            var value = (next < 0 ? body[i..] : body[i..next]).Trim();
            lastLeaf = tag;
            if (stack.Count > 0 && !selfClosing && value.Length > 0)
            {
                stack[^1].Leaves[tag] = Decode(value);
            }
        }

        return statements;
    }

    private static StatementBuilder? Close(
        (string Tag, Dictionary<string, string> Leaves) frame,
        List<(string Tag, Dictionary<string, string> Leaves)> stack,
        StatementBuilder? current,
        List<ParsedStatement> statements,
        List<string> warnings)
    {
        var leaves = frame.Leaves;
        var parent = stack.Count > 1 ? stack[^2] : default;
        switch (frame.Tag)
        {
            case "STMTRS" or "CCSTMTRS" when current is not null:
                current.Currency = leaves.GetValueOrDefault("CURDEF");
                statements.Add(current.Build());
                return null;
            case "BANKACCTFROM" or "CCACCTFROM" when current is not null:
                current.Account = leaves.GetValueOrDefault("ACCTID")?.Trim();
                break;
            case "LEDGERBAL" when current is not null:
                if (Values.TryParseAmount(leaves.GetValueOrDefault("BALAMT"), out var bal))
                {
                    current.Closing = new StatementBalance(bal, OfxDate(leaves.GetValueOrDefault("DTASOF")));
                }

                break;
            case "PAYEE" or "CURRENCY" or "ORIGCURRENCY" when parent.Leaves is not null:
                foreach (var (k, v) in leaves)
                {
                    if (k != "@line")
                    {
                        parent.Leaves.TryAdd(frame.Tag + "." + k, v);
                    }
                }

                break;
            case "STMTTRN" when current is not null:
                AddEntry(current, leaves, int.Parse(leaves["@line"], CultureInfo.InvariantCulture), warnings);
                break;
        }

        return current;
    }

    private static void AddEntry(StatementBuilder statement, Dictionary<string, string> leaves, int line, List<string> warnings)
    {
        var rawDate = leaves.GetValueOrDefault("DTPOSTED") ?? leaves.GetValueOrDefault("DTUSER");
        var date = OfxDate(rawDate);
        if (date is null)
        {
            warnings.Add($"Line {line}: transaction skipped, its date '{rawDate ?? "(missing)"}' is not a valid date.");
            return;
        }

        var rawAmount = leaves.GetValueOrDefault("TRNAMT");
        if (rawAmount is null || !AmountPattern().IsMatch(rawAmount) || !Values.TryParseAmount(rawAmount, out var amount))
        {
            warnings.Add($"Line {line}: transaction skipped, its amount '{rawAmount ?? "(missing)"}' is not a number.");
            return;
        }

        var name = leaves.GetValueOrDefault("NAME") ?? leaves.GetValueOrDefault("PAYEE.NAME");
        statement.Entries.Add(new ParsedEntry(
            date.Value,
            amount,
            leaves.GetValueOrDefault("CURRENCY.CURSYM") ?? leaves.GetValueOrDefault("ORIGCURRENCY.CURSYM"),
            name,
            leaves.GetValueOrDefault("MEMO"),
            leaves.GetValueOrDefault("FITID"),
            [],
            line));
    }

    private static int CountLines(string text, int from, int to)
    {
        var n = 0;
        for (var k = from; k < to; k++)
        {
            if (text[k] == '\n' || (text[k] == '\r' && (k + 1 >= text.Length || text[k + 1] != '\n')))
            {
                n++;
            }
        }

        return n;
    }

    private static DateOnly? OfxDate(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var m = OfxDatePattern().Match(raw.Trim());
        if (!m.Success)
        {
            return null;
        }

        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
    }

    // Some banks escape twice ("&amp;lt;"); a second pass runs only when entities remain after the first.
    private static string Decode(string value)
    {
        var once = WebUtility.HtmlDecode(value);
        return (LeftoverEntity().IsMatch(once) ? WebUtility.HtmlDecode(once) : once).Trim();
    }

    [GeneratedRegex("&(?:lt|gt|amp|quot|apos|#[0-9]+);")]
    private static partial Regex LeftoverEntity();

    private sealed class StatementBuilder
    {
        public string? Account { get; set; }
        public string? Currency { get; set; }
        public StatementBalance? Closing { get; set; }
        public List<ParsedEntry> Entries { get; } = [];

        public ParsedStatement Build() =>
            new(string.IsNullOrWhiteSpace(Account) ? null : Account, string.IsNullOrWhiteSpace(Currency) ? null : Currency, null, Closing, Entries);
    }

    [GeneratedRegex(@"<STATUS>.*?</STATUS>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex StatusBlock();

    [GeneratedRegex(@"^(\d{4})(\d{2})(\d{2})")]
    private static partial Regex OfxDatePattern();

    [GeneratedRegex(@"^\s*[+-]?\d[\d.,]*\s*$")]
    private static partial Regex AmountPattern();

    [GeneratedRegex(@"<\?xml[^>]*encoding=[""']([^""']+)[""']", RegexOptions.IgnoreCase)]
    private static partial Regex XmlEncoding();

    [GeneratedRegex(@"CHARSET:\s*([^\r\n]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Charset();
}
