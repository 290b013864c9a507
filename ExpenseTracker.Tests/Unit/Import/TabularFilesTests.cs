using System.Text;
using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Tests.Unit.Import;

public sealed class TabularFilesTests
{
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    [Fact]
    public void ACsvSampleShowsHeadersRowsDelimiterEncodingAndTheGuessedMapping()
    {
        var bytes = Windows1252.GetBytes("Buchungstag;Empfänger;Betrag\r\n05.01.2024;Bäcker;-3,20\r\n16.01.2024;Miete;-1.234,56\r\n17.01.2024;Lohn;2.500,00\r\n");

        var sample = TabularFiles.Sample(bytes, "umsatz.csv", ReaderOptions.Default);

        Assert.Equal(["Buchungstag", "Empfänger", "Betrag"], sample.Headers);
        Assert.Equal(3, sample.TotalRows);
        Assert.Equal(["05.01.2024", "Bäcker", "-3,20"], sample.Rows[0]);
        Assert.Equal(';', sample.Delimiter);
        Assert.Equal("windows-1252", sample.EncodingName);
        Assert.Empty(sample.SheetNames);
        var m = sample.GuessedMapping;
        Assert.Equal((0, 1, 2), (m.Date, m.Payee, m.Amount));
        Assert.Equal("d.M.yyyy", m.DateFormat);
        Assert.Equal(',', m.DecimalSeparator);
        Assert.True(m.HasHeader);
    }

    [Fact]
    public void WithoutAHeaderEveryRowIsData()
    {
        var bytes = Encoding.UTF8.GetBytes("2024-03-01,-12.50,Shop\n2024-03-02,-7.25,Cafe\n");

        var sample = TabularFiles.Sample(bytes, "x.csv", ReaderOptions.Default);

        Assert.Null(sample.Headers);
        Assert.Equal(2, sample.TotalRows);
        Assert.Equal("utf-8", sample.EncodingName);
        Assert.Equal(("yyyy-M-d", (int?)0, (int?)1), (sample.GuessedMapping.DateFormat, sample.GuessedMapping.Date, sample.GuessedMapping.Amount));
    }

    [Fact]
    public void TheUserCanOverrideTheEncodingTheDelimiterAndTheHeaderRow()
    {
        var bytes = Encoding.UTF8.GetBytes("Date,Payee,Amount\n2024-03-01,Café,-1.00\n");

        var sample = TabularFiles.Sample(bytes, "x.csv", new ReaderOptions
        {
            Encoding = Windows1252,
            CsvMapping = new CsvMapping { Delimiter = ';', HasHeader = false },
        });

        Assert.Equal("Windows-1252", sample.EncodingName, ignoreCase: true);
        Assert.Equal(';', sample.Delimiter);
        Assert.Null(sample.Headers);
        Assert.Equal(2, sample.TotalRows);
        Assert.Equal("2024-03-01,CafÃ©,-1.00", Assert.Single(sample.Rows[1]));
    }

    [Fact]
    public void OnlyTheFirstRowsAreSampledButAllAreCounted()
    {
        var text = "Date,Amount\n" + string.Concat(Enumerable.Range(1, 50).Select(i => $"2024-01-{(i % 28) + 1:00},-{i}.00\n"));

        var sample = TabularFiles.Sample(Encoding.UTF8.GetBytes(text), "x.csv", ReaderOptions.Default, maxRows: 5);

        Assert.Equal(5, sample.Rows.Count);
        Assert.Equal(50, sample.TotalRows);
    }

    [Fact]
    public void Utf16WithABomIsDetected()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Date\tAmount\n2024-03-01\t-1.00\n")).ToArray();

        var sample = TabularFiles.Sample(bytes, "x.tsv", ReaderOptions.Default);

        Assert.Equal("utf-16", sample.EncodingName);
        Assert.Equal('\t', sample.Delimiter);
        Assert.Equal(["Date", "Amount"], sample.Headers);
    }

    [Fact]
    public void AWorkbookSampleListsItsSheetsAndWritesTypedDatesAsIsoDates()
    {
        var bytes = XlsxFiles.Workbook(
            ("Card", [["Date", "Payee", "Amount"], [new DateTime(2024, 5, 6), "Cinema", -9.99], [new DateTime(2024, 5, 7), "Cafe", -3.5]]),
            ("Savings", [["Date", "Amount"], [new DateTime(2024, 1, 1), 100]]));

        var first = TabularFiles.Sample(bytes, "book.xlsx", ReaderOptions.Default);
        var second = TabularFiles.Sample(bytes, "book.xlsx", new ReaderOptions { SheetName = "Savings" });

        Assert.Equal(["Card", "Savings"], first.SheetNames);
        Assert.Null(first.Delimiter);
        Assert.Null(first.EncodingName);
        Assert.Equal(["Date", "Payee", "Amount"], first.Headers);
        Assert.Equal(["2024-05-06", "Cinema", "-9.99"], first.Rows[0]);
        Assert.Equal("yyyy-M-d", first.GuessedMapping.DateFormat);
        Assert.Equal(2, first.TotalRows);
        Assert.Equal(["Date", "Amount"], second.Headers);
        Assert.Equal(1, second.TotalRows);
    }

    [Fact]
    public void BinaryJunkIsRefused()
    {
        var junk = Enumerable.Range(0, 2000).Select(i => (byte)(i * 7 % 256)).ToArray();

        Assert.Throws<ImportRefusedException>(() => TabularFiles.Sample(junk, "x.csv", ReaderOptions.Default));
    }

    [Theory]
    [InlineData("01/02/2024|13/02/2024", "d/M/yyyy")]
    [InlineData("01/02/2024|02/13/2024", "M/d/yyyy")]
    [InlineData("01/02/2024|03/04/2024", "M/d/yyyy")]
    [InlineData("2024-01-02|2024-12-31", "yyyy-M-d")]
    [InlineData("5.1.24|31.12.24", "d.M.yy")]
    [InlineData("05-Jan-2024|31-Dec-2024", "d-MMM-yyyy")]
    [InlineData("2024-01-02|yesterday", null)]
    public void TheDateFormatIsGuessedFromTheColumn(string values, string? expected)
    {
        Assert.Equal(expected, DateFormats.Guess(values.Split('|')));
    }
}
