using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Tests.Unit.Import;

/// <summary>Hand-made files for what the shared corpus lacks: encodings, CSV quoting and delimiters, refusals.</summary>
public sealed class EncodingAndCsvEdgeCaseTests
{
    private static StatementReadResult Read(byte[] bytes, ReaderOptions? options = null) =>
        StatementReaders.Read(new MemoryStream(bytes), "statement", options);

    private static StatementReadResult Read(string text, ReaderOptions? options = null) => Read(new UTF8Encoding(false).GetBytes(text), options);

    private static string Amount(ParsedEntry e) => e.Amount.ToString(CultureInfo.InvariantCulture);

    private const string Sample = "date;amount;payee\n2024-03-01;-1,50;Zürich Café\n";

    [Fact]
    public void Utf8WithoutBomIsRecognised()
    {
        Assert.Equal("utf-8", TextDecoding.Detect(Encoding.UTF8.GetBytes(Sample)).WebName);
        Assert.Equal("Zürich Café", Read(Sample).AllEntries.Single().Payee);
    }

    [Fact]
    public void Utf16BigEndianWithBomIsDecoded()
    {
        var bytes = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(Sample)).ToArray();

        var entry = Read(bytes).AllEntries.Single();

        Assert.Equal(("Zürich Café", "-1.50"), (entry.Payee, Amount(entry)));
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public void Utf16WithoutABomIsRecognisedByItsZeroBytes(string webName)
    {
        var encoding = TextDecoding.Resolve(webName)!;
        var bytes = encoding.GetBytes(Sample);

        Assert.Equal(encoding.WebName, TextDecoding.Detect(bytes).WebName);
        Assert.Equal("Zürich Café", Read(bytes).AllEntries.Single().Payee);
    }

    [Fact]
    public void Windows1252IsTheFallbackForWesternText()
    {
        var bytes = TextDecoding.Windows1252.GetBytes("date;amount;payee\n2024-03-01;-1,50;Crème brûlée – € 3\n");

        Assert.Equal("windows-1252", TextDecoding.Detect(bytes).WebName);
        Assert.Equal("Crème brûlée – € 3", Read(bytes).AllEntries.Single().Payee);
    }

    [Fact]
    public void CentralEuropeanIso88592IsDetectedFromItsLetters()
    {
        var latin2 = TextDecoding.Resolve("iso-8859-2")!;
        var bytes = latin2.GetBytes("date;amount;payee\n2024-03-01;-12,30;Żabka Łódź ul. Piękna\n2024-03-02;-5,00;Sklep spożywczy Gdańsk\n");

        Assert.Equal("iso-8859-2", TextDecoding.Detect(bytes).WebName);
        Assert.Equal("Żabka Łódź ul. Piękna", Read(bytes).AllEntries.First().Payee);
    }

    [Fact]
    public void CentralEuropeanWindows1250IsDetectedFromItsLetters()
    {
        var bytes = TextDecoding.Resolve("windows-1250")!.GetBytes("date;amount;payee\n2024-03-01;-12,30;Šťastný Žluťoučký kůň\n");

        Assert.Equal("windows-1250", TextDecoding.Detect(bytes).WebName);
        Assert.Equal("Šťastný Žluťoučký kůň", Read(bytes).AllEntries.Single().Payee);
    }

    [Fact]
    public void TheUserCanOverrideTheGuessForIso885915()
    {
        // € is 0xA4 in ISO-8859-15 but ¤ in Windows-1252: no byte pattern tells them apart, the user does.
        var bytes = TextDecoding.Resolve("iso-8859-15")!.GetBytes("date;amount;payee\n2024-03-01;-1,50;Prix 3 €\n");

        Assert.Equal("Prix 3 ¤", Read(bytes).AllEntries.Single().Payee);
        Assert.Equal("Prix 3 €", Read(bytes, new ReaderOptions { Encoding = TextDecoding.Resolve("iso-8859-15") }).AllEntries.Single().Payee);
    }

    [Fact]
    public void TheOfferedEncodingsAllResolveAndCoverTheIssuesList()
    {
        var names = TextDecoding.Offered.Select(o => o.WebName).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(TextDecoding.Offered, o =>
        {
            Assert.NotNull(TextDecoding.Resolve(o.WebName));
            Assert.False(string.IsNullOrWhiteSpace(o.DisplayName));
        });
        Assert.Superset(new HashSet<string>(["utf-8", "utf-16", "utf-16BE", "windows-1252", "iso-8859-1", "iso-8859-2", "iso-8859-15"]), names.ToHashSet());
        Assert.Null(TextDecoding.Resolve("no-such-encoding"));
    }

    [Fact]
    public void QuotedFieldsKeepDelimitersLineBreaksAndDoubledQuotes()
    {
        var entries = Read("date,amount,payee,memo\n2024-03-01,-1.00,\"Smith, John\",\"line one\nline two\"\n2024-03-02,-2.00,\"The \"\"Best\"\" Pub\",\n").AllEntries.ToList();

        Assert.Equal(("Smith, John", "line one\nline two"), (entries[0].Payee, entries[0].Memo));
        Assert.Equal("The \"Best\" Pub", entries[1].Payee);
        Assert.Equal(4, entries[1].SourceLine);
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public void EachCommonDelimiterIsSniffed(char delimiter)
    {
        var text = string.Join('\n', new[] { "date|amount|payee", "2024-03-01|-1.00|Alpha", "2024-03-02|-2.50|Beta" }.Select(l => l.Replace('|', delimiter))) + "\n";

        var result = Read(text);

        Assert.Equal(delimiter, result.Mapping!.Delimiter);
        Assert.Equal(["-1.00", "-2.50"], result.AllEntries.Select(Amount));
        Assert.Equal(["Alpha", "Beta"], result.AllEntries.Select(e => e.Payee));
    }

    [Fact]
    public void AFileWithoutAHeaderRowIsReadFromItsData()
    {
        var result = Read("2024-03-01,-1.00,Alpha\n2024-03-02,12.50,Beta\n");

        Assert.False(result.Mapping!.HasHeader);
        Assert.Equal(["-1.00", "12.50"], result.AllEntries.Select(Amount));
        Assert.Equal(new DateOnly(2024, 3, 1), result.AllEntries.First().Date);
    }

    [Theory]
    [InlineData("date;amount;payee\n01.03.2024;1.234,56;A\n02.03.2024;-0,99;B\n", "1234.56")]
    [InlineData("date,amount,payee\n03/01/2024,\"1,234.56\",A\n03/02/2024,-0.99,B\n", "1234.56")]
    [InlineData("date,amount,payee\n2024-03-01,-0,A\n2024-03-02,-0.99,B\n", "0")]
    public void ThousandsSeparatorsEitherWayAndNegativeZero(string csv, string first) =>
        Assert.Equal(first, Amount(Read(csv).AllEntries.First()));

    [Fact]
    public void CrOnlyEndingsWithABomAndTrailingBlankLines()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("date,amount,payee\r2024-03-01,-1.00,A\r2024-03-02,-2.00,B\r\r\r")).ToArray();

        var result = Read(bytes);

        Assert.Equal(["A", "B"], result.AllEntries.Select(e => e.Payee));
        Assert.Equal(0, result.Mapping!.Date);
    }

    [Fact]
    public void ACsvWhoseRowsAllFailIsRefusedSayingSo()
    {
        var refusal = Assert.Throws<ImportRefusedException>(() => Read("date,amount,payee\nnot a date,1.00,A\nnever,2.00,B\n",
            new ReaderOptions { CsvMapping = new CsvMapping { Date = 0, Amount = 1, Payee = 2 } }));

        Assert.Contains("0 usable rows", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("is not a date", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvestmentQifIsRefusedClearly()
    {
        var refusal = Assert.Throws<ImportRefusedException>(() => Read("!Type:Invst\nD01/02/2024\nNBuy\nYACME\nI10.00\nQ5\nT-50.00\n^\n"));

        Assert.Contains("investment QIF", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnXmlOfxWithInvestmentStatementIsRefusedClearly()
    {
        const string ofx = """<?xml version="1.0"?><?OFX OFXHEADER="200" VERSION="200"?><OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD</CURDEF><INVTRANLIST></INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>""";

        var refusal = Assert.Throws<ImportRefusedException>(() => Read(ofx));

        Assert.Contains("investment", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOfxXmlWithADtdIsRefused()
    {
        const string ofx = """<?xml version="1.0"?><!DOCTYPE OFX SYSTEM "http://example.com/ofx.dtd"><?OFX OFXHEADER="200" VERSION="200"?><OFX><BANKMSGSRSV1></BANKMSGSRSV1></OFX>""";

        var refusal = Assert.Throws<ImportRefusedException>(() => Read(ofx));

        Assert.Contains("DTD", refusal.Message, StringComparison.Ordinal);
    }
}
