using System.IO.Compression;
using System.Text;
using MiniExcelLibs;

namespace ExpenseTracker.Tests.Unit.Import;

/// <summary>Workbooks made with MiniExcel for the XLSX reader and sampling tests, and hostile zips.</summary>
internal static class XlsxFiles
{
    /// <summary>One sheet per entry, each a list of rows; the first row of each is written as the header.</summary>
    public static byte[] Workbook(params (string Sheet, object?[][] Rows)[] sheets)
    {
        var book = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (sheet, rows) in sheets)
        {
            var header = rows[0];
            book[sheet] = rows.Skip(1).Select(r =>
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++)
                {
                    row[(string)header[i]!] = i < r.Length ? r[i] : null;
                }

                return row;
            }).ToList();
        }

        using var stream = new MemoryStream();
        stream.SaveAs(book, printHeader: true, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    public static byte[] Statement() => Workbook(("Umsätze",
    [
        ["Date", "Payee", "Amount", "Notes"],
        [new DateTime(2024, 3, 1), "Bäckerei Müller", -12.5, "Brötchen"],
        [new DateTime(2024, 3, 2), "Salary", 2500m, null],
        [new DateTime(2024, 3, 3), "Fuel", -40.1, "Tank"],
    ]));

    /// <summary>A zip with the parts that make it look like a workbook, plus the given entries.</summary>
    public static byte[] Zip(IEnumerable<(string Name, byte[] Content)> extra, bool workbook = true)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><Types/>"));
            if (workbook)
            {
                Add(zip, "xl/workbook.xml", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><workbook/>"));
            }

            foreach (var (name, content) in extra)
            {
                Add(zip, name, content);
            }
        }

        return stream.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        entry.Write(content);
    }
}
