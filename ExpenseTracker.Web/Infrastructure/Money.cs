using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

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

    /// <summary>Parses what a person typed ("1.234,56" in de-DE, "1,234.56" in en-US, "¥1,235" in ja-JP).</summary>
    public static bool TryParse(string? text, CultureInfo culture, string currency, out long minor)
    {
        minor = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var cleaned = text.Trim()
            .Replace(currency, string.Empty, StringComparison.OrdinalIgnoreCase)
            .Replace(culture.NumberFormat.CurrencySymbol, string.Empty, StringComparison.Ordinal)
            .Replace('\u00A0', ' ')
            .Replace('\u202F', ' ')
            .Trim();
        const NumberStyles styles = NumberStyles.Number | NumberStyles.AllowLeadingSign;
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        if (culture.NumberFormat.NumberGroupSeparator is "\u00A0" or "\u202F")
        {
            cleaned = cleaned.Replace(" ", string.Empty, StringComparison.Ordinal);
        }

        if (!decimal.TryParse(cleaned, styles, format, out var value))
        {
            return false;
        }

        var exponent = Currencies.Exponent(currency);
        if (decimal.Round(value, exponent) != value || Math.Abs(value) > MaxMajorAmount)
        {
            return false;
        }

        minor = ToMinor(value, currency);
        return true;
    }

    /// <summary>Formats with the culture's number and currency symbol placement, using the currency's exponent.</summary>
    public static string Format(long minor, string currency, CultureInfo culture)
    {
        var exponent = Currencies.Exponent(currency);
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencyDecimalDigits = exponent;
        format.CurrencySymbol = CurrencySymbol(currency, culture);
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
