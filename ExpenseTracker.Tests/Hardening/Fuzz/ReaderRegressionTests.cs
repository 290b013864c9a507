using System.Text;
using ExpenseTracker.Tests.Unit.Import;
using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Tests.Hardening.Fuzz;

/// <summary>The smallest inputs for the reader bugs the fuzz suite found, kept as regression tests.</summary>
public sealed class ReaderRegressionTests
{
    private static StatementReadResult Read(string text, string fileName) =>
        StatementReaders.Read(Encoding.UTF8.GetBytes(text), fileName, ReaderOptions.Default);

    [Fact]
    public void AnMt940SubfieldWrittenTwiceKeepsBothValuesInsteadOfCrashing()
    {
        // Found as mt940 #164 (a flipped byte turned ?61 into a second ?60): ArgumentException from ToDictionary.
        const string statement = "\r\n:20:STARTUMSE\r\n:25:12345678/1020304050\r\n:28C:00000/001\r\n:60F:C160229EUR1200,00\r\n"
            + ":61:1602290229DR6,00N024NONREF\r\n:86:805?00ENTGELT?20Pauschalen?20Gebuehr?32Bank AG\r\n:62F:C160229EUR1194,00\r\n-\r\n";

        var entry = Read(statement, "twice.sta").AllEntries.Single();

        Assert.Equal(-6.00m, entry.Amount);
        Assert.Equal("Bank AG", entry.Payee);
        Assert.Equal("Pauschalen Gebuehr", entry.Memo);
    }

    [Fact]
    public void CamtNestedDeeperThanAnyStatementIsRefusedQuickly()
    {
        // Found as camt #70: 100,000 nested elements made the reader's element searches run for minutes.
        var minimal = File.ReadAllText(StatementFixtures.PathOf("camt/genkgo-camt__camt053.v2.minimal.xml"));
        var at = minimal.IndexOf("<BkToCstmrStmt>", StringComparison.Ordinal) + "<BkToCstmrStmt>".Length;
        var deep = minimal.Insert(at, string.Concat(Enumerable.Repeat("<Ntry>", 300)) + string.Concat(Enumerable.Repeat("</Ntry>", 300)));

        var refused = Assert.Throws<ImportRefusedException>(() => Read(deep, "deep.xml"));

        Assert.Contains("nests elements more than 256 deep", refused.Message, StringComparison.Ordinal);
    }
}
