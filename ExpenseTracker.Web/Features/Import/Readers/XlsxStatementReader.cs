using System.Globalization;
using System.IO.Compression;
using System.Text;
using MiniExcelLibs;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>
/// Excel workbooks (XLSX): the first sheet or <see cref="ReaderOptions.SheetName"/>. Typed cells become text the CSV
/// mapping understands (dates in the mapping's date format or ISO, numbers as invariant decimals), then the rows go
/// through the CSV reader's row logic. The zip is inspected before MiniExcel opens it, so a zip bomb is refused
/// without ever being inflated beyond the bounds.
/// </summary>
public sealed class XlsxStatementReader : IStatementReader
{
    /// <summary>Bounds for the inflated workbook; a 20 MB upload of real sheet XML stays far below them.</summary>
    public const long MaxUncompressedBytes = 200L * 1024 * 1024;
    public const int MaxEntries = 1000;
    public const int MaxCompressionRatio = 100;

    // Small parts (styles, shared strings of a few rows) compress extremely well without being a threat.
    private const long RatioCheckFromBytes = 1024 * 1024;

    public string Format => "XLSX";

    public bool CanRead(ReadOnlySpan<byte> head, string? fileName) => IsZip(head) && (HasWorkbookMarkers(head) ||
        (fileName?.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ?? false));

    public StatementReadResult Read(Stream stream, ReaderOptions options)
    {
        var table = ReadTable(TextDecoding.ReadAll(stream), options.SheetName, options.CsvMapping);
        if (table.Rows.Count == 0)
        {
            throw new ImportRefusedException($"The sheet '{table.Sheet}' is empty: it has no rows to import.");
        }

        return CsvStatementReader.ReadTable(Format, table.Rows, null, options);
    }

    public static bool IsZip(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;

    private static bool HasWorkbookMarkers(ReadOnlySpan<byte> head)
    {
        var text = Encoding.Latin1.GetString(head);
        return text.Contains("[Content_Types].xml", StringComparison.Ordinal) || text.Contains("xl/", StringComparison.Ordinal);
    }

    /// <summary>The cells of one sheet as text rows (blank rows dropped), with the workbook's sheet names.</summary>
    internal sealed record XlsxTable(IReadOnlyList<string> SheetNames, string Sheet, IReadOnlyList<CsvStatementReader.CsvRow> Rows);

    /// <summary>
    /// Checks the zip, picks the sheet and converts each cell to text. <paramref name="mapping"/> decides how typed
    /// cells are written: dates in its <see cref="CsvMapping.DateFormat"/> (else yyyy-MM-dd), numbers with its decimal
    /// separator (else '.'), so the CSV row logic parses them back exactly.
    /// </summary>
    internal static XlsxTable ReadTable(byte[] bytes, string? sheetName, CsvMapping? mapping, int? maxRows = null)
    {
        CheckZip(bytes);
        List<string> sheets;
        try
        {
            using var names = new MemoryStream(bytes, writable: false);
            sheets = MiniExcel.GetSheetNames(names);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw new ImportRefusedException("This Excel file is damaged or not a workbook: " + e.Message);
        }

        if (sheets.Count == 0)
        {
            throw new ImportRefusedException("This Excel workbook has no sheets.");
        }

        var sheet = sheetName is null ? sheets[0] : sheets.FirstOrDefault(s => s == sheetName)
            ?? throw new ImportRefusedException($"The workbook has no sheet named '{sheetName}'; it has {string.Join(", ", sheets.Select(s => $"'{s}'"))}.");

        var rows = new List<CsvStatementReader.CsvRow>();
        try
        {
            using var data = new MemoryStream(bytes, writable: false);
            var line = 0;
            foreach (IDictionary<string, object?> row in MiniExcel.Query(data, useHeaderRow: false, sheetName: sheet, excelType: ExcelType.XLSX))
            {
                line++;
                var cells = row.Values.Select(v => CellText(v, mapping)).ToList();
                while (cells.Count > 0 && cells[^1].Length == 0)
                {
                    cells.RemoveAt(cells.Count - 1);
                }

                if (cells.Count > 0)
                {
                    rows.Add(new CsvStatementReader.CsvRow(line, cells));
                    if (rows.Count >= maxRows)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw new ImportRefusedException($"The sheet '{sheet}' could not be read: {e.Message}");
        }

        return new XlsxTable(sheets, sheet, rows);
    }

    /// <summary>
    /// Refuses a zip that would inflate too far: too many entries, a declared size or ratio beyond the bounds, or
    /// (since headers can lie) more bytes than declared or allowed when actually inflated, counted as it streams.
    /// </summary>
    internal static void CheckZip(byte[] bytes)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            // The central directory is read on first use of Entries: a damaged one throws there, not in the constructor.
            _ = archive.Entries.Count;
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException)
        {
            throw new ImportRefusedException("This Excel file is damaged: it is not a readable zip archive.");
        }

        using (archive)
        {
            if (archive.Entries.Count > MaxEntries)
            {
                throw new ImportRefusedException(string.Create(CultureInfo.InvariantCulture,
                    $"This Excel file is refused: it holds {archive.Entries.Count:N0} parts (at most {MaxEntries:N0} are accepted)."));
            }

            if (archive.GetEntry("xl/workbook.xml") is null)
            {
                throw new ImportRefusedException("This zip file is not an Excel workbook (.xlsx).");
            }

            long declared = 0;
            foreach (var entry in archive.Entries)
            {
                declared += entry.Length;
                if (declared > MaxUncompressedBytes || TooCompressed(entry.Length, entry.CompressedLength))
                {
                    throw Bomb();
                }
            }

            var buffer = new byte[81920];
            long inflated = 0;
            foreach (var entry in archive.Entries)
            {
                long entryBytes = 0;
                try
                {
                    using var content = entry.Open();
                    int read;
                    while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        entryBytes += read;
                        inflated += read;
                        if (inflated > MaxUncompressedBytes || entryBytes > entry.Length || TooCompressed(entryBytes, entry.CompressedLength))
                        {
                            throw Bomb();
                        }
                    }
                }
                catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException)
                {
                    // A flipped byte can name an unknown compression method (NotSupportedException) or cut a part short.
                    throw new ImportRefusedException("This Excel file is damaged: a part of it cannot be unpacked.");
                }
            }
        }
    }

    /// <summary>
    /// What MiniExcel throws on a damaged workbook varies with the damage (zip, XML, index and format errors, found by
    /// the fuzz suite); the zip was already bounded by <see cref="CheckZip"/>, so any of its failures means "damaged".
    /// </summary>
    private static bool IsDamage(Exception e) => e is not (ImportRefusedException or OutOfMemoryException or OperationCanceledException);

    private static bool TooCompressed(long length, long compressedLength) =>
        length > RatioCheckFromBytes && length > Math.Max(compressedLength, 1) * MaxCompressionRatio;

    private static ImportRefusedException Bomb() => new(string.Create(CultureInfo.InvariantCulture,
        $"This Excel file is refused: it would unpack to more than {MaxUncompressedBytes / (1024 * 1024)} MB or is compressed more than {MaxCompressionRatio}:1, as a zip bomb is."));

    private static string CellText(object? value, CsvMapping? mapping) => value switch
    {
        null => string.Empty,
        string s => s,
        DateTime d => d.ToString(mapping?.DateFormat ?? "yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString(mapping?.DateFormat ?? "yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => Number((decimal)d, mapping),
        float f => Number((decimal)f, mapping),
        decimal m => Number(m, mapping),
        int or long or short or byte => Number(Convert.ToDecimal(value, CultureInfo.InvariantCulture), mapping),
        bool b => b ? "TRUE" : "FALSE",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    // (decimal)double keeps 15 significant digits, so 0.1 + 0.2 stored as 0.30000000000000004 reads as 0.3.
    private static string Number(decimal value, CsvMapping? mapping)
    {
        var text = Values.NoNegativeZero(value).ToString(CultureInfo.InvariantCulture);
        return mapping?.DecimalSeparator == ',' ? text.Replace('.', ',') : text;
    }
}
