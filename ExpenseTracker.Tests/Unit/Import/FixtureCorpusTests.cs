using System.Globalization;
using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Tests.Unit.Import;

public sealed class FixtureCorpusTests
{
    /// <summary>The files that must be refused, and a phrase of the reason a user reads.</summary>
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["camt/genkgo-camt__camt053.v2.wrong.xml"] = "not a CAMT bank statement",
        ["camt/genkgo-camt__camt53.only-Dt-with-DtTm.xml"] = "balances only",
        ["ofx/asgrim-ofxparser__ofxdata-banking-xml200.ofx"] = "no usable transactions",
        ["ofx/asgrim-ofxparser__ofxdata-google.ofx"] = "investment statement",
        ["ofx/ofxparse__account_listing_aggregation.ofx"] = "lists accounts",
        ["ofx/ofxparse__error_message.ofx"] = "error code 2000",
        ["ofx/ofxparse__fail_nice_date_missing.ofx"] = "not a valid date",
        ["ofx/ofxparse__fail_nice_decimal_error.ofx"] = "not a valid date",
        ["ofx/ofxparse__fidelity-savings.ofx"] = "investment statement",
        ["ofx/ofxparse__fidelity.ofx"] = "investment statement",
        ["ofx/ofxparse__investment_401k.ofx"] = "investment statement",
        ["ofx/ofxparse__multiple_accounts2.ofx"] = "balances only",
        ["ofx/ofxparse__signon_fail.ofx"] = "error code 15500",
        ["ofx/ofxparse__signon_success.ofx"] = "no bank or credit-card statement",
        ["ofx/ofxparse__signon_success_no_message.ofx"] = "no bank or credit-card statement",
        ["ofx/ofxparse__td_ameritrade.ofx"] = "investment statement",
        ["ofx/ofxparse__tiaacref.ofx"] = "investment statement",
        ["ofx/ofxparse__vanguard.ofx"] = "investment statement",
        ["ofx/ofxparse__vanguard401k.ofx"] = "investment statement",
        ["qif/qif2json__investments.qif"] = "investment QIF",
    };

    [Fact]
    public void TheCorpusHoldsAllHundredAndSeventeenFiles() => Assert.Equal(117, StatementFixtures.Files().Count);

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryFixtureEitherReadsOrIsRefusedWithAPlainReason(string file)
    {
        if (Refused.TryGetValue(file, out var reason))
        {
            var refusal = Assert.Throws<ImportRefusedException>(() => StatementFixtures.Read(file));
            Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
            Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
            return;
        }

        var result = StatementFixtures.Read(file);
        Assert.NotEmpty(result.AllEntries);
        Assert.All(result.AllEntries, e => Assert.True(e.SourceLine > 0, $"{file}: entry without a source line"));
    }

    /// <summary>
    /// Files whose own balances do not add up, each checked by hand on the file: the oracle then expects the
    /// mismatch, so a parser change that "fixes" them would be noticed too.
    /// </summary>
    private static readonly Dictionary<string, string> InconsistentInTheFile = new(StringComparer.Ordinal)
    {
        ["camt/genkgo-camt__camt053.v2.minimal.xml"] = "OPBD 18.15 CRDT + 8.85 CRDT, but CLBD 27.00 is marked DBIT",
        ["camt/genkgo-camt__camt053.v2.with-party-ids.xml"] = "same sample: CLBD 27.00 DBIT",
        ["camt/genkgo-camt__camt053.v3.xml"] = "same sample: CLBD 27.00 DBIT",
        ["camt/genkgo-camt__camt053.v4.xml"] = "same sample: CLBD 27.00 DBIT",
        ["camt/genkgo-camt__camt053.v8.xml"] = "same sample: CLBD 27.00 DBIT",
        ["camt/genkgo-camt__camt053.v2.five.decimals.xml"] = "18.150 + 8.850 = 27.000, CLBD says 27.050",
        ["camt/genkgo-camt__camt053.v2.all-balance-types.xml"] = "OPBD 1.01 + 8.850, CLBD says 4.04",
        ["camt/actual__camt.053.xml"] = "PRCD 24.16 + 0.60 + 0.50 - 89.85 + 1.20 - 80 + 3.45 = -139.94, CLBD says 27.61",
        ["mt940/wolph-mt940__jejik_knab.sta"] = "second statement: 3058.98 - 7260 + 500, :62F: says 798.98",
        ["mt940/wolph-mt940__mBank_with_newline_in_tnr.sta"] = "0.46 + 45.00 + 44.00, :62F: says 860.17",
        ["mt940/wolph-mt940__self-provided_details_60-63.sta"] = "12345.12 - 233.15, :62F: says 12345.98",
        ["mt940/wolph-mt940__self-provided_whitespace.sta"] = "12345.12 - 233.15, :62F: says 12345.98",
        ["mt940/wolph-mt940__jejik_postfinance.sta"] = "second statement: 229.2 - 79.9 + 10.1 = 159.4, :62F: says 159.6",
        ["mt940/wolph-mt940__betterplace_sepa_snippet.sta"] = "second statement: -1970431.87 + entries = -4472349.17, :62F: says -4472049.09",
        ["mt940/wolph-mt940__jejik_rabobank.sta"] = "first statement: 473.17 - 1213.28, :62F: says 395.82",
        ["mt940/wolph-mt940__jejik_ing.sta"] = "0.00 - 25.03 - 3.03 - 1.11 - 20.00 - 1.10 + 3.68 + 1.00 = -45.59, :62F: says 3.47",
        ["mt940/wolph-mt940__jejik_triodos.sta"] = "4975.09 - 15.70 - 700.00, :62F: says 4370.79",
        ["mt940/wolph-mt940__jejik_abnamro.sta"] = "3236.28 - 321.44 = 2914.84, :62F: says 876.84",
        ["mt940/wolph-mt940__self-provided_raiffeisen-cmi.sta"] = "25170637.10 + entries = 24158423.60, :62F: says 25281687.60",
    };

    /// <summary>Opening + entries = closing, where the file states both: an oracle independent of our parser.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void StatedBalancesAddUpToTheParsedEntries(string file)
    {
        if (Refused.ContainsKey(file))
        {
            return;
        }

        var mismatches = Mismatches(file);
        if (InconsistentInTheFile.TryGetValue(file, out var handArithmetic))
        {
            Assert.True(mismatches.Count > 0, $"{file} was expected not to add up ({handArithmetic})");
            return;
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public void TheBalanceOracleChecksManyStatements()
    {
        var balanced = StatementFixtures.Files()
            .Where(f => !Refused.ContainsKey(f) && !InconsistentInTheFile.ContainsKey(f))
            .SelectMany(f => StatementFixtures.Read(f).Statements)
            .Count(s => s.Opening is not null && s.Closing is not null);
        Assert.True(balanced >= 79, $"only {balanced} statements were checked");
    }

    private static List<string> Mismatches(string file) =>
        [.. StatementFixtures.Read(file).Statements
            .Where(s => s.Opening is not null && s.Closing is not null)
            .Where(s => s.Opening!.Amount + s.Entries.Sum(e => e.Amount) != s.Closing!.Amount)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Account}: {s.Opening!.Amount} + entries = {s.Opening.Amount + s.Entries.Sum(e => e.Amount)}, closing {s.Closing!.Amount}"))];

    public static TheoryData<string> Files() => StatementFixtures.All();
}
