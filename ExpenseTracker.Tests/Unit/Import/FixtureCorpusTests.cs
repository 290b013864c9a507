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
    /// Files whose own balances do not add up, each worked out by hand from the file (by an independent script
    /// too, not our parser): how many of the file's statements fail, and the arithmetic. These are test fixtures
    /// with edited or anonymised amounts. The oracle expects exactly that many mismatches, so a parser change that
    /// breaks a balanced statement of these files, or "fixes" them, is noticed too.
    /// </summary>
    private static readonly Dictionary<string, (int Statements, string Arithmetic)> InconsistentInTheFile = new(StringComparer.Ordinal)
    {
        ["camt/genkgo-camt__camt053.v2.minimal.xml"] = (1, "OPBD 18.15 CRDT + 8.85 CRDT = 27.00 CRDT, but CLBD 27.00 is marked DBIT (-27.00)"),
        ["camt/genkgo-camt__camt053.v2.with-party-ids.xml"] = (1, "same sample: OPBD 18.15 CRDT + 8.85 CRDT = 27.00, CLBD 27.00 DBIT"),
        ["camt/genkgo-camt__camt053.v3.xml"] = (1, "same sample: OPBD 18.15 CRDT + 8.85 CRDT = 27.00, CLBD 27.00 DBIT"),
        ["camt/genkgo-camt__camt053.v4.xml"] = (1, "same sample: OPBD 18.15 CRDT + 8.85 CRDT = 27.00, CLBD 27.00 DBIT"),
        ["camt/genkgo-camt__camt053.v8.xml"] = (1, "same sample: OPBD 18.15 CRDT + 8.85 CRDT = 27.00, CLBD 27.00 DBIT"),
        ["camt/genkgo-camt__camt053.v2.five.decimals.xml"] = (1, "OPBD 18.150 + 8.850 = 27.000, CLBD says 27.050"),
        ["camt/genkgo-camt__camt053.v2.all-balance-types.xml"] = (1, "OPBD 1.01 + 8.850 = 9.86, CLBD says 4.04 (nor does PRCD fit: 2.02 + 8.85 = 10.87; ITBD is 9.09)"),
        ["camt/actual__camt.053.xml"] = (1, "PRCD 24.16 + 0.60 + 0.50 - 89.85 + 1.20 - 80 + 3.45 = -139.94, CLBD says 27.61 (= 24.16 + 3.45: the other five entries were pasted in from 2013 and 2024)"),
        ["mt940/wolph-mt940__jejik_knab.sta"] = (1, "first statement 0 + 500 = 500 balances; second: 3058.98 - 7260 + 500 = -3701.02, :62F: says C 798.98"),
        ["mt940/wolph-mt940__mBank_with_newline_in_tnr.sta"] = (1, "0.46 + 45.00 + 44.00 = 89.46, :62F: says 860.17"),
        ["mt940/wolph-mt940__self-provided_details_60-63.sta"] = (1, "12345.12 - 233.15 = 12111.97, :62F: says 12345.98"),
        ["mt940/wolph-mt940__self-provided_whitespace.sta"] = (1, "12345.12 - 233.15 = 12111.97, :62F: says 12345.98"),
        ["mt940/wolph-mt940__jejik_postfinance.sta"] = (1, "first page 0 + 79.7 + 149.5 = 229.2 balances; second: :60M: 229.2 - 79.9 + 10.1 = 159.4, :62F: says 159.6"),
        ["mt940/wolph-mt940__betterplace_sepa_snippet.sta"] = (1, "first statement balances; second: D 1970431.87 → -1970431.87 - 0.08 + 335.33 + 15000 + 15000.05 + 125004.88 + 915311.55 - 3572569.03 = -4472349.17, :62F: says D 4472049.09"),
        ["mt940/wolph-mt940__jejik_rabobank.sta"] = (2, "first: 473.17 - 1213.28 = -740.11, :62F: says 395.82; third: 1295.82 - 44.95 - 236.56 = 1014.31, :62F: says 1250.87 (second and fourth balance)"),
        ["mt940/wolph-mt940__jejik_ing.sta"] = (1, "0.00 - 25.03 - 3.03 - 1.11 - 20.00 - 1.10 + 3.68 + 1.00 = -45.59, :62F: says 3.47"),
        ["mt940/wolph-mt940__jejik_triodos.sta"] = (1, "4975.09 - 15.70 - 700.00 = 4259.39, :62F: says 4370.79"),
        ["mt940/wolph-mt940__jejik_abnamro.sta"] = (2, "3236.28 - 9 - 11.59 - 11.63 - 11.8 - 13.45 - 15.49 - 107 - 141.48 = 2914.84, :62F: says 876.84; second: :60M: 2876.84 - 9.49 - 15 = 2852.35, :62M: says 1849.75"),
        ["mt940/wolph-mt940__self-provided_raiffeisen-cmi.sta"] = (1, "25170637.10 + 2066637.00 - 14790.00 - 3051800.00 - 3892.77 - 789.24 - 1578.49 - 6000.00 = 24158423.60, :62F: says 25281687.60"),
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
        if (InconsistentInTheFile.TryGetValue(file, out var expected))
        {
            Assert.True(expected.Statements == mismatches.Count,
                $"{file}: expected {expected.Statements} statement(s) not to add up ({expected.Arithmetic}), got: {string.Join("; ", mismatches)}");
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
