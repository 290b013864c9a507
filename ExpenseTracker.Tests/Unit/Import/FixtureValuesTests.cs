using System.Globalization;

namespace ExpenseTracker.Tests.Unit.Import;

/// <summary>
/// Transactions read by eye from the fixture files (not from our parser's output): the row count of each file,
/// and for the given entry (0-based across the file's statements) its date, signed amount with the file's own
/// decimals, payee and bank id. 53 files.
/// </summary>
public sealed class FixtureValuesTests
{
    [Theory]
    // OFX / QFX
    [InlineData("ofx/actual__data-multi-decimal.ofx", 2, 0, "2019-01-23", "-30.000", "PATIENT FIRST TOKEN 01/22 PURCHA", "00092990122-30.00019012312798.01")]
    [InlineData("ofx/actual__data-multi-decimal.ofx", 2, 1, "2019-01-23", "-3.77000", "STARBUCKS STORE 07604 01/21 PURC", "00092990121-3.77019012312828.01")]
    [InlineData("ofx/actual__data-payee-memo.ofx", 4, 0, "2019-01-23", "-10.00", "Payee Name", "test-name-and-memo")]
    [InlineData("ofx/actual__data-payee-memo.ofx", 4, 3, "2019-01-23", "-40.00", null, "test-neither")]
    [InlineData("ofx/actual__html-vals.qfx", 2, 1, "2023-03-01", "-1.00", "TPAY <DEFTPYMT>", "23060061032549554596530000")]
    [InlineData("ofx/actual__utf-8.qfx", 1, 0, "2022-10-19", "-20.00", "Café Métro €uro", "cafeUtf8xx")]
    [InlineData("ofx/asgrim-ofxparser__ofx-multiple-accounts-xml.ofx", 3, 0, "2014-07-17", "-3.98", "TESCO", "+201407170000001")]
    [InlineData("ofx/asgrim-ofxparser__ofxdata-bb-two-stmtrs.ofx", 36, 0, "2017-03-01", "13318.36", null, "2017030101331836")]
    [InlineData("ofx/asgrim-ofxparser__ofxdata-credit-card.ofx", 1, 0, "2016-08-23", "-100.00", "VENDOR", "ABCDEFGHIJ")]
    [InlineData("ofx/ofxparse__anzcc.ofx", 1, 0, "2017-05-08", "-5.50", null, "201705080001")]
    [InlineData("ofx/ofxparse__suncorp.ofx", 1, 0, "2013-12-15", "-16.85", "EFTPOS WDL HANDYWAY ALDI STORE", "1")]
    [InlineData("ofx/ofxparse__bank_medium.ofx", 3, 0, "2009-04-01", "-6.60", "MCDONALD'S #112", "0000123456782009040100001")]
    [InlineData("ofx/asgrim-ofxparser__ofxdata.ofx", 3, 2, "2007-07-09", "-100.00", "John Hancock", "980309001")]
    [InlineData("ofx/asgrim-ofxparser__ofxdata-xml.ofx", 3, 2, "2007-07-09", "-100.00", "Cheque", "980309001")]
    // QIF
    [InlineData("qif/actual__data-payee-memo.qif", 4, 0, "2019-01-23", "-10.00", "Payee Name", null)]
    [InlineData("qif/actual__qif-account.qif", 1, 0, "2018-12-19", "-25.00", "COUNTY WASTE", null)]
    [InlineData("qif/actual__qif-category.qif", 2, 1, "2024-06-23", "-20.15", "GroceriesYou", null)]
    [InlineData("qif/actual__tracking-number.qif", 2, 0, "2024-06-24", "-100.58", "City Water", "1001")]
    [InlineData("qif/actual__data-with-categories.qif", 3, 0, "2018-12-19", "-100.58", "Outlet", null)]
    [InlineData("qif/csv2ofx__converted_mint.qif", 4, 0, "2015-06-12", "-1500.00", "Transfer from Savings", null)]
    [InlineData("qif/csv2ofx__converted_default_w_splits.qif", 8, 0, "2015-03-24", "45000.00", "Tchênzema Tchênzema", "INV-7")]
    [InlineData("qif/csv2ofx__converted_xero.qif", 5, 0, "2015-01-23", "149000.00", "Sales", "INV-0001")]
    [InlineData("qif/qif2json__normalTransactions.qif", 3, 0, "1994-06-01", "-1000.00", "Bank Of Mortgage", "1005")]
    [InlineData("qif/qif2json__utf8.qif", 1, 0, "2010-03-03", "-379.00", "SOME £$™€ CHARACTERS", null)]
    [InlineData("qif/qif2json__windows-1252.qif", 1, 0, "2010-03-03", "-379.00", "SOME £$™€ CHARACTERS", null)]
    // CAMT
    [InlineData("camt/genkgo-camt__camt053.v2.multi.statement.xml", 2, 1, "2014-12-31", "-7.00", "Company Name 2", null)]
    [InlineData("camt/actual__camt.053.payee-memo.xml", 4, 0, "2019-01-23", "-10.00", "Payee Name", "test-payee-and-notes")]
    // MT940 / MT942
    [InlineData("mt940/wolph-mt940__self-provided_february_30.sta", 1, 0, "2016-02-29", "-6.00", null, null)]
    [InlineData("mt940/wolph-mt940__self-provided_wrapped_timestamp.sta", 1, 0, "2016-02-29", "-6.00", null, null)]
    [InlineData("mt940/wolph-mt940__jejik_knab.sta", 3, 1, "2014-07-29", "-7260", null, "B4G29PGCVO7Q06US")]
    [InlineData("mt940/wolph-mt940__mBank_mt940.sta", 3, 0, "2017-01-19", "0.01", null, "MB170119012058")]
    [InlineData("mt940/wolph-mt940__jejik_rabobank-iban.sta", 4, 1, "2013-01-02", "-10.00", "JOHN DOE", null)]
    [InlineData("mt940/wolph-mt940__jejik_generic.sta", 2, 0, "2011-01-01", "-10.00", null, null)]
    [InlineData("mt940/wolph-mt940__jejik_sns.sta", 2, 0, "2012-06-07", "-20.00", null, null)]
    [InlineData("mt940/wolph-mt940__cmxl_mt940.sta", 16, 1, "2013-10-17", "-620.3", null, null)]
    [InlineData("mt940/wolph-mt940__jejik_postfinance.sta", 4, 0, "2013-12-09", "79.7", null, null)]
    [InlineData("mt940/actual__data.sta", 6, 0, "2025-08-01", "-42.50", "Boulangerie L'Étoile", "BANKREF001")]
    [InlineData("mt940/wolph-mt940__betterplace_sepa_snippet.sta", 11, 0, "2007-09-07", "50990.05", "KARL KAUFMANN", "0724710333343453")]
    [InlineData("mt940/wolph-mt940__jejik_triodos.sta", 2, 0, "2011-01-01", "-15.70", null, null)]
    // CSV
    [InlineData("csv/actual__data-payee-memo.csv", 4, 0, "2019-01-23", "-10.00", "Payee Name", null)]
    [InlineData("csv/csv2ofx__capitalone.csv", 2, 0, "2015-12-31", "-1000.00", "Airplanes R Us", null)]
    [InlineData("csv/csv2ofx__capitalone.csv", 2, 1, "2015-12-31", "1000.00", "CAPITAL ONE AUTOPAY PYMT", null)]
    [InlineData("csv/csv2ofx__creditunion.csv", 8, 0, "2015-02-08", "50000", "Ằdøłƥh Noƴa", "INV-1")]
    [InlineData("csv/csv2ofx__gls.csv", 1, 0, "2017-10-10", "-98.76", "Drillisch Online AG", null)]
    [InlineData("csv/csv2ofx__ingesp.csv", 10, 0, "2022-03-24", "2.83", "Abono por campaña Abono Shopping NARANJA:GALP", null)]
    [InlineData("csv/csv2ofx__mint.csv", 4, 2, "2015-06-13", "2000.00", "Transfer to Savings", null)]
    [InlineData("csv/csv2ofx__mint_headerless.csv", 4, 0, "2015-06-12", "-1000.00", "Transfer from Checking", null)]
    [InlineData("csv/csv2ofx__mint_extra.csv", 4, 0, "2015-06-12", "-1000.00", "Transfer from Checking", null)]
    [InlineData("csv/csv2ofx__n26-fr.csv", 2, 1, "2020-03-07", "-328.00", "Compte courant", null)]
    [InlineData("csv/csv2ofx__outbank.csv", 4, 1, "2019-02-08", "-63.89", "Shell Gas", null)]
    [InlineData("csv/csv2ofx__payoneer.csv", 2, 0, "2021-05-03", "-100", "Transaction description", "123")]
    [InlineData("csv/csv2ofx__pcmastercard.csv", 2, 1, "2018-12-15", "13.98", "APL*ITUNES.COM/BILL", null)]
    [InlineData("csv/csv2ofx__schwab-checking.csv", 4, 1, "2022-08-14", "-103.00", "BMO HARRIS BANK", null)]
    [InlineData("csv/csv2ofx__stripe-default.csv", 5, 0, "2021-02-03", "25.00", "Entry ID: 316, Product: Big Event 2021", "ch_1IGl9SBI9JK85yVZtjcU9OLJ")]
    [InlineData("csv/csv2ofx__ubs-ch-fr_trimmed.csv", 3, 1, "2019-02-28", "240.00", "Compte personnel UBS", "3456789ZT1234567")]
    [InlineData("csv/csv2ofx__xero.csv", 13, 0, "2015-01-23", "-36000", "Sales", null)]
    public void FixtureEntriesMatchWhatTheFileSays(string file, int count, int index, string date, string amount, string? payee, string? id)
    {
        var entries = StatementFixtures.Read(file).AllEntries.ToList();

        Assert.Equal(count, entries.Count);
        var entry = entries[index];
        Assert.Equal(date, entry.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(amount, entry.Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(payee, entry.Payee);
        Assert.Equal(id, entry.BankId);
    }

    [Fact]
    public void QifSplitsBecomeCategoryLines()
    {
        var entry = StatementFixtures.Read("qif/qif2json__normalTransactions.qif").AllEntries.First();

        Assert.Equal("[linda]", entry.Category);
        Assert.Collection(
            entry.Splits,
            s => Assert.Equal(("[linda]", -253.64m), (s.Category, s.Amount)),
            s => Assert.Equal(("Mort Int", -746.36m), (s.Category, s.Amount)));
    }

    [Fact]
    public void MultiAccountFilesAreSplitPerAccount()
    {
        var ofx = StatementFixtures.Read("ofx/asgrim-ofxparser__ofx-multiple-accounts-xml.ofx").Statements;
        var camt = StatementFixtures.Read("camt/genkgo-camt__camt053.v2.multi.statement.xml").Statements;

        Assert.Equal(["54658222458596", "546582659855", "21252344525548"], ofx.Select(s => s.Account));
        Assert.Equal(2, camt.Count);
        Assert.All(camt, s => Assert.Equal("NL26VAYB8060476890", s.Account));
    }

    [Fact]
    public void CentralEuropeanMt940IsReadAsCodePage852()
    {
        var entries = StatementFixtures.Read("mt940/wolph-mt940__self-provided_raiffeisen-cmi.sta").AllEntries.ToList();

        Assert.Contains(entries, e => e.Memo is not null && e.Memo.Contains("összevont utánvét", StringComparison.Ordinal));
    }

    [Fact]
    public void ImpossibleMt940DatesBecomeTheMonthsLastDayWithAWarning()
    {
        var result = StatementFixtures.Read("mt940/wolph-mt940__self-provided_february_30.sta");

        Assert.Equal(new DateOnly(2016, 2, 29), result.AllEntries.Single().Date);
        Assert.Contains(result.Warnings, w => w.Contains("160230", StringComparison.Ordinal));
    }
}
