using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Tests.Unit.Import;

public sealed class ReaderEdgeCaseTests
{
    private static StatementReadResult Read(string text, ReaderOptions? options = null, Encoding? encoding = null) =>
        Read((encoding ?? new UTF8Encoding(false)).GetBytes(text), options);

    private static StatementReadResult Read(byte[] bytes, ReaderOptions? options = null) =>
        StatementReaders.Read(new MemoryStream(bytes), "statement", options);

    private static string Amount(ParsedEntry e) => e.Amount.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void NegativeZeroIsReadAsPlainZero()
    {
        var entry = Read("date,amount,payee\n2024-03-01,-0.00,Refund\n").AllEntries.Single();

        Assert.Equal("0.00", Amount(entry));
    }

    [Theory]
    [InlineData("\"1,234.56\"", "1234.56")]
    [InlineData("\"-1,234,567.89\"", "-1234567.89")]
    [InlineData("(45.10)", "-45.10")]
    [InlineData("$12.50", "12.50")]
    public void ThousandsSeparatorsAndSignsAreUnderstood(string cell, string expected)
    {
        var entry = Read($"date,amount,payee\n2024-03-01,{cell},Shop\n").AllEntries.Single();

        Assert.Equal(expected, Amount(entry));
    }

    [Fact]
    public void DecimalCommaWithDotThousandsIsGuessedFromTheColumn()
    {
        var entries = Read("Datum;Betrag;Empfänger\n01.03.2024;-1.234,56;Miete\n02.03.2024;12,5;Bäcker\n").AllEntries.ToList();

        Assert.Equal(["-1234.56", "12.5"], entries.Select(Amount));
        Assert.Equal(new DateOnly(2024, 3, 1), entries[0].Date);
    }

    [Fact]
    public void ApostropheThousandsAsSwissBanksWriteThem()
    {
        var entry = Read("Date;Amount;Payee\n31.03.2019;-11'373.94;UBS\n").AllEntries.Single();

        Assert.Equal("-11373.94", Amount(entry));
    }

    [Theory]
    [InlineData(DateOrder.DayMonthYear, 2024, 2, 1)]
    [InlineData(DateOrder.MonthDayYear, 2024, 1, 2)]
    public void AmbiguousDatesFollowTheChosenOrder(DateOrder order, int year, int month, int day)
    {
        var entry = Read("date,amount,payee\n01/02/2024,-5.00,Cafe\n", new ReaderOptions { DateOrder = order }).AllEntries.Single();

        Assert.Equal(new DateOnly(year, month, day), entry.Date);
    }

    [Fact]
    public void AmbiguousDatesWithoutAChoiceAreReadMonthFirstWithAWarning()
    {
        var result = Read("date,amount,payee\n01/02/2024,-5.00,Cafe\n");

        Assert.Equal(new DateOnly(2024, 1, 2), result.AllEntries.Single().Date);
        Assert.Contains(result.Warnings, w => w.Contains("ambiguous", StringComparison.Ordinal));
    }

    [Fact]
    public void OneDayAboveTwelveSettlesTheOrderForTheWholeColumn()
    {
        var entries = Read("date,amount,payee\n01/02/2024,-5.00,A\n25/02/2024,-6.00,B\n").AllEntries.ToList();

        Assert.Equal(new DateOnly(2024, 2, 1), entries[0].Date);
    }

    [Fact]
    public void CrOnlyLineEndingsSplitRows()
    {
        var entries = Read("date,amount,payee\r2024-03-01,-1.00,A\r2024-03-02,-2.00,B").AllEntries.ToList();

        Assert.Equal(2, entries.Count);
        Assert.Equal("B", entries[1].Payee);
    }

    [Fact]
    public void ByteOrderMarkDoesNotLeakIntoTheFirstHeader()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("date,amount,payee\n2024-03-01,-1.00,Café\n")).ToArray();

        var result = Read(bytes);

        Assert.Equal(0, result.Mapping!.Date);
        Assert.Equal("Café", result.AllEntries.Single().Payee);
    }

    [Fact]
    public void Utf16WithBomIsDecoded()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("date\tamount\tpayee\n2024-03-01\t-1.00\tZürich\n")).ToArray();

        Assert.Equal("Zürich", Read(bytes).AllEntries.Single().Payee);
    }

    [Fact]
    public void InvalidUtf8FallsBackToWindows1252()
    {
        var bytes = TextDecoding.Windows1252.GetBytes("date;amount;payee\n2024-03-01;-1,00;Bäcker €\n");

        Assert.Equal("Bäcker €", Read(bytes).AllEntries.Single().Payee);
    }

    [Fact]
    public void AnExplicitEncodingOverridesDetection()
    {
        var bytes = Encoding.Latin1.GetBytes("date,amount,payee\n2024-03-01,-1.00,Caf\u00e9\n");

        var entry = Read(bytes, new ReaderOptions { Encoding = Encoding.Latin1 }).AllEntries.Single();

        Assert.Equal("Café", entry.Payee);
    }

    [Fact]
    public void TrailingBlankLinesAreIgnored()
    {
        var result = Read("date,amount,payee\n2024-03-01,-1.00,A\n\n\n   \n");

        Assert.Single(result.AllEntries);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void DebitAndCreditColumnsGiveSignedAmounts()
    {
        var entries = Read("Date,Description,Debit,Credit\n2024-03-01,Rent,800.00,\n2024-03-02,Salary,,2500.00\n").AllEntries.ToList();

        Assert.Equal(["-800.00", "2500.00"], entries.Select(Amount));
    }

    [Fact]
    public void AGivenMappingIsUsedAsIs()
    {
        var mapping = new CsvMapping { Date = 2, Amount = 0, Payee = 1, DateFormat = "dd.MM.yyyy", DecimalSeparator = ',', HasHeader = false, Delimiter = ';' };

        var entry = Read("-12,30;Kiosk;05.01.2024\n", new ReaderOptions { CsvMapping = mapping }).AllEntries.Single();

        Assert.Equal((new DateOnly(2024, 1, 5), "-12.30", "Kiosk"), (entry.Date, Amount(entry), entry.Payee));
    }

    [Fact]
    public void ACsvWithNoUsableRowsIsRefused()
    {
        var mapping = new CsvMapping { Date = 0, Amount = 1, Payee = 2 };

        var refusal = Assert.Throws<ImportRefusedException>(() => Read("date,amount,payee\nsoon,lots,Shop\n", new ReaderOptions { CsvMapping = mapping }));

        Assert.Contains("0 usable rows", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFileIsRefused() =>
        Assert.Throws<ImportRefusedException>(() => Read([]));

    [Fact]
    public void BinaryJunkIsRefused()
    {
        var junk = new byte[2048];
        new Random(7).NextBytes(junk);

        var refusal = Assert.Throws<ImportRefusedException>(() => Read(junk));

        Assert.Contains("binary", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void XmlWithADtdIsRefused()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>&lol2;</Stmt></BkToCstmrStmt></Document>
            """;

        var refusal = Assert.Throws<ImportRefusedException>(() => Read(xml));

        Assert.Contains("DTD", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherXmlIsRefused()
    {
        var refusal = Assert.Throws<ImportRefusedException>(() => Read("<?xml version=\"1.0\"?><html><body>hi</body></html>"));

        Assert.Contains("neither OFX nor", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvestmentOfxIsRefused()
    {
        const string ofx = "OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD<INVTRANLIST><BUYSTOCK><INVBUY><UNITS>10</INVBUY></BUYSTOCK></INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>";

        var refusal = Assert.Throws<ImportRefusedException>(() => Read(ofx));

        Assert.Contains("investment", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OfxSgmlWithUnclosedLeavesAndCommaDecimalsReads()
    {
        const string ofx = "OFXHEADER:100\nDATA:OFXSGML\nCHARSET:1252\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>FR76 123<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
            + "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240301<TRNAMT>-12,50<FITID>A1<NAME>Boulangerie &amp; Co<MEMO></STMTTRN>"
            + "</BANKTRANLIST><LEDGERBAL><BALAMT>100.00<DTASOF>20240301</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";

        var statement = Read(ofx).Statements.Single();

        var entry = statement.Entries.Single();
        Assert.Equal(("-12.50", "Boulangerie & Co", "A1", (string?)null), (Amount(entry), entry.Payee, entry.BankId, entry.Memo));
        Assert.Equal(("FR76 123", "EUR", 100.00m), (statement.Account, statement.Currency, statement.Closing!.Amount));
    }

    [Fact]
    public void QifApostropheYearsAndDayFirstFiles()
    {
        var entries = Read("!Type:Bank\nD1/ 1'04\nT-5.00\nPA\n^\nD25/12/2023\nT-6.00\nPB\n^\n").AllEntries.ToList();

        Assert.Equal(new DateOnly(2004, 1, 1), entries[0].Date);
        Assert.Equal(new DateOnly(2023, 12, 25), entries[1].Date);
    }

    [Fact]
    public void Mt940ReversalsAndCommaAmounts()
    {
        const string mt940 = ":20:X\n:25:DE00123\n:28C:1\n:60F:C240301EUR100,00\n:61:2403010301D10,NTRFNONREF//R1\n:86:Shop\n:61:2403010301RD10,NTRFNONREF//R2\n:86:Shop reversed\n:62F:C240301EUR100,00\n-\n";

        var statement = Read(mt940).Statements.Single();

        Assert.Equal(["-10", "10"], statement.Entries.Select(Amount));
        Assert.Equal(["R1", "R2"], statement.Entries.Select(e => e.BankId));
        Assert.Equal(100.00m, statement.Closing!.Amount);
    }

    [Fact]
    public void ReadersArePickedByContentNotByExtension()
    {
        var qifNamedCsv = StatementReaders.Read(new MemoryStream("!Type:Bank\nD01/02/2024\nT-1.00\n^\n"u8.ToArray()), "export.csv");

        Assert.Equal("QIF", qifNamedCsv.Format);
    }
}
