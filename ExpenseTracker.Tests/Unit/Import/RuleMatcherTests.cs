using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import.Rules;

namespace ExpenseTracker.Tests.Unit.Import;

public sealed class RuleMatcherTests
{
    private static long nextId;

    private static CategoryRule Rule(string pattern, RuleOperator op = RuleOperator.Contains, RuleField field = RuleField.Payee,
        long? min = null, long? max = null, long? category = 1, bool enabled = true, int order = 0, string? tags = null, string? rename = null) => new()
    {
        Id = Interlocked.Increment(ref nextId),
        Pattern = pattern,
        Operator = op,
        Field = field,
        MinAmountMinor = min,
        MaxAmountMinor = max,
        CategoryId = category,
        Enabled = enabled,
        Order = order,
        Tags = tags,
        RenamePayee = rename,
    };

    private static bool Matches(CategoryRule rule, string? payee, string? notes = null, long amount = -1000) =>
        new CompiledRule(rule).Matches(payee, notes, amount);

    [Theory]
    [InlineData("lidl", "LIDL Dienstleistung GmbH", true)]
    [InlineData("cafe", "Café de Flore", true)]
    [InlineData("CAFÉ", "cafe de flore", true)]
    [InlineData("strasse", "Hauptstraße 5 Bäckerei", true)]
    [InlineData("aldi", "Lidl", false)]
    public void ContainsComparesFoldedTextIgnoringCaseAndAccents(string pattern, string payee, bool expected) =>
        Assert.Equal(expected, Matches(Rule(pattern), payee));

    [Theory]
    [InlineData("Netflix", "netflix", true)]
    [InlineData("Netflix", "  NETFLIX  ", true)]
    [InlineData("Netflix", "Netflix.com", false)]
    [InlineData("Crème", "CREME", true)]
    public void EqualsComparesTheWholeFoldedText(string pattern, string payee, bool expected) =>
        Assert.Equal(expected, Matches(Rule(pattern, RuleOperator.Equals), payee));

    [Theory]
    [InlineData(@"^amzn\s+mktp", "AMZN Mktp DE*123", true)]
    [InlineData(@"^amzn\s+mktp", "Paid AMZN Mktp", false)]
    [InlineData(@"shell|aral|esso", "ARAL Tankstelle 42", true)]
    [InlineData(@"\d{4}-\d{2}", "invoice 2024-03", true)]
    public void RegexIsCaseInsensitive(string pattern, string payee, bool expected) =>
        Assert.Equal(expected, Matches(Rule(pattern, RuleOperator.Regex), payee));

    [Fact]
    public void ACatastrophicRegexTimesOutAsNoMatchInsteadOfHanging()
    {
        var rule = new CompiledRule(Rule(@"^(a+)+$", RuleOperator.Regex));
        var evil = new string('a', 40) + "!";

        Assert.False(rule.Matches(evil, null, -100));
        Assert.True(rule.Matches("aaaa", null, -100));
    }

    [Fact]
    public void TheFieldDecidesWhichTextIsLookedAt()
    {
        Assert.False(Matches(Rule("rent", field: RuleField.Payee), "Landlord", "Rent March"));
        Assert.True(Matches(Rule("rent", field: RuleField.Notes), "Landlord", "Rent March"));
        Assert.True(Matches(Rule("rent", field: RuleField.PayeeOrNotes), "Landlord", "Rent March"));
        Assert.True(Matches(Rule("landlord", field: RuleField.PayeeOrNotes), "Landlord", null));
        Assert.False(Matches(Rule("rent", field: RuleField.Notes), "Rent Ltd", null));
    }

    [Theory]
    [InlineData(-999, false)]
    [InlineData(-1000, true)]
    [InlineData(1000, true)]
    [InlineData(-5000, true)]
    [InlineData(5001, false)]
    public void AmountBoundsAreInclusiveOnTheAbsoluteAmount(long amount, bool expected) =>
        Assert.Equal(expected, Matches(Rule("shop", min: 1000, max: 5000), "Corner shop", amount: amount));

    [Fact]
    public void AnOpenBoundIsUnbounded()
    {
        Assert.True(Matches(Rule("shop", min: 1000), "shop", amount: -long.MaxValue));
        Assert.True(Matches(Rule("shop", max: 1000), "shop", amount: 0));
        Assert.False(Matches(Rule("shop", max: 1000), "shop", amount: 1001));
    }

    [Fact]
    public void TheFirstEnabledRuleInOrderWins()
    {
        var general = Rule("rewe", order: 2, category: 10);
        var specific = Rule("rewe", order: 1, category: 20, min: 10000);
        var disabled = Rule("rewe", order: 0, category: 30, enabled: false);
        var matcher = RuleMatcher.From([general, specific, disabled]);

        Assert.Equal(2, matcher.Count);
        Assert.Equal(20, matcher.FirstMatch("REWE Markt", null, -12000)!.CategoryId);
        Assert.Equal(10, matcher.FirstMatch("REWE Markt", null, -1200)!.CategoryId);
        Assert.Null(matcher.FirstMatch("Edeka", null, -1200));
    }

    [Fact]
    public void RulesWithTheSameOrderKeepTheirCreationOrder()
    {
        var first = Rule("bus", category: 1);
        var second = Rule("bus", category: 2);
        Assert.Equal(1, RuleMatcher.From([second, first]).FirstMatch("Bus ticket", null, -250)!.CategoryId);
    }

    [Fact]
    public void TagsAreSplitTrimmedAndDeduplicated()
    {
        var rule = new CompiledRule(Rule("x", tags: " travel, Holiday ,,travel , Hóliday", rename: "  Deutsche Bahn "));
        Assert.Equal(["travel", "Holiday"], rule.Tags);
        Assert.Equal("Deutsche Bahn", rule.RenamePayee);
    }

    [Fact]
    public void EmptyTextNeverMatches()
    {
        Assert.False(Matches(Rule("a"), null));
        Assert.False(Matches(Rule(".*", RuleOperator.Regex), ""));
    }
}
