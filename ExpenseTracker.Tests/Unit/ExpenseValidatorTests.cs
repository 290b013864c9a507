using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;

namespace ExpenseTracker.Tests.Unit;

public sealed class ExpenseValidatorTests
{
    private static readonly ExpenseInput Valid = new()
    {
        AmountMinor = 1250,
        Date = new DateOnly(2026, 11, 3),
        AccountId = 1,
        Payee = "Bakery",
        Lines = [new LineInput(10, 1250)],
    };

    private static Dictionary<string, string[]> Validate(ExpenseInput input, string currency = "EUR") =>
        ExpenseValidator.Validate(input, currency);

    private static void AssertOnlyError(Dictionary<string, string[]> errors, string field, string messagePart)
    {
        var single = Assert.Single(errors);
        Assert.Equal(field, single.Key);
        Assert.Contains(single.Value, m => m.Contains(messagePart, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void AnOrdinaryExpenseWithOneCategoryIsAccepted()
    {
        Assert.Empty(Validate(Valid));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    public void AnAmountOfZeroOrLessIsRefused(long amount)
    {
        var errors = Validate(Valid with { AmountMinor = amount, Lines = [new LineInput(10, 1)] });
        Assert.Contains("greater than zero", errors[nameof(ExpenseInput.AmountMinor)].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAmountAboveTheSaneMaximumIsRefused()
    {
        var tooMuch = 100_000_000_001;
        AssertOnlyError(Validate(Valid with { AmountMinor = tooMuch, Lines = [new LineInput(10, tooMuch)] }), nameof(ExpenseInput.AmountMinor), "at most");
    }

    [Fact]
    public void TheMaximumDependsOnTheCurrencysMinorUnit()
    {
        var billionYen = 1_000_000_000;
        Assert.Empty(Validate(Valid with { AmountMinor = billionYen, Lines = [new LineInput(10, billionYen)] }, "JPY"));
        Assert.NotEmpty(Validate(Valid with { AmountMinor = billionYen + 1, Lines = [new LineInput(10, billionYen + 1)] }, "JPY"));
    }

    [Theory]
    [InlineData(1899, 12, 31)]
    [InlineData(2101, 1, 1)]
    [InlineData(1, 1, 1)]
    public void ADateOutside1900To2100IsRefused(int year, int month, int day)
    {
        AssertOnlyError(Validate(Valid with { Date = new DateOnly(year, month, day) }), nameof(ExpenseInput.Date), "between 1900 and 2100");
    }

    [Theory]
    [InlineData(1900, 1, 1)]
    [InlineData(2100, 12, 31)]
    public void TheFirstAndLastAllowedDatesAreAccepted(int year, int month, int day)
    {
        Assert.Empty(Validate(Valid with { Date = new DateOnly(year, month, day) }));
    }

    [Fact]
    public void NotesLongerThanTheLimitAreRefused()
    {
        Assert.Empty(Validate(Valid with { Notes = new string('n', ExpenseValidator.NotesMaxLength) }));
        AssertOnlyError(Validate(Valid with { Notes = new string('n', ExpenseValidator.NotesMaxLength + 1) }), nameof(ExpenseInput.Notes), "at most");
    }

    [Fact]
    public void APayeeLongerThanTheLimitIsRefused()
    {
        Assert.Empty(Validate(Valid with { Payee = new string('p', ExpenseValidator.PayeeMaxLength) + "   " }));
        AssertOnlyError(Validate(Valid with { Payee = new string('p', ExpenseValidator.PayeeMaxLength + 1) }), nameof(ExpenseInput.Payee), "at most");
    }

    [Fact]
    public void TooManyTagsAreRefused()
    {
        var tags = Enumerable.Range(1, ExpenseValidator.MaxTags + 1).Select(i => "t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        AssertOnlyError(Validate(Valid with { Tags = tags }), nameof(ExpenseInput.Tags), "at most");
        Assert.Empty(Validate(Valid with { Tags = tags.Take(ExpenseValidator.MaxTags).ToList() }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a-tag-that-is-far-too-long-to-be-useful-as-a-tag")]
    public void ABlankOrOverlongTagIsRefused(string tag)
    {
        AssertOnlyError(Validate(Valid with { Tags = ["fine", tag] }), nameof(ExpenseInput.Tags), "characters");
    }

    [Fact]
    public void AnExpenseWithoutAnAccountIsRefused()
    {
        AssertOnlyError(Validate(Valid with { AccountId = 0 }), nameof(ExpenseInput.AccountId), "Choose an account");
    }

    [Theory]
    [InlineData(TransactionKind.Expense)]
    [InlineData(TransactionKind.Refund)]
    public void AnExpenseOrRefundWithoutACategoryIsRefused(TransactionKind kind)
    {
        AssertOnlyError(Validate(Valid with { Kind = kind, Lines = [] }), nameof(ExpenseInput.Lines), "Choose a category");
    }

    [Fact]
    public void IncomeNeedsNoCategory()
    {
        Assert.Empty(Validate(Valid with { Kind = TransactionKind.Income, Lines = [] }));
    }

    [Fact]
    public void ATransferNeedsADestinationAccount()
    {
        AssertOnlyError(Validate(Valid with { Kind = TransactionKind.Transfer, Lines = [], ToAccountId = null }), nameof(ExpenseInput.ToAccountId), "goes to");
    }

    [Fact]
    public void ATransferToTheSameAccountIsRefused()
    {
        AssertOnlyError(Validate(Valid with { Kind = TransactionKind.Transfer, Lines = [], ToAccountId = Valid.AccountId }), nameof(ExpenseInput.ToAccountId), "two different accounts");
    }

    [Fact]
    public void ATransferWithACategoryIsRefused()
    {
        AssertOnlyError(Validate(Valid with { Kind = TransactionKind.Transfer, ToAccountId = 2 }), nameof(ExpenseInput.Lines), "no category");
    }

    [Fact]
    public void AValidTransferIsAccepted()
    {
        Assert.Empty(Validate(Valid with { Kind = TransactionKind.Transfer, Lines = [], ToAccountId = 2 }));
    }

    [Fact]
    public void ASplitWithoutACategoryIsRefused()
    {
        AssertOnlyError(Validate(Valid with { Lines = [new LineInput(10, 1000), new LineInput(0, 250)] }), nameof(ExpenseInput.Lines), "needs a category");
    }

    [Fact]
    public void ASplitWithoutAPositiveAmountIsRefused()
    {
        AssertOnlyError(Validate(Valid with { Lines = [new LineInput(10, 1250), new LineInput(11, 0)] }), nameof(ExpenseInput.Lines), "greater than zero");
    }

    [Fact]
    public void SplitsThatDoNotAddUpToTheAmountAreRefused()
    {
        AssertOnlyError(Validate(Valid with { Lines = [new LineInput(10, 1000), new LineInput(11, 249)] }), nameof(ExpenseInput.Lines), "add up");
        Assert.Empty(Validate(Valid with { Lines = [new LineInput(10, 1000), new LineInput(11, 250)] }));
    }

    [Fact]
    public void AnUnknownOriginalCurrencyIsRefused()
    {
        AssertOnlyError(Validate(Valid with { OriginalCurrency = "XYZ", OriginalAmountMinor = 1000, ExchangeRate = 1.25m }), nameof(ExpenseInput.OriginalCurrency), "Unknown currency");
    }

    [Fact]
    public void AForeignAmountNeedsTheOriginalAmount()
    {
        AssertOnlyError(Validate(Valid with { OriginalCurrency = "USD", OriginalAmountMinor = null, ExchangeRate = 0.9m }), nameof(ExpenseInput.OriginalAmountMinor), "original currency");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("-1.5")]
    public void AForeignAmountNeedsAPositiveExchangeRate(string? rate)
    {
        var parsed = rate is null ? (decimal?)null : decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture);
        AssertOnlyError(Validate(Valid with { OriginalCurrency = "USD", OriginalAmountMinor = 1400, ExchangeRate = parsed }), nameof(ExpenseInput.ExchangeRate), "greater than zero");
    }

    [Fact]
    public void AForeignAmountWithRateIsAccepted()
    {
        Assert.Empty(Validate(Valid with { OriginalCurrency = "USD", OriginalAmountMinor = 1400, ExchangeRate = 0.89m }));
    }

    [Fact]
    public void EveryProblemIsReportedAtOnceSoTheFormCanShowThemAll()
    {
        var errors = Validate(new ExpenseInput { AmountMinor = 0, Date = new DateOnly(1800, 1, 1), AccountId = 0 });
        Assert.Contains(nameof(ExpenseInput.AmountMinor), errors.Keys);
        Assert.Contains(nameof(ExpenseInput.Date), errors.Keys);
        Assert.Contains(nameof(ExpenseInput.AccountId), errors.Keys);
        Assert.Contains(nameof(ExpenseInput.Lines), errors.Keys);
    }
}
