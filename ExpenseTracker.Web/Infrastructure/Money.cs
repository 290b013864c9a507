using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>ISO 4217 currencies and their minor-unit exponents. Never assume 2.</summary>
public static class Currencies
{
    private static readonly FrozenDictionary<string, int> Exponents = BuildTable();

    public static IReadOnlyCollection<string> Codes { get; } = Exponents.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool IsKnown([NotNullWhen(true)] string? code) => code is not null && Exponents.ContainsKey(code);

    public static int Exponent(string code) =>
        Exponents.TryGetValue(code, out var exponent)
            ? exponent
            : throw new ArgumentException($"'{code}' is not an ISO 4217 currency code.", nameof(code));

    private static FrozenDictionary<string, int> BuildTable()
    {
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        const string two =
            "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF " +
            "CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF " +
            "IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK " +
            "MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE " +
            "SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG";
        foreach (var code in two.Split(' '))
        {
            table[code] = 2;
        }

        foreach (var code in "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".Split(' '))
        {
            table[code] = 0;
        }

        foreach (var code in "BHD IQD JOD KWD LYD OMR TND".Split(' '))
        {
            table[code] = 3;
        }

        table["CLF"] = 4;
        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>Conversions between decimal amounts, text and integer minor units. Rounding happens here and only here.</summary>
public static class Money
{
    /// <summary>A sane upper bound for one transaction: 1 billion major units.</summary>
    public const decimal MaxMajorAmount = 1_000_000_000m;

    /// <summary>Rounds to the currency's minor unit, half away from zero.</summary>
    public static long ToMinor(decimal amount, string currency)
    {
        var exponent = Currencies.Exponent(currency);
        var scaled = amount * Pow10(exponent);
        return (long)Math.Round(scaled, 0, MidpointRounding.AwayFromZero);
    }

    public static decimal ToMajor(long minor, string currency) => minor / Pow10(Currencies.Exponent(currency));

    /// <summary>
    /// Parses what a person typed ("1.234,56" in de-DE, "1,234.56" in en-US, "1 234,56" in fr-FR, "¥1,235" in ja-JP).
    /// Currency symbols and the ISO code are ignored. Group separators must sit where the culture puts them, so a
    /// European "12,50" typed into an en-US field is refused instead of becoming 1,250.
    /// </summary>
    public static bool TryParse(string? text, CultureInfo culture, string currency, out long minor)
    {
        minor = 0;
        var exponent = Currencies.Exponent(currency);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var format = culture.NumberFormat;
        var group = format.NumberGroupSeparator;

        // fr-FR groups with U+202F, others with U+00A0; people type a plain space. All mean "group" there.
        var spaceGrouped = group.Length == 1 && char.IsWhiteSpace(group[0]);
        var withoutSymbols = text
            .Replace(currency, string.Empty, StringComparison.OrdinalIgnoreCase)
            .Replace(format.CurrencySymbol, string.Empty, StringComparison.Ordinal);
        var builder = new StringBuilder(withoutSymbols.Length);
        foreach (var c in withoutSymbols)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol)
            {
                continue;
            }

            builder.Append(char.IsWhiteSpace(c) && spaceGrouped ? group[0] : c);
        }

        var cleaned = builder.ToString().Trim();
        if (cleaned.Length == 0 || !HasValidGrouping(cleaned, format))
        {
            return false;
        }

        const NumberStyles styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands;
        if (!decimal.TryParse(cleaned, styles, format, out var value))
        {
            return false;
        }

        if (decimal.Round(value, exponent) != value || Math.Abs(value) > MaxMajorAmount)
        {
            return false;
        }

        minor = ToMinor(value, currency);
        return true;
    }

    /// <summary>True when every group separator in the integer part sits where the culture's group sizes put it.</summary>
    private static bool HasValidGrouping(string number, NumberFormatInfo format)
    {
        var group = format.NumberGroupSeparator;
        if (group.Length == 0)
        {
            return true;
        }

        var decimalIndex = number.IndexOf(format.NumberDecimalSeparator, StringComparison.Ordinal);
        if (decimalIndex >= 0 && number.IndexOf(group, decimalIndex, StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        var integerPart = (decimalIndex >= 0 ? number[..decimalIndex] : number).TrimStart('-', '+', ' ');
        if (!integerPart.Contains(group, StringComparison.Ordinal))
        {
            return true;
        }

        var groups = integerPart.Split(group);
        var sizes = format.NumberGroupSizes.Length > 0 ? format.NumberGroupSizes : [3];
        for (var i = 0; i < groups.Length; i++)
        {
            var index = groups.Length - 1 - i;
            var expected = sizes[Math.Min(i, sizes.Length - 1)];
            var current = groups[index];
            if (expected == 0)
            {
                return false;
            }

            var valid = index == 0 ? current.Length >= 1 && current.Length <= expected : current.Length == expected;
            if (!valid || !current.All(char.IsAsciiDigit))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats with the culture's number and currency symbol placement, using the currency's exponent.</summary>
    public static string Format(long minor, string currency, CultureInfo culture)
    {
        var exponent = Currencies.Exponent(currency);
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencyDecimalDigits = exponent;
        format.CurrencySymbol = CurrencySymbol(currency, culture);
        if (format.CurrencySymbol == currency)
        {
            // A code reads better apart from the number: "EUR 1,234.56", "1 234,56 EUR".
            format.CurrencyPositivePattern = format.CurrencyPositivePattern switch { 0 => 2, 1 => 3, var p => p };
        }
        return ToMajor(minor, currency).ToString("C", format);
    }

    /// <summary>The amount as a plain number for input fields ("1234.56" → "1.234,56" in de-DE without symbol).</summary>
    public static string FormatPlain(long minor, string currency, CultureInfo culture)
    {
        var exponent = Currencies.Exponent(currency);
        return ToMajor(minor, currency).ToString("N" + exponent.ToString(CultureInfo.InvariantCulture), culture);
    }

    private static string CurrencySymbol(string currency, CultureInfo culture)
    {
        try
        {
            var region = new RegionInfo(culture.Name);
            if (string.Equals(region.ISOCurrencySymbol, currency, StringComparison.Ordinal))
            {
                return culture.NumberFormat.CurrencySymbol;
            }
        }
        catch (ArgumentException)
        {
            // Neutral or invariant culture: no region, fall through to the code.
        }

        return currency;
    }

    private static decimal Pow10(int exponent) => exponent switch
    {
        0 => 1m,
        1 => 10m,
        2 => 100m,
        3 => 1000m,
        4 => 10000m,
        _ => throw new ArgumentOutOfRangeException(nameof(exponent)),
    };
}
