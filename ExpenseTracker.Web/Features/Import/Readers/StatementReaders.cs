namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>
/// Picks the reader by the file's content (the name is only a hint), after refusing binary junk. Order matters:
/// XML formats and the tagged formats are recognised by markers; CSV takes whatever text is left.
/// </summary>
public static class StatementReaders
{
    private const int SniffLength = 4096;

    public static IReadOnlyList<IStatementReader> All { get; } =
        [new XlsxStatementReader(), new OfxReader(), new CamtReader(), new Mt940Reader(), new QifReader(), new CsvStatementReader()];

    public static StatementReadResult Read(Stream stream, string? fileName, ReaderOptions? options = null)
    {
        var bytes = TextDecoding.ReadAll(stream);
        return Read(bytes, fileName, options ?? ReaderOptions.Default);
    }

    public static StatementReadResult Read(byte[] bytes, string? fileName, ReaderOptions options)
    {
        if (bytes.Length == 0 || bytes.All(b => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t'))
        {
            throw new ImportRefusedException("The file is empty.");
        }

        var head = bytes.AsSpan(0, Math.Min(bytes.Length, SniffLength));
        // All[0] is the XLSX reader: a workbook is a zip, binary by nature. A chosen UTF-16/32 encoding has NUL bytes too.
        if (options.Encoding is not { IsSingleByte: false, WebName: not "utf-8" } && LooksBinary(head) && !All[0].CanRead(head, fileName))
        {
            throw new ImportRefusedException("This is not a bank statement: the file holds binary data, not text.");
        }

        var reader = Pick(head, fileName);
        return WithUniqueIds(reader.Read(new MemoryStream(bytes, writable: false), options));
    }

    /// <summary>
    /// A bank id that repeats within one statement cannot tell entries apart, so the importer must not trust it:
    /// such ids are dropped (the importer then falls back to its fingerprint) with a warning.
    /// </summary>
    private static StatementReadResult WithUniqueIds(StatementReadResult result)
    {
        var warnings = result.Warnings.ToList();
        var statements = result.Statements.Select(statement =>
        {
            var repeated = statement.Entries.Where(e => e.BankId is not null).GroupBy(e => e.BankId, StringComparer.Ordinal)
                .Where(g => g.Count() > 1).Select(g => g.Key!).ToHashSet(StringComparer.Ordinal);
            if (repeated.Count == 0)
            {
                return statement;
            }

            warnings.Add($"The bank id '{repeated.First()}'{(repeated.Count > 1 ? $" and {repeated.Count - 1} more" : string.Empty)} repeats within one statement; those rows are matched by date, amount and payee instead.");
            return statement with
            {
                Entries = [.. statement.Entries.Select(e => e.BankId is not null && repeated.Contains(e.BankId) ? e with { BankId = null } : e)],
            };
        }).ToList();
        return result with { Statements = statements, Warnings = warnings };
    }

    public static IStatementReader Pick(ReadOnlySpan<byte> head, string? fileName)
    {
        var text = TextDecoding.Sniff(head).TrimStart('\uFEFF', '\u00EF', '\u00BB', '\u00BF', ' ', '\r', '\n', '\t');
        foreach (var reader in All.Take(All.Count - 1))
        {
            if (reader.CanRead(head, fileName))
            {
                return reader;
            }
        }

        return text.StartsWith('<') ? new UnknownXml() : All[^1];
    }

    /// <summary>NUL bytes (outside UTF-16) or many control characters mean binary data.</summary>
    private static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        if (TextDecoding.HasUtf16Bom(head) || TextDecoding.Utf16WithoutBom(head) is not null)
        {
            return false;
        }

        var control = 0;
        foreach (var b in head)
        {
            if (b == 0)
            {
                return true;
            }

            // SOH/ETX frame SWIFT messages (mBank); tab, CR, LF, FF and EOF (0x1A) occur in text exports.
            if (b < 0x20 && b is not (0x01 or 0x03 or 0x09 or 0x0A or 0x0C or 0x0D or 0x1A))
            {
                control++;
            }
        }

        return control > head.Length / 100;
    }

    private sealed class UnknownXml : IStatementReader
    {
        public string Format => "XML";

        public bool CanRead(ReadOnlySpan<byte> head, string? fileName) => false;

        public StatementReadResult Read(Stream stream, ReaderOptions options)
        {
            // Loading through SafeXml first turns a DTD into the DTD refusal rather than a format one.
            SafeXml.Load(stream, options);
            throw new ImportRefusedException("This XML file is neither OFX nor a CAMT bank statement.");
        }
    }
}
