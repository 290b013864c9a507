using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Search;

/// <summary>One filter of a query line, as typed (<see cref="Source"/>) and resolved (amounts in minor units, absolute dates).</summary>
public abstract record SearchTerm(string Source, int Start, bool Negated)
{
    /// <summary>Where the term ends in the line (for removing it when its chip is closed).</summary>
    public int End => Start + Source.Length;
}

/// <summary>Words of the payee, notes or tags (full-text, prefix-matched, accents folded); a quoted phrase matches as a phrase.</summary>
public sealed record TextTerm(string Source, int Start, bool Negated, string Text, bool Phrase) : SearchTerm(Source, Start, Negated);

/// <summary>category:, tag:, payee:, member:, account: — a name (payee: matches a part of the name).</summary>
public sealed record NameTerm(string Source, int Start, bool Negated, SearchField Field, string Name) : SearchTerm(Source, Start, Negated);

public sealed record KindTerm(string Source, int Start, bool Negated, TransactionKind Kind) : SearchTerm(Source, Start, Negated);

/// <summary>amount&gt;, amount&lt;, amount:, both bounds inclusive in minor units (amount&gt;10 is at least 10.01).</summary>
public sealed record AmountTerm(string Source, int Start, bool Negated, long? Min, long? Max) : SearchTerm(Source, Start, Negated);

/// <summary>date: a day, month, year, range or preset; both bounds inclusive, either may be open.</summary>
public sealed record DateTerm(string Source, int Start, bool Negated, DateOnly? From, DateOnly? To) : SearchTerm(Source, Start, Negated);

public enum SearchField
{
    Category = 0,
    Tag = 1,
    Payee = 2,
    Member = 3,
    Account = 4,
}

/// <summary>A parsed query line: its terms, or what is wrong with it in plain words (and where).</summary>
public sealed record QueryLineResult(IReadOnlyList<SearchTerm> Terms, string? Error, int ErrorPosition)
{
    public bool IsValid => Error is null;
}

public sealed class QueryLineException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>
/// The search language of the expense list, the charts' drill-down, exports and the API:
/// <c>coffee -starbucks category:Groceries tag:"school trip" payee:amazon member:Alex amount&gt;20 amount&lt;=100
/// date:2026-03 date:2026-01-01..2026-02-15 date:last-year kind:refund "gift card"</c>.
/// Terms are combined with AND; the same filter given twice (category:A category:B) matches either; a leading <c>-</c>
/// negates any term. Amounts are in the household currency with a dot for decimals.
/// </summary>
public static class QueryLine
{
    public const int MaxLength = 500;

    public static readonly IReadOnlyList<string> Presets =
        ["today", "yesterday", "this-week", "last-week", "this-month", "last-month", "this-year", "last-year", "last-7-days", "last-30-days", "last-12-months"];

    private static readonly Dictionary<string, SearchField> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["category"] = SearchField.Category,
        ["cat"] = SearchField.Category,
        ["tag"] = SearchField.Tag,
        ["payee"] = SearchField.Payee,
        ["member"] = SearchField.Member,
        ["account"] = SearchField.Account,
    };

    private const string Help = "Filters: category:, tag:, payee:, member:, account:, kind:, amount>, amount<, date:.";

    /// <summary>Parses <paramref name="text"/>; never throws (an invalid line gives <see cref="QueryLineResult.Error"/>).</summary>
    public static QueryLineResult Parse(string? text, DateOnly today, string currency, DayOfWeek firstDayOfWeek = DayOfWeek.Monday)
    {
        try
        {
            return new QueryLineResult(ParseOrThrow(text, today, currency, firstDayOfWeek), null, 0);
        }
        catch (QueryLineException ex)
        {
            return new QueryLineResult([], ex.Message, ex.Position);
        }
    }

    /// <summary>The terms of <paramref name="text"/>, or a <see cref="QueryLineException"/> saying what is wrong.</summary>
    public static IReadOnlyList<SearchTerm> ParseOrThrow(string? text, DateOnly today, string currency, DayOfWeek firstDayOfWeek = DayOfWeek.Monday)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        if (text.Length > MaxLength)
        {
            throw new QueryLineException($"The search is too long (at most {MaxLength} characters).", MaxLength);
        }

        var context = new Context(today, currency, firstDayOfWeek);
        return [.. Tokenize(text).Select(token => ToTerm(token, context))];
    }

    /// <summary>The line without one term (its chip was closed), spaces tidied.</summary>
    public static string Without(string text, SearchTerm term)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(term);
        return string.Join(' ', (text[..term.Start] + " " + text[term.End..]).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A value quoted when it needs to be (spaces, quotes), for building lines from chips and links.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var plain = value.Length > 0 && value[0] != '-' && !value.Any(c => char.IsWhiteSpace(c) || c is '"' or ':');
        return plain ? value : "\"" + value.Replace("\"", string.Empty, StringComparison.Ordinal) + "\"";
    }

    private sealed record Context(DateOnly Today, string Currency, DayOfWeek FirstDayOfWeek);

    private sealed record Token(string Source, int Start, bool Negated, string? Key, string Operator, string Value, bool Quoted);

    /// <summary>Splits on white space outside quotes: [-][key(:|&gt;|&lt;|&gt;=|&lt;=|=)]value, value possibly "quoted".</summary>
    private static IEnumerable<Token> Tokenize(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var negated = false;
            if (text[i] == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && !char.IsDigit(text[i + 1]))
            {
                negated = true;
                i++;
            }
            else if (text[i] == '-' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                throw new QueryLineException("A \"-\" must be followed by what to leave out, e.g. -coffee or -category:Rent.", i);
            }

            string? key = null;
            var op = string.Empty;
            var keyEnd = i;
            while (keyEnd < text.Length && char.IsAsciiLetter(text[keyEnd]))
            {
                keyEnd++;
            }

            if (keyEnd > i && keyEnd < text.Length && text[keyEnd] is ':' or '>' or '<' or '=')
            {
                key = text[i..keyEnd];
                op = text[keyEnd].ToString();
                i = keyEnd + 1;
                if (op is ">" or "<" && i < text.Length && text[i] == '=')
                {
                    op += "=";
                    i++;
                }
            }

            var valueStart = i;
            string value;
            var quoted = i < text.Length && text[i] == '"';
            if (quoted)
            {
                var close = text.IndexOf('"', i + 1);
                if (close < 0)
                {
                    throw new QueryLineException("A quote is not closed: add the closing \".", i);
                }

                value = text[(i + 1)..close];
                i = close + 1;
                if (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    throw new QueryLineException("Leave a space after a closing quote.", i);
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    if (text[i] == '"')
                    {
                        throw new QueryLineException("A quote can only start a value, e.g. payee:\"Corner shop\".", i);
                    }

                    i++;
                }

                value = text[valueStart..i];
            }

            yield return new Token(text[start..i], start, negated, key, op, value, quoted);
        }
    }

    private static SearchTerm ToTerm(Token token, Context context)
    {
        if (token.Key is null)
        {
            return TextOf(token);
        }

        var key = token.Key.ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(token.Value))
        {
            throw new QueryLineException($"\"{token.Key}{token.Operator}\" needs a value after it.", token.Start);
        }

        if (Fields.TryGetValue(key, out var field))
        {
            RequireColon(token);
            return new NameTerm(token.Source, token.Start, token.Negated, field, token.Value.Trim());
        }

        return key switch
        {
            "kind" => KindOf(token),
            "amount" => AmountOf(token, context),
            "date" => DateOf(token, context),
            // "10:30" or "re:" inside notes are words, only letters-then-colon looks like a filter.
            _ when token.Operator != ":" => TextOf(token with { Key = null }),
            _ => throw new QueryLineException($"Unknown filter \"{token.Key}:\". {Help} Put words with a colon in quotes.", token.Start),
        };
    }

    private static TextTerm TextOf(Token token)
    {
        var text = token.Key is null ? token.Value : token.Source.TrimStart('-');
        if (!text.Any(char.IsLetterOrDigit))
        {
            throw new QueryLineException($"\"{token.Source}\" has no letters or digits to search for.", token.Start);
        }

        return new TextTerm(token.Source, token.Start, token.Negated, text, token.Quoted);
    }

    private static void RequireColon(Token token)
    {
        if (token.Operator != ":")
        {
            throw new QueryLineException($"Write {token.Key}: followed by a name, e.g. {token.Key}:Groceries.", token.Start);
        }
    }

    private static KindTerm KindOf(Token token)
    {
        RequireColon(token);
        return Enum.TryParse<TransactionKind>(token.Value, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !token.Value.Any(char.IsDigit)
            ? new KindTerm(token.Source, token.Start, token.Negated, kind)
            : throw new QueryLineException(
                $"\"{token.Value}\" is not a kind: use {string.Join(", ", Enum.GetNames<TransactionKind>().Select(n => n.ToLowerInvariant()))}.", token.Start);
    }

    private static AmountTerm AmountOf(Token token, Context context)
    {
        if (token.Operator is ":" or "=" && token.Value.Contains("..", StringComparison.Ordinal))
        {
            var parts = token.Value.Split("..");
            var low = parts[0].Length == 0 ? (long?)null : Minor(parts[0], token, context);
            var high = parts[1].Length == 0 ? (long?)null : Minor(parts[1], token, context);
            if (parts.Length != 2 || (low is null && high is null))
            {
                throw new QueryLineException("Write an amount range as amount:10..50.", token.Start);
            }

            return low > high
                ? throw new QueryLineException($"In \"{token.Source}\" the first amount is larger than the second.", token.Start)
                : new AmountTerm(token.Source, token.Start, token.Negated, low, high);
        }

        var value = Minor(token.Value, token, context);
        return token.Operator switch
        {
            ">" => new AmountTerm(token.Source, token.Start, token.Negated, value + 1, null),
            ">=" => new AmountTerm(token.Source, token.Start, token.Negated, value, null),
            "<" => new AmountTerm(token.Source, token.Start, token.Negated, null, value - 1),
            "<=" => new AmountTerm(token.Source, token.Start, token.Negated, null, value),
            _ => new AmountTerm(token.Source, token.Start, token.Negated, value, value),
        };
    }

    private static long Minor(string text, Token token, Context context)
    {
        var exponent = Currencies.Exponent(context.Currency);
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value > Money.MaxMajorAmount)
        {
            throw new QueryLineException($"\"{text}\" in \"{token.Source}\" is not an amount: write digits with a dot for decimals, e.g. amount>12.50.", token.Start);
        }

        if (decimal.Round(value, exponent) != value)
        {
            throw new QueryLineException($"\"{text}\" has more decimals than {context.Currency} has ({exponent}).", token.Start);
        }

        return Money.ToMinor(value, context.Currency);
    }

    private static DateTerm DateOf(Token token, Context context)
    {
        var value = token.Value.Trim().ToLowerInvariant();
        if (token.Operator is not (":" or "="))
        {
            var (from, to) = DayRange(value, token);
            return token.Operator switch
            {
                ">" => new DateTerm(token.Source, token.Start, token.Negated, to.AddDays(1), null),
                ">=" => new DateTerm(token.Source, token.Start, token.Negated, from, null),
                "<" => new DateTerm(token.Source, token.Start, token.Negated, null, from.AddDays(-1)),
                _ => new DateTerm(token.Source, token.Start, token.Negated, null, to),
            };
        }

        if (Preset(value, context) is { } preset)
        {
            return new DateTerm(token.Source, token.Start, token.Negated, preset.From, preset.To);
        }

        if (value.Contains("..", StringComparison.Ordinal))
        {
            var parts = value.Split("..");
            if (parts.Length != 2 || (parts[0].Length == 0 && parts[1].Length == 0))
            {
                throw new QueryLineException("Write a date range as date:2026-01-01..2026-03-31 (either side may be left open).", token.Start);
            }

            DateOnly? from = parts[0].Length == 0 ? null : DayRange(parts[0], token).From;
            DateOnly? to = parts[1].Length == 0 ? null : DayRange(parts[1], token).To;
            return from > to
                ? throw new QueryLineException($"In \"{token.Source}\" the range ends before it starts.", token.Start)
                : new DateTerm(token.Source, token.Start, token.Negated, from, to);
        }

        var range = DayRange(value, token);
        return new DateTerm(token.Source, token.Start, token.Negated, range.From, range.To);
    }

    /// <summary>yyyy-MM-dd (a day), yyyy-MM (a month) or yyyy (a year).</summary>
    private static (DateOnly From, DateOnly To) DayRange(string text, Token token)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return (day, day);
        }

        if (DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) && text.Length == 7)
        {
            return HouseholdDates.MonthOf(month);
        }

        if (text.Length == 4 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1900 and <= 2200)
        {
            return (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        }

        throw new QueryLineException(
            $"\"{text}\" in \"{token.Source}\" is not a date: write 2026-03-15, 2026-03 or 2026, a range with .., or one of {string.Join(", ", Presets)}.", token.Start);
    }

    private static (DateOnly From, DateOnly To)? Preset(string value, Context context)
    {
        var today = context.Today;
        var weekStart = today.AddDays(-(((int)today.DayOfWeek - (int)context.FirstDayOfWeek + 7) % 7));
        return value switch
        {
            "today" => (today, today),
            "yesterday" => (today.AddDays(-1), today.AddDays(-1)),
            "this-week" => (weekStart, weekStart.AddDays(6)),
            "last-week" => (weekStart.AddDays(-7), weekStart.AddDays(-1)),
            "this-month" => HouseholdDates.MonthOf(today),
            "last-month" => HouseholdDates.MonthOf(today.AddMonths(-1)),
            "this-year" => HouseholdDates.YearOf(today),
            "last-year" => HouseholdDates.YearOf(today.AddYears(-1)),
            "last-7-days" => (today.AddDays(-6), today),
            "last-30-days" => (today.AddDays(-29), today),
            "last-12-months" => (HouseholdDates.MonthOf(today.AddMonths(-11)).From, today),
            _ => null,
        };
    }

    /// <summary>
    /// The FTS5 query for one text term: each word a prefix ("caf" finds "Café"; the index folds accents), a quoted term a
    /// phrase. Quotes are doubled so nothing the user types is FTS syntax.
    /// </summary>
    public static string FullTextQuery(TextTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var words = SplitWords(term.Text);
        return term.Phrase
            ? "\"" + string.Join(' ', words) + "\""
            : string.Join(' ', words.Select(w => "\"" + w + "\"*"));
    }

    /// <summary>
    /// The PostgreSQL tsquery for one text term, the same search as <see cref="FullTextQuery"/>: each word a prefix
    /// (<c>'caf':*</c>), a quoted term a phrase (<c>'gift' &lt;-&gt; 'card'</c>), words folded like the index's document
    /// (lower case, accents stripped: "CAFÉ" is <c>'cafe'</c>). Words hold only letters and digits and are quoted, so nothing
    /// the user types is tsquery syntax.
    /// </summary>
    public static string TsQuery(TextTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var words = SplitWords(term.Text).Select(TextKey.Fold).Where(w => w.Length > 0).Select(w => "'" + w + "'");
        return term.Phrase ? string.Join(" <-> ", words) : string.Join(" & ", words.Select(w => w + ":*"));
    }

    private static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
