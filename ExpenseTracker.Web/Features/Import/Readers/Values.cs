using System.Globalization;
using System.Text.RegularExpressions;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>Amount and date parsing shared by the readers; always culture-explicit.</summary>
public static partial class Values
{
    private const NumberStyles AmountStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>Parses a plain machine amount ("-30.000", "+12.5", "12,50", "1,000.00"); exact decimals kept.</summary>
    public static bool TryParseAmount(string? text, out decimal amount) => TryParseAmount(text, null, out amount);

    /// <summary>
    /// Parses an amount as people write it: currency signs, thousands separators (, . ' space), parentheses or a
    /// trailing minus for negatives. With no decimal separator given, the last of '.' or ',' is the decimal one
    /// unless it is followed by exactly three digits and is the only separator (then it groups thousands).
    /// </summary>
    public static bool TryParseAmount(string? text, char? decimalSeparator, out decimal amount)
    {
        amount = 0m;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        // Signs, parentheses and currency (letters or symbols) may only surround the number, never sit inside it;
        // a hyphen touching a letter is a code like INV-1, not a sign.
        var s = text.Trim();
        if (decimalSeparator is null or '.' && IsPlainAmount(s))
        {
            // The common shape (-1234.56), which the general path below reads the same way.
            amount = NoNegativeZero(decimal.Parse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
            return true;
        }

        if (HyphenTouchingLetter().IsMatch(s))
        {
            return false;
        }

        int from = 0, to = s.Length;
        int minus = 0, parens = 0;
        while (from < to && (IsCurrencyOrSpace(s[from]) || s[from] is '-' or '+' or '('))
        {
            minus += s[from] == '-' ? 1 : 0;
            parens += s[from] == '(' ? 1 : 0;
            from++;
        }

        while (to > from && (IsCurrencyOrSpace(s[to - 1]) || s[to - 1] is '-' or ')'))
        {
            minus += s[to - 1] == '-' ? 1 : 0;
            parens += s[to - 1] == ')' ? 1 : 0;
            to--;
        }

        if (minus > 1 || parens is 1 or > 2 || (parens == 2 && minus > 0))
        {
            return false;
        }

        var negative = minus == 1 || parens == 2;
        var chars = new List<char>(to - from);
        for (var i = from; i < to; i++)
        {
            var c = s[i];
            if (char.IsDigit(c) || c is '.' or ',' or '\'')
            {
                chars.Add(c);
            }
            else if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        s = new string([.. chars]);
        s = s.Replace("'", string.Empty, StringComparison.Ordinal);
        if (s.Length == 0 || (!char.IsDigit(s[0]) && !(s[0] == '.' && s.Length > 1)))
        {
            return false;
        }

        var decimalSep = decimalSeparator ?? GuessDecimalSeparator(s);
        var groupSep = decimalSep == '.' ? ',' : '.';
        s = s.Replace(groupSep.ToString(), string.Empty, StringComparison.Ordinal);
        if (decimalSep != '.')
        {
            s = s.Replace(decimalSep, '.');
        }

        if (s.EndsWith('.'))
        {
            s = s[..^1];
        }

        if (s.Length == 0 || s.Count(c => c == '.') > 1 || s.StartsWith('.') && s.Length == 1)
        {
            return false;
        }

        if (!decimal.TryParse(s, AmountStyle, CultureInfo.InvariantCulture, out amount))
        {
            return false;
        }

        amount = negative ? -amount : amount;
        amount = NoNegativeZero(amount);
        return true;
    }

    /// <summary>An optional minus, 1–15 digits, and optionally a point with one or two digits: nothing to guess.</summary>
    private static bool IsPlainAmount(string s)
    {
        var i = s.Length > 0 && s[0] == '-' ? 1 : 0;
        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            digits++;
        }

        if (digits is 0 or > 15)
        {
            return false;
        }

        if (i == s.Length)
        {
            return true;
        }

        var decimals = s.Length - i - 1;
        if (s[i] != '.' || decimals is < 1 or > 2)
        {
            return false;
        }

        for (i++; i < s.Length; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>yyyy-MM-dd exactly (the common export), read without the general pattern; any value, valid or not.</summary>
    private static bool IsIsoDate(string t, out int year, out int month, out int day)
    {
        (year, month, day) = (0, 0, 0);
        if (t.Length != 10 || t[4] != '-' || t[7] != '-')
        {
            return false;
        }

        foreach (var i in (ReadOnlySpan<int>)[0, 1, 2, 3, 5, 6, 8, 9])
        {
            if (!char.IsAsciiDigit(t[i]))
            {
                return false;
            }
        }

        year = ((t[0] - '0') * 1000) + ((t[1] - '0') * 100) + ((t[2] - '0') * 10) + (t[3] - '0');
        month = ((t[5] - '0') * 10) + (t[6] - '0');
        day = ((t[8] - '0') * 10) + (t[9] - '0');
        return true;
    }

    private static bool IsCurrencyOrSpace(char c) => char.IsLetter(c) || char.IsSymbol(c) || char.IsWhiteSpace(c);

    /// <summary>"-0.00" is money neither in nor out: keep the scale, drop the sign.</summary>
    public static decimal NoNegativeZero(decimal amount) => amount == 0m ? decimal.Abs(amount) : amount;

    private static char GuessDecimalSeparator(string s)
    {
        var lastDot = s.LastIndexOf('.');
        var lastComma = s.LastIndexOf(',');
        if (lastDot >= 0 && lastComma >= 0)
        {
            return lastDot > lastComma ? '.' : ',';
        }

        if (lastComma >= 0)
        {
            var single = s.IndexOf(',') == lastComma;
            var digitsAfter = s.Length - lastComma - 1;
            return single && digitsAfter != 3 ? ',' : '.';
        }

        return '.';
    }

    /// <summary>Column-level guess: ',' when values end in ",d" or ",dd" and none end in ".d"/".dd".</summary>
    public static char GuessDecimalSeparator(IEnumerable<string> values)
    {
        int comma = 0, dot = 0;
        foreach (var v in values)
        {
            var m = TrailingDecimals().Match(v.Trim());
            if (m.Success)
            {
                if (m.Groups[1].Value == ",")
                {
                    comma++;
                }
                else
                {
                    dot++;
                }
            }
        }

        return comma > dot ? ',' : '.';
    }

    /// <summary>Dates like 6/ 1/94, 1/ 1'04, 24/03/2022, 2019-01-23, 23-Jan-15, 2020.01.31, 20240102.</summary>
    public static bool TryParseDate(string? text, DateOrder order, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim();
        if (IsIsoDate(t, out var isoYear, out var isoMonth, out var isoDay))
        {
            return TryMake(isoYear, isoMonth, isoDay, out date);
        }

        var compact = Compact().Match(t);
        if (compact.Success)
        {
            return TryMake(Int(compact.Groups[1].Value), Int(compact.Groups[2].Value), Int(compact.Groups[3].Value), out date);
        }

        if (!TrySplit(t, out var a, out var b, out var c, out var apostrophe))
        {
            return false;
        }

        if (a.Length == 4)
        {
            return TryMake(Int(a), MonthOf(b), Int(c), out date);
        }

        var year = Year(c, apostrophe);
        if (MonthName(a) is { } ma)
        {
            return TryMake(year, ma, Int(b), out date);
        }

        if (MonthName(b) is { } mb)
        {
            return TryMake(year, mb, Int(a), out date);
        }

        return order == DateOrder.MonthDayYear
            ? TryMake(year, Int(a), Int(b), out date)
            : TryMake(year, Int(b), Int(a), out date);
    }

    /// <summary>Day-first when any first part exceeds 12, month-first when any second part does; else null.</summary>
    public static DateOrder? GuessDateOrder(IEnumerable<string> values)
    {
        bool dayFirst = false, monthFirst = false, dotted = false;
        foreach (var v in values)
        {
            if (IsIsoDate(v.Trim(), out _, out _, out _) || !TrySplit(v.Trim(), out var a, out var b, out _, out _) || a.Length == 4)
            {
                continue;
            }

            dotted |= v.Trim().Length > a.Length && v.Trim()[a.Length] == '.';

            if (a.All(char.IsDigit) && b.All(char.IsDigit))
            {
                dayFirst |= Int(a) > 12;
                monthFirst |= Int(b) > 12;
            }
        }

        if (dayFirst == monthFirst)
        {
            // 10.10.2017: dotted dates are day-first wherever they are written.
            return dotted && !monthFirst ? DateOrder.DayMonthYear : null;
        }

        return dayFirst ? DateOrder.DayMonthYear : DateOrder.MonthDayYear;
    }

    public static bool LooksLikeDate(string? text) =>
        TryParseDate(text, DateOrder.DayMonthYear, out _) || TryParseDate(text, DateOrder.MonthDayYear, out _);

    private static bool TrySplit(string t, out string a, out string b, out string c, out bool apostrophe)
    {
        var m = DateParts().Match(t);
        a = m.Groups["a"].Value;
        b = m.Groups["b"].Value;
        c = m.Groups["c"].Value;
        apostrophe = m.Success && m.Groups["sep2"].Value.Contains('\'', StringComparison.Ordinal);
        return m.Success;
    }

    // Two-digit years: QIF writes 2000s with an apostrophe (1/ 1'04); otherwise 00-49 are 20xx, 50-99 are 19xx.
    private static int Year(string c, bool apostrophe)
    {
        var y = Int(c);
        if (c.Length > 2)
        {
            return y;
        }

        return apostrophe || y < 50 ? 2000 + y : 1900 + y;
    }

    private static int MonthOf(string s) => MonthName(s) ?? Int(s);

    private static int? MonthName(string s)
    {
        if (s.Length < 3 || !char.IsLetter(s[0]))
        {
            return null;
        }

        var names = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames;
        for (var i = 0; i < 12; i++)
        {
            if (s.StartsWith(names[i], StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }

        return null;
    }

    private static int Int(string s) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;

    private static bool TryMake(int year, int month, int day, out DateOnly date)
    {
        date = default;
        if (year is < 1900 or > 2200 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    [GeneratedRegex(@"^(\d{4})(\d{2})(\d{2})(?:\d{6})?(?:\.\d+)?(?:\[.*\])?$")]
    private static partial Regex Compact();

    [GeneratedRegex(@"^(?<a>\d{1,4}|[A-Za-z]{3,9})\s*[./\-]\s*(?<b>\d{1,2}|[A-Za-z]{3,9})\s*(?<sep2>[./\-']|,\s)\s*(?<c>\d{4}|\d{2})(?!\d)(?:$|[\sT,])")]
    private static partial Regex DateParts();

    [GeneratedRegex(@"\p{L}-|-\p{L}")]
    private static partial Regex HyphenTouchingLetter();

    [GeneratedRegex(@"\d([.,])\d{1,2}$")]
    private static partial Regex TrailingDecimals();
}
