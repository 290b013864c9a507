using System.Globalization;
using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Tests.Unit.Import;

/// <summary>Hand-made statements for the balance arithmetic: signs, balance codes, pages, reversals, pending entries.</summary>
public sealed class BalanceEdgeCaseTests
{
    private static StatementReadResult Read(string text) =>
        StatementReaders.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "statement");

    private static void AssertBalances(ParsedStatement s) =>
        Assert.Equal(s.Closing!.Amount, s.Opening!.Amount + s.Entries.Sum(e => e.Amount));

    [Fact]
    public void Mt940PagesUnderOneReferenceEachBalanceOnTheirOwn()
    {
        const string mt940 = """
            :20:PAGED
            :25:DE44500105175407324931
            :28C:7/1
            :60F:D240301EUR50,00
            :61:2403010301DN20,00NTRFNONREF//P1
            :86:Bakery
            :62M:D240301EUR70,00
            :28C:7/2
            :60M:D240301EUR70,00
            :61:2403020302CR100,5NTRFNONREF//P2
            :86:Salary
            :61:2403020302RC0,50NMSCNONREF//P3
            :86:Reversed credit
            :62F:C240302EUR30,00
            -
            """;

        var statements = Read(mt940).Statements;

        Assert.Equal(2, statements.Count);
        Assert.All(statements, s => Assert.Equal("DE44500105175407324931", s.Account));
        Assert.Equal((-50.00m, -70.00m), (statements[0].Opening!.Amount, statements[0].Closing!.Amount));
        Assert.Equal(["-20.00"], statements[0].Entries.Select(e => e.Amount.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(["100.5", "-0.50"], statements[1].Entries.Select(e => e.Amount.ToString(CultureInfo.InvariantCulture)));
        Assert.All(statements, AssertBalances);
    }

    [Fact]
    public void SeveralMt940StatementsInOneFileAreKeptApart()
    {
        const string mt940 = ":20:A\n:25:111\n:60F:C240301EUR0,\n:61:240301C5,NTRFNONREF\n:62F:C240301EUR5,\n-\n"
            + ":20:B\n:25:222\n:60F:C240301USD10,\n:61:240301D2,5NTRFNONREF\n:62F:C240301USD7,5\n-\n";

        var statements = Read(mt940).Statements;

        Assert.Equal([("111", "EUR"), ("222", "USD")], statements.Select(s => (s.Account!, s.Currency!)));
        Assert.All(statements, AssertBalances);
    }

    private const string CamtHead = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>1</Id>
        <Acct><Id><IBAN>DE44500105175407324931</IBAN></Id><Ccy>EUR</Ccy></Acct>
        """;

    private static string Bal(string code, string amount, string sign) =>
        $"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd><Dt><Dt>2024-03-01</Dt></Dt></Bal>";

    private static string Ntry(string amount, string sign, string status = "BOOK", bool reversal = false, string reference = "R") =>
        $"<Ntry><NtryRef>{reference}</NtryRef><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd>{(reversal ? "<RvslInd>true</RvslInd>" : "")}<Sts>{status}</Sts><BookgDt><Dt>2024-03-01</Dt></BookgDt></Ntry>";

    private const string CamtTail = "</Stmt></BkToCstmrStmt></Document>";

    [Fact]
    public void CamtPagesUseInterimBookedBalancesAndDebitBalancesAreNegative()
    {
        var camt = CamtHead + Bal("ITBD", "100.00", "DBIT") + Bal("ITAV", "999.00", "CRDT") + Bal("ITBD", "60.00", "DBIT")
            + Ntry("25.00", "CRDT", reference: "A") + Ntry("15.00", "CRDT", reference: "B") + CamtTail;

        var statement = Read(camt).Statements.Single();

        Assert.Equal((-100.00m, -60.00m), (statement.Opening!.Amount, statement.Closing!.Amount));
        AssertBalances(statement);
    }

    [Fact]
    public void CamtPreviousClosingServesAsOpeningAndAvailableBalancesAreIgnored()
    {
        var camt = CamtHead + Bal("OPAV", "1.00", "CRDT") + Bal("PRCD", "10.00", "CRDT") + Bal("CLAV", "2.00", "CRDT") + Bal("CLBD", "7.50", "CRDT")
            + Ntry("2.50", "DBIT") + CamtTail;

        var statement = Read(camt).Statements.Single();

        Assert.Equal((10.00m, 7.50m), (statement.Opening!.Amount, statement.Closing!.Amount));
        AssertBalances(statement);
    }

    [Fact]
    public void ACamtReversalKeepsTheDirectionItIsBookedIn()
    {
        var camt = CamtHead + Bal("OPBD", "50.00", "CRDT") + Bal("CLBD", "50.00", "CRDT")
            + Ntry("20.00", "DBIT", reference: "D1") + Ntry("20.00", "CRDT", reversal: true, reference: "D1R") + CamtTail;

        var statement = Read(camt).Statements.Single();

        Assert.Equal([-20.00m, 20.00m], statement.Entries.Select(e => e.Amount));
        AssertBalances(statement);
    }

    [Fact]
    public void PendingCamtEntriesAreSkippedWithAWarning()
    {
        var camt = CamtHead + Bal("OPBD", "50.00", "CRDT") + Bal("CLBD", "40.00", "CRDT")
            + Ntry("10.00", "DBIT", reference: "BOOKED") + Ntry("99.00", "DBIT", status: "PDNG", reference: "PENDING") + CamtTail;

        var result = Read(camt);

        Assert.Equal("BOOKED", Assert.Single(result.AllEntries).BankId);
        Assert.Contains(result.Warnings, w => w.Contains("not booked yet", StringComparison.Ordinal));
        AssertBalances(result.Statements.Single());
    }
}
