using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>
/// ISO 20022 camt.052 (Rpt), camt.053 (Stmt) and camt.054 (Ntfctn), any version: elements are matched by local
/// name so each new namespace version reads without changes.
/// </summary>
public sealed partial class CamtReader : IStatementReader
{
    public string Format => "CAMT";

    public bool CanRead(ReadOnlySpan<byte> head, string? fileName)
    {
        var text = TextDecoding.Sniff(head);
        return text.Contains("camt.05", StringComparison.Ordinal)
            || text.Contains("<BkToCstmr", StringComparison.Ordinal);
    }

    public StatementReadResult Read(Stream stream, ReaderOptions options)
    {
        var root = SafeXml.Load(stream, options).Root!;
        var statements = new List<ParsedStatement>();
        var warnings = new List<string>();
        foreach (var stmt in root.Descendants().Where(e => e.Name.LocalName is "Stmt" or "Rpt" or "Ntfctn"))
        {
            statements.Add(ReadStatement(stmt, warnings));
        }

        if (statements.Count == 0)
        {
            throw new ImportRefusedException("This XML file is not a CAMT bank statement: it contains no statement, report or notification.");
        }

        if (!statements.Any(s => s.Entries.Count > 0))
        {
            var why = warnings.Count > 0 ? " " + warnings[0] : " It states balances only.";
            throw new ImportRefusedException("The CAMT file contains no usable entries." + why);
        }

        return new StatementReadResult(Format, statements, warnings);
    }

    private static ParsedStatement ReadStatement(XElement stmt, List<string> warnings)
    {
        var acct = Child(stmt, "Acct");
        var accountId = Child(acct, "Id");
        var account = Value(accountId, "IBAN") ?? Value(Child(accountId, "Othr"), "Id");
        var currency = Value(acct, "Ccy");
        // Opening: OPBD, else PRCD (previous closing), else the first interim booked balance (ITBD) of a paginated
        // statement; closing: CLBD, else the last ITBD. Available (..AV), forward and information balances are not
        // booked balances and never enter the arithmetic.
        var booked = Children(stmt, "Bal")
            .Select(bal => (Code: bal.Descendants().FirstOrDefault(e => e.Name.LocalName == "Cd")?.Value.Trim(), Balance: Balance(bal)))
            .Where(b => b.Balance is not null)
            .ToList();
        StatementBalance? Find(string code) => booked.FirstOrDefault(b => b.Code == code).Balance;
        var interim = booked.Where(b => b.Code == "ITBD").Select(b => b.Balance).ToList();
        var opening = Find("OPBD") ?? Find("PRCD") ?? (interim.Count > 0 ? interim[0] : null);
        var closing = Find("CLBD") ?? (interim.Count > 1 || (interim.Count == 1 && !ReferenceEquals(opening, interim[0])) ? interim[^1] : null);

        var entries = new List<ParsedEntry>();
        foreach (var ntry in Children(stmt, "Ntry"))
        {
            var entry = Entry(ntry, warnings);
            if (entry is not null)
            {
                entries.Add(entry);
            }
        }

        return new ParsedStatement(account, currency, opening, closing, entries);
    }

    private static StatementBalance? Balance(XElement bal)
    {
        var amt = Child(bal, "Amt");
        if (amt is null || !Values.TryParseAmount(amt.Value, '.', out var amount))
        {
            return null;
        }

        if (Value(bal, "CdtDbtInd") == "DBIT")
        {
            amount = Values.NoNegativeZero(-amount);
        }

        return new StatementBalance(amount, Date(Child(bal, "Dt")));
    }

    private static ParsedEntry? Entry(XElement ntry, List<string> warnings)
    {
        var line = ((IXmlLineInfo)ntry).LineNumber;
        var amt = Child(ntry, "Amt");
        if (amt is null || !Values.TryParseAmount(amt.Value, '.', out var amount))
        {
            warnings.Add($"Line {line}: entry skipped, its amount '{amt?.Value}' is not a number.");
            return null;
        }

        // Pending (PDNG) and information-only (INFO) entries are not booked: the bank may still change or drop
        // them, and the booked entry comes later with its own reference.
        if (Value(ntry, "Sts") is "PDNG" or "INFO" or "FUTR")
        {
            warnings.Add($"Line {line}: entry skipped, it is not booked yet (status {Value(ntry, "Sts")}).");
            return null;
        }

        // CdtDbtInd is the direction of this booking; for a reversal (RvslInd true) it is already the opposite of
        // the original entry, so the sign needs no further change.
        var debit = Value(ntry, "CdtDbtInd") == "DBIT";
        if (debit)
        {
            amount = Values.NoNegativeZero(-amount);
        }

        var date = Date(Child(ntry, "BookgDt")) ?? Date(Child(ntry, "ValDt"));
        if (date is null)
        {
            warnings.Add($"Line {line}: entry skipped, it has no booking or value date.");
            return null;
        }

        var tx = ntry.Descendants().FirstOrDefault(e => e.Name.LocalName == "TxDtls");
        var parties = tx is null ? null : Child(tx, "RltdPties");
        var creditor = Value(Child(parties, "Cdtr") is { } c ? (Child(c, "Pty") ?? c) : null, "Nm");
        var debtor = Value(Child(parties, "Dbtr") is { } d ? (Child(d, "Pty") ?? d) : null, "Nm");
        var payee = debit ? creditor ?? debtor : debtor ?? creditor;
        var ustrd = ntry.Descendants().Where(e => e.Name.LocalName == "Ustrd").Select(e => Spaces().Replace(e.Value, " ").Trim()).Where(v => v.Length > 0).ToList();
        var memo = ustrd.Count > 0 ? string.Join(" ", ustrd) : Value(ntry, "AddtlNtryInf");
        var bankId = Value(ntry, "AcctSvcrRef") ?? Value(ntry, "NtryRef");
        return new ParsedEntry(date.Value, amount, amt.Attribute("Ccy")?.Value, payee, memo, bankId, [], line);
    }

    private static DateOnly? Date(XElement? holder)
    {
        var text = Value(holder, "Dt") ?? Value(holder, "DtTm") ?? Value(Child(holder, "Dt"), "DtTm");
        return text is not null && text.Length >= 10
            && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : null;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static IEnumerable<XElement> Children(XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName == name);

    private static string? Value(XElement? parent, string name) =>
        Child(parent, name)?.Value.Trim() is { Length: > 0 } v ? v : null;
}

/// <summary>XML loading with DTDs prohibited and no resolver: no entity expansion, no external fetches.</summary>
public static class SafeXml
{
    /// <summary>Real statements nest about 15 deep; a deeper file is hostile or broken (and deep trees make the
    /// element searches quadratic).</summary>
    public const int MaxDepth = 256;

    public static XDocument Load(Stream stream, ReaderOptions options)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
        };
        var bytes = TextDecoding.ReadAll(stream);
        XmlReader Open() => options.Encoding is not null
            ? XmlReader.Create(new StreamReader(new MemoryStream(bytes, writable: false), options.Encoding), settings)
            : XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
        try
        {
            using (var scan = Open())
            {
                while (scan.Read())
                {
                    if (scan.Depth > MaxDepth)
                    {
                        throw new ImportRefusedException(string.Create(CultureInfo.InvariantCulture,
                            $"The XML nests elements more than {MaxDepth} deep (line {((IXmlLineInfo)scan).LineNumber}); no bank statement does, so the file is refused."));
                    }
                }
            }

            using var reader = Open();
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new ImportRefusedException("The file declares a DTD (<!DOCTYPE>); such XML files are refused for safety.");
        }
        catch (XmlException e)
        {
            throw new ImportRefusedException($"The XML is damaged and cannot be read (line {e.LineNumber}: {e.Message}).");
        }
    }
}
