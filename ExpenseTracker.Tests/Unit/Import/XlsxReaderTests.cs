using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Tests.Unit.Import;

public sealed class XlsxReaderTests
{
    private static StatementReadResult Read(byte[] bytes, ReaderOptions? options = null, string fileName = "statement.xlsx") =>
        StatementReaders.Read(bytes, fileName, options ?? ReaderOptions.Default);

    private static string Amount(ParsedEntry e) => e.Amount.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void TypedDatesAndNumbersOfTheFirstSheetBecomeEntries()
    {
        var result = Read(XlsxFiles.Statement());

        Assert.Equal("XLSX", result.Format);
        var entries = result.AllEntries.ToList();
        Assert.Equal([new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 2), new DateOnly(2024, 3, 3)], entries.Select(e => e.Date));
        Assert.Equal(["-12.5", "2500", "-40.1"], entries.Select(Amount));
        Assert.Equal(["Bäckerei Müller", "Salary", "Fuel"], entries.Select(e => e.Payee));
        Assert.Equal(["Brötchen", null, "Tank"], entries.Select(e => e.Memo));
        Assert.Equal([2, 3, 4], entries.Select(e => e.SourceLine));
    }

    [Fact]
    public void TheFileIsRecognisedByItsContentNotItsName()
    {
        var result = Read(XlsxFiles.Statement(), fileName: "download.bin");

        Assert.Equal("XLSX", result.Format);
        Assert.Equal(3, result.AllEntries.Count());
    }

    [Fact]
    public void AChosenSheetIsReadAndAnUnknownOneIsRefusedNamingTheSheets()
    {
        var bytes = XlsxFiles.Workbook(
            ("Summary", [["Note"], ["nothing to see"]]),
            ("Card", [["Date", "Amount", "Payee"], [new DateTime(2024, 5, 6), -9.99, "Cinema"]]));

        var entry = Read(bytes, new ReaderOptions { SheetName = "Card" }).AllEntries.Single();
        Assert.Equal((new DateOnly(2024, 5, 6), "-9.99", "Cinema"), (entry.Date, Amount(entry), entry.Payee));

        var refused = Assert.Throws<ImportRefusedException>(() => Read(bytes, new ReaderOptions { SheetName = "Savings" }));
        Assert.Contains("'Savings'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'Summary', 'Card'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextCellsFollowTheMappingsDateFormatAndDecimalComma()
    {
        var bytes = XlsxFiles.Workbook(("Export",
        [
            ["Buchungstag", "Empfänger", "Betrag"],
            ["05.01.2024", "Miete", "-1.234,56"],
            ["06.01.2024", "Bäcker", "3,20"],
        ]));
        var mapping = new CsvMapping { Date = 0, Payee = 1, Amount = 2, DateFormat = "dd.MM.yyyy", DecimalSeparator = ',' };

        var entries = Read(bytes, new ReaderOptions { CsvMapping = mapping }).AllEntries.ToList();

        Assert.Equal([new DateOnly(2024, 1, 5), new DateOnly(2024, 1, 6)], entries.Select(e => e.Date));
        Assert.Equal(["-1234.56", "3.20"], entries.Select(Amount));
    }

    [Fact]
    public void TypedCellsAreWrittenInTheChosenDateFormatAndDecimalSeparatorSoTheyParseBack()
    {
        var mapping = new CsvMapping { Date = 0, Payee = 1, Amount = 2, DateFormat = "d.M.yyyy", DecimalSeparator = ',' };

        var entries = Read(XlsxFiles.Statement(), new ReaderOptions { CsvMapping = mapping }).AllEntries.ToList();

        Assert.Equal(new DateOnly(2024, 3, 1), entries[0].Date);
        Assert.Equal(["-12.5", "2500", "-40.1"], entries.Select(Amount));
    }

    [Fact]
    public void ABadCellIsReportedWithItsSheetRowAndColumn()
    {
        var bytes = XlsxFiles.Workbook(("S",
        [
            ["Date", "Payee", "Amount"],
            [new DateTime(2024, 3, 1), "Shop", -1.0],
            ["soon", "Shop", -2.0],
        ]));

        var result = Read(bytes);

        Assert.Single(result.AllEntries);
        Assert.Contains(result.Warnings, w => w.Contains("Row 3, column 1", StringComparison.Ordinal) && w.Contains("'soon'", StringComparison.Ordinal));
    }

    [Fact]
    public void AZipBombIsRefusedBeforeItIsUnpacked()
    {
        // 64 MB of zeros deflate to about 64 KB: a ratio near 1000:1.
        var bomb = XlsxFiles.Zip([("xl/worksheets/sheet1.xml", new byte[64 * 1024 * 1024])]);
        Assert.True(bomb.Length < 1024 * 1024);

        var refused = Assert.Throws<ImportRefusedException>(() => Read(bomb));

        Assert.Contains("zip bomb", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AZipWithTooManyPartsIsRefused()
    {
        var parts = Enumerable.Range(0, XlsxStatementReader.MaxEntries).Select(i => ($"xl/media/p{i}.bin", new byte[] { 1 }));

        var refused = Assert.Throws<ImportRefusedException>(() => Read(XlsxFiles.Zip(parts)));

        Assert.Contains("parts", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AZipThatIsNotAWorkbookIsRefused()
    {
        var docx = XlsxFiles.Zip([("word/document.xml", Encoding.UTF8.GetBytes("<document/>"))], workbook: false);

        var refused = Assert.Throws<ImportRefusedException>(() => Read(docx, fileName: "letter.xlsx"));

        Assert.Contains("not an Excel workbook", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedWorkbookIsRefusedAsDamaged()
    {
        var bytes = XlsxFiles.Statement();

        var refused = Assert.Throws<ImportRefusedException>(() => Read(bytes[..(bytes.Length / 2)]));

        Assert.Contains("damaged", refused.Message, StringComparison.Ordinal);
    }
}
