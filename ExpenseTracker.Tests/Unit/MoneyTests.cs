using System.Globalization;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Unit;

public sealed class MoneyParsingTests
{
    private static CultureInfo Culture(string name) => CultureInfo.GetCultureInfo(name);

    [Theory]
    [InlineData("en-US", "1,234.56", "EUR", 123456)]
    [InlineData("en-US", "1234.56", "EUR", 123456)]
    [InlineData("en-US", "12", "EUR", 1200)]
    [InlineData("en-US", "0.5", "EUR", 50)]
    [InlineData("en-US", "$1,234.56", "USD", 123456)]
    [InlineData("en-US", " 12.30 EUR ", "EUR", 1230)]
    [InlineData("de-DE", "1.234,56", "EUR", 123456)]
    [InlineData("de-DE", "1234,56", "EUR", 123456)]
    [InlineData("de-DE", "1.234,56 €", "EUR", 123456)]
    [InlineData("de-DE", "12,5", "EUR", 1250)]
    [InlineData("fr-FR", "1\u202F234,56", "EUR", 123456)]
    [InlineData("fr-FR", "1\u00A0234,56", "EUR", 123456)]
    [InlineData("fr-FR", "1 234,56", "EUR", 123456)]
    [InlineData("fr-FR", "1\u202F234,56\u00A0€", "EUR", 123456)]
    [InlineData("ja-JP", "1,235", "JPY", 1235)]
    [InlineData("ja-JP", "￥1,235", "JPY", 1235)]
    [InlineData("ja-JP", "¥1,235", "JPY", 1235)]
    [InlineData("ja-JP", "1235", "JPY", 1235)]
    [InlineData("en-US", "1.234", "BHD", 1234)]
    [InlineData("en-US", "1,000.001", "BHD", 1000001)]
    public void WhatAPersonTypesInTheirCultureBecomesTheExactMinorAmount(string culture, string text, string currency, long expected)
    {
        Assert.True(Money.TryParse(text, Culture(culture), currency, out var minor));
        Assert.Equal(expected, minor);
    }

    [Theory]
    [InlineData("en-US", "1.234", "EUR")]
    [InlineData("en-US", "12.345", "USD")]
    [InlineData("de-DE", "1,234", "EUR")]
    [InlineData("ja-JP", "1,235.5", "JPY")]
    [InlineData("ja-JP", "12.1", "JPY")]
    [InlineData("en-US", "1.2345", "BHD")]
    public void AnAmountWithMoreDecimalsThanTheCurrencyHasIsRefused(string culture, string text, string currency)
    {
        Assert.False(Money.TryParse(text, Culture(culture), currency, out _));
    }

    [Theory]
    [InlineData("en-US", "")]
    [InlineData("en-US", "   ")]
    [InlineData("en-US", null)]
    [InlineData("en-US", "abc")]
    [InlineData("en-US", "12abc")]
    [InlineData("en-US", "1..2")]
    [InlineData("en-US", "€")]
    [InlineData("en-US", "1e5")]
    [InlineData("de-DE", "12.34.56,7")]
    [InlineData("fr-FR", "douze")]
    public void GarbageIsRefused(string culture, string? text)
    {
        Assert.False(Money.TryParse(text, Culture(culture), "EUR", out var minor));
        Assert.Equal(0, minor);
    }

    [Theory]
    [InlineData("en-US", "12,50")]
    [InlineData("en-US", "1,2,3")]
    [InlineData("en-US", "1234,567.00")]
    [InlineData("de-DE", "12.50")]
    [InlineData("de-DE", "1.23,45")]
    [InlineData("fr-FR", "12 50")]
    public void AGroupSeparatorInTheWrongPlaceIsRefusedRatherThanMisread(string culture, string text)
    {
        Assert.False(Money.TryParse(text, Culture(culture), "EUR", out _));
    }

    [Fact]
    public void AnAmountAboveTheSaneMaximumIsRefused()
    {
        Assert.False(Money.TryParse("1,000,000,000.01", Culture("en-US"), "EUR", out _));
        Assert.True(Money.TryParse("1,000,000,000.00", Culture("en-US"), "EUR", out var max));
        Assert.Equal(100_000_000_000, max);
    }

    [Fact]
    public void AnUnknownCurrencyCodeIsAProgrammingErrorNotAParseFailure()
    {
        Assert.Throws<ArgumentException>(() => Money.TryParse("12", Culture("en-US"), "XYZ", out _));
    }
}

public sealed class MoneyFormattingTests
{
    private static CultureInfo Culture(string name) => CultureInfo.GetCultureInfo(name);

    [Fact]
    public void DollarsInTheUsShowTheSymbolBeforeTheAmountWithCents()
    {
        Assert.Equal("$1,234.56", Money.Format(123456, "USD", Culture("en-US")));
    }

    [Fact]
    public void EurosInGermanyShowPeriodGroupsCommaDecimalsAndTheSymbolAfter()
    {
        Assert.Equal("1.234,56 €", Money.Format(123456, "EUR", Culture("de-DE")));
    }

    [Fact]
    public void EurosInFranceGroupWithTheCulturesOwnSpaceCharacter()
    {
        var group = Culture("fr-FR").NumberFormat.CurrencyGroupSeparator;
        var text = Money.Format(123456, "EUR", Culture("fr-FR"));
        Assert.StartsWith("1" + group + "234,56", text, StringComparison.Ordinal);
        Assert.EndsWith("€", text, StringComparison.Ordinal);
    }

    [Fact]
    public void YenInJapanHaveNoDecimals()
    {
        var text = Money.Format(1235, "JPY", Culture("ja-JP"));
        Assert.Contains("1,235", text, StringComparison.Ordinal);
        Assert.DoesNotContain(".", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BahrainiDinarsShowThreeDecimals()
    {
        Assert.Equal("1,234.567", Money.FormatPlain(1234567, "BHD", Culture("en-US")));
    }

    [Fact]
    public void AForeignCurrencyIsShownWithItsCodeSoItIsNotMistakenForTheLocalOne()
    {
        var text = Money.Format(123456, "EUR", Culture("en-US"));
        Assert.Contains("EUR", text, StringComparison.Ordinal);
        Assert.DoesNotContain("$", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en-US", "EUR", 123456)]
    [InlineData("en-US", "USD", 5)]
    [InlineData("de-DE", "EUR", 123456789)]
    [InlineData("fr-FR", "EUR", 123456)]
    [InlineData("fr-FR", "EUR", 99)]
    [InlineData("ja-JP", "JPY", 1235)]
    [InlineData("ja-JP", "JPY", 1234567)]
    [InlineData("en-US", "BHD", 1234567)]
    [InlineData("de-DE", "BHD", 1)]
    public void AFormattedAmountParsesBackToTheSameMinorUnits(string culture, string currency, long minor)
    {
        Assert.True(Money.TryParse(Money.Format(minor, currency, Culture(culture)), Culture(culture), currency, out var parsed));
        Assert.Equal(minor, parsed);
        Assert.True(Money.TryParse(Money.FormatPlain(minor, currency, Culture(culture)), Culture(culture), currency, out var plain));
        Assert.Equal(minor, plain);
    }
}

public sealed class MinorUnitRoundingTests
{
    [Theory]
    [InlineData("2.345", "EUR", 235)]
    [InlineData("-2.345", "EUR", -235)]
    [InlineData("2.344", "EUR", 234)]
    [InlineData("2.5", "JPY", 3)]
    [InlineData("-2.5", "JPY", -3)]
    [InlineData("3.5", "JPY", 4)]
    [InlineData("1.2345", "BHD", 1235)]
    [InlineData("0.005", "USD", 1)]
    [InlineData("0.0049", "USD", 0)]
    public void HalfwayAmountsRoundAwayFromZeroInTheCurrencysMinorUnit(string amount, string currency, long expected)
    {
        Assert.Equal(expected, Money.ToMinor(decimal.Parse(amount, CultureInfo.InvariantCulture), currency));
    }

    [Theory]
    [InlineData(123456, "EUR", "1234.56")]
    [InlineData(1235, "JPY", "1235")]
    [InlineData(1234567, "BHD", "1234.567")]
    public void MinorUnitsConvertBackToTheMajorAmount(long minor, string currency, string expected)
    {
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), Money.ToMajor(minor, currency));
    }

    [Fact]
    public void CurrencyExponentsComeFromIso4217NotAnAssumedTwo()
    {
        Assert.Equal(0, Currencies.Exponent("JPY"));
        Assert.Equal(2, Currencies.Exponent("EUR"));
        Assert.Equal(3, Currencies.Exponent("BHD"));
        Assert.False(Currencies.IsKnown("XYZ"));
        Assert.False(Currencies.IsKnown("eur"));
    }
}
