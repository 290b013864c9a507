using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Search;

namespace ExpenseTracker.Tests.Unit.Search;

public sealed class QueryLineTests
{
    private static readonly DateOnly Today = new(2026, 11, 27); // a Friday

    private static IReadOnlyList<SearchTerm> Parse(string line, string currency = "EUR") => QueryLine.ParseOrThrow(line, Today, currency);

    [Fact]
    public void PlainWordsAndPhrasesAreTextTerms()
    {
        var terms = Parse("coffee  \"gift card\" -starbucks");

        Assert.Collection(terms,
            t => Assert.Equal(new TextTerm("coffee", 0, false, "coffee", false), t),
            t => Assert.Equal(new TextTerm("\"gift card\"", 8, false, "gift card", true), t),
            t => Assert.Equal(new TextTerm("-starbucks", 20, true, "starbucks", false), t));
        Assert.Equal("\"coffee\"*", QueryLine.FullTextQuery((TextTerm)terms[0]));
        Assert.Equal("\"gift card\"", QueryLine.FullTextQuery((TextTerm)terms[1]));
    }

    [Fact]
    public void UserTextNeverBecomesFullTextSyntax()
    {
        var term = Assert.IsType<TextTerm>(Assert.Single(Parse("o'neil*^(x)")));

        Assert.Equal("\"o\"* \"neil\"* \"x\"*", QueryLine.FullTextQuery(term));
        Assert.Equal("'o':* & 'neil':* & 'x':*", QueryLine.TsQuery(term));
    }

    [Theory]
    [InlineData("coffee", "'coffee':*")]
    [InlineData("CAFÉ", "'cafe':*")]
    [InlineData("Crème-brûlée", "'creme':* & 'brulee':*")]
    [InlineData("Straße", "'strasse':*")]
    [InlineData("\"Gift card\"", "'gift' <-> 'card'")]
    [InlineData("\"Café Zürich\"", "'cafe' <-> 'zurich'")]
    [InlineData("a&b|!c<->d:*'e'\\f", "'a':* & 'b':* & 'c':* & 'd':* & 'e':* & 'f':*")]
    public void PostgresQueriesFoldWordsLikeTheIndexAndQuoteThem(string line, string expected) =>
        Assert.Equal(expected, QueryLine.TsQuery(Assert.IsType<TextTerm>(Assert.Single(Parse(line)))));

    [Theory]
    [InlineData("category:Groceries", SearchField.Category, "Groceries")]
    [InlineData("cat:\"Dining out\"", SearchField.Category, "Dining out")]
    [InlineData("tag:school", SearchField.Tag, "school")]
    [InlineData("payee:\"Whole Foods\"", SearchField.Payee, "Whole Foods")]
    [InlineData("member:Alex", SearchField.Member, "Alex")]
    [InlineData("Account:Visa", SearchField.Account, "Visa")]
    public void NamedFiltersKeepTheirName(string line, SearchField field, string name)
    {
        var term = Assert.IsType<NameTerm>(Assert.Single(Parse(line)));

        Assert.Equal((field, name, false), (term.Field, term.Name, term.Negated));
    }

    [Theory]
    [InlineData("amount>10", 1001L, null)]
    [InlineData("amount>=10", 1000L, null)]
    [InlineData("amount<10.5", null, 1049L)]
    [InlineData("amount<=10.5", null, 1050L)]
    [InlineData("amount:12.34", 1234L, 1234L)]
    [InlineData("amount:10..50", 1000L, 5000L)]
    [InlineData("amount:..50", null, 5000L)]
    public void AmountsBecomeInclusiveBoundsInMinorUnits(string line, long? min, long? max)
    {
        var term = Assert.IsType<AmountTerm>(Assert.Single(Parse(line)));

        Assert.Equal((min, max), (term.Min, term.Max));
    }

    [Fact]
    public void AmountsFollowTheCurrencysDecimals()
    {
        Assert.Equal(1500L, Assert.IsType<AmountTerm>(Assert.Single(Parse("amount>=1500", "JPY"))).Min);
        Assert.Contains("more decimals than JPY has (0)", QueryLine.Parse("amount>1.5", Today, "JPY").Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("date:2026-03-15", "2026-03-15", "2026-03-15")]
    [InlineData("date:2026-02", "2026-02-01", "2026-02-28")]
    [InlineData("date:2028-02", "2028-02-01", "2028-02-29")]
    [InlineData("date:2025", "2025-01-01", "2025-12-31")]
    [InlineData("date:2026-01-01..2026-03-31", "2026-01-01", "2026-03-31")]
    [InlineData("date:2026-01..2026-03", "2026-01-01", "2026-03-31")]
    [InlineData("date:2026-10..", "2026-10-01", null)]
    [InlineData("date:..2026-10", null, "2026-10-31")]
    [InlineData("date>2026-10", "2026-11-01", null)]
    [InlineData("date<2026-10-05", null, "2026-10-04")]
    [InlineData("date:today", "2026-11-27", "2026-11-27")]
    [InlineData("date:yesterday", "2026-11-26", "2026-11-26")]
    [InlineData("date:this-week", "2026-11-23", "2026-11-29")]
    [InlineData("date:last-week", "2026-11-16", "2026-11-22")]
    [InlineData("date:this-month", "2026-11-01", "2026-11-30")]
    [InlineData("date:last-month", "2026-10-01", "2026-10-31")]
    [InlineData("date:THIS-YEAR", "2026-01-01", "2026-12-31")]
    [InlineData("date:last-year", "2025-01-01", "2025-12-31")]
    [InlineData("date:last-30-days", "2026-10-29", "2026-11-27")]
    public void DatesPresetsAndRangesResolveToInclusiveDays(string line, string? from, string? to)
    {
        var term = Assert.IsType<DateTerm>(Assert.Single(Parse(line)));

        Assert.Equal((Day(from), Day(to)), (term.From, term.To));
    }

    [Fact]
    public void TheWeekStartsOnTheHouseholdsFirstDay()
    {
        var term = Assert.IsType<DateTerm>(Assert.Single(QueryLine.ParseOrThrow("date:this-week", Today, "EUR", DayOfWeek.Sunday)));

        Assert.Equal((Day("2026-11-22"), Day("2026-11-28")), (term.From, term.To));
    }

    [Fact]
    public void AMinusNegatesAnyTermButANegativeNumberIsAWord()
    {
        var terms = Parse("-category:Rent -kind:transfer -date:last-year -5");

        Assert.All(terms.Take(3), t => Assert.True(t.Negated));
        Assert.Equal(TransactionKind.Transfer, Assert.IsType<KindTerm>(terms[1]).Kind);
        var word = Assert.IsType<TextTerm>(terms[3]);
        Assert.False(word.Negated);
    }

    [Fact]
    public void WordsWithAColonThatAreNotLettersFirstStayWords()
    {
        var terms = Parse("10:30 \"re: invoice\"");

        Assert.All(terms, t => Assert.IsType<TextTerm>(t));
    }

    [Theory]
    [InlineData("colour:red", "Unknown filter \"colour:\"")]
    [InlineData("category:", "needs a value")]
    [InlineData("payee:\"Corner shop", "quote is not closed")]
    [InlineData("payee:\"Corner\"shop", "space after a closing quote")]
    [InlineData("amount>ten", "is not an amount")]
    [InlineData("amount>1,5", "is not an amount")]
    [InlineData("amount:50..10", "first amount is larger")]
    [InlineData("date:2026-13", "is not a date")]
    [InlineData("date:yesterweek", "is not a date")]
    [InlineData("date:2026-03..2026-01", "ends before it starts")]
    [InlineData("kind:gift", "is not a kind")]
    [InlineData("coffee - tea", "must be followed by what to leave out")]
    [InlineData("category>Rent", "Write category: followed by a name")]
    [InlineData("!!!", "no letters or digits")]
    public void MalformedInputSaysWhatIsWrongInPlainWords(string line, string expected)
    {
        var result = QueryLine.Parse(line, Today, "EUR");

        Assert.False(result.IsValid);
        Assert.Empty(result.Terms);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ATooLongLineIsRefused()
    {
        Assert.Contains("too long", QueryLine.Parse(new string('a', QueryLine.MaxLength + 1), Today, "EUR").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void RemovingAChipsTermLeavesTheRestOfTheLine()
    {
        const string line = "coffee category:\"Dining out\" amount>5";
        var terms = Parse(line);

        Assert.Equal("coffee amount>5", QueryLine.Without(line, terms[1]));
        Assert.Equal("category:\"Dining out\" amount>5", QueryLine.Without(line, terms[0]));
    }

    [Theory]
    [InlineData("Groceries", "Groceries")]
    [InlineData("Dining out", "\"Dining out\"")]
    [InlineData("re:", "\"re:\"")]
    [InlineData("-x", "\"-x\"")]
    public void ValuesAreQuotedOnlyWhenTheyNeedIt(string value, string expected) => Assert.Equal(expected, QueryLine.Quote(value));

    [Fact]
    public void AnEmptyLineHasNoTerms()
    {
        Assert.Empty(Parse("   "));
        Assert.True(QueryLine.Parse(null, Today, "EUR").IsValid);
    }

    private static DateOnly? Day(string? text) => text is null ? null : DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
