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
        StatementBalance? opening = null, closing = null;
        foreach (var bal in Children(stmt, "Bal"))
        {
            var code = bal.Descendants().FirstOrDefault(e => e.Name.LocalName == "Cd")?.Value.Trim();
            var balance = Balance(bal);
            if (balance is null)
            {
                continue;
            }

            if (code is "OPBD" or "PRCD" && (opening is null || code == "OPBD"))
            {
                opening = balance;
            }
            else if (code is "CLBD")
            {
                closing = balance;
            }
        }

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
    public static XDocument Load(Stream stream, ReaderOptions options)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
        };
        try
        {
            if (options.Encoding is not null)
            {
                using var text = new StreamReader(stream, options.Encoding);
                using var withEncoding = XmlReader.Create(text, settings);
                return XDocument.Load(withEncoding, LoadOptions.SetLineInfo);
            }

            using var reader = XmlReader.Create(stream, settings);
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
