using System.Globalization;
using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Tests.Unit.Import;

public sealed class ValuesTests
{
    [Theory]
    [InlineData("-30.000", "-30.000")]
    [InlineData("+12.5", "12.5")]
    [InlineData("-$12.50", "-12.50")]
    [InlineData("12.50 EUR", "12.50")]
    [InlineData("12.50-", "-12.50")]
    [InlineData("1 234,56", "1234.56")]
    [InlineData("1\u202F234,56\u00A0€", "1234.56")]
    [InlineData("1,000", "1000")]
    [InlineData("0,5", "0.5")]
    [InlineData("-0", "0")]
    public void AmountsKeepTheirWrittenDecimals(string text, string expected)
    {
        Assert.True(Values.TryParseAmount(text, out var amount));
        Assert.Equal(expected, amount.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("-1234.56", "-1234.56")]
    [InlineData("7", "7")]
    [InlineData("-0.00", "0.00")]
    [InlineData("0.5", "0.5")]
    [InlineData("  42.10 ", "42.10")]
    [InlineData("123456789012345.99", "123456789012345.99")]
    [InlineData("1234567890123456", "1234567890123456")]
    [InlineData("1.234", "1.234")]
    public void PlainAmountsReadTheSameOnTheShortPath(string text, string expected)
    {
        Assert.True(Values.TryParseAmount(text, out var amount));
        Assert.Equal(expected, amount.ToString(CultureInfo.InvariantCulture));
        Assert.True(Values.TryParseAmount(text, '.', out var withSeparator));
        Assert.Equal(expected, withSeparator.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2024-02-29", "2024-02-29")]
    [InlineData("2023-02-29", null)]
    [InlineData("2024-13-01", null)]
    [InlineData("2024-00-10", null)]
    [InlineData("1899-12-31", null)]
    [InlineData(" 2026-11-28 ", "2026-11-28")]
    [InlineData("2026-11-28T10:15:00", "2026-11-28")]
    public void IsoDatesReadAlikeInEitherOrder(string text, string? expected)
    {
        foreach (var order in new[] { DateOrder.DayMonthYear, DateOrder.MonthDayYear })
        {
            var ok = Values.TryParseDate(text, order, out var date);
            Assert.Equal(expected, ok ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null);
        }

        Assert.Null(Values.GuessDateOrder([text, "2026-01-31"]));
    }

    [Theory]
    [InlineData("INV-1")]
    [InlineData("12abc34")]
    [InlineData("1-2")]
    [InlineData("--5")]
    [InlineData("(5")]
    [InlineData("")]
    [InlineData("EUR")]
    public void TextThatIsNotAnAmountIsRejected(string text) => Assert.False(Values.TryParseAmount(text, out _));

    [Theory]
    [InlineData("6/ 1/94", DateOrder.MonthDayYear, "1994-06-01")]
    [InlineData("1/ 1'04", DateOrder.MonthDayYear, "2004-01-01")]
    [InlineData("23-Jan-15", DateOrder.DayMonthYear, "2015-01-23")]
    [InlineData("2020.01.31", DateOrder.DayMonthYear, "2020-01-31")]
    [InlineData("20240102", DateOrder.DayMonthYear, "2024-01-02")]
    [InlineData("2021-02-03 13:12", DateOrder.MonthDayYear, "2021-02-03")]
    public void DatesInTheShapesBanksWrite(string text, DateOrder order, string expected)
    {
        Assert.True(Values.TryParseDate(text, order, out var date));
        Assert.Equal(expected, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("31/02/2024")]
    [InlineData("pending")]
    [InlineData("13/13/2024")]
    public void ImpossibleDatesAreRejected(string text) => Assert.False(Values.TryParseDate(text, DateOrder.DayMonthYear, out _));
}
