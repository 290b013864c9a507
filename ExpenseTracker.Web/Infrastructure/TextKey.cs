using System.Globalization;
using System.Text;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>Case-folded, accent-stripped keys for search and de-duplication (SQLite's NOCASE folds ASCII only).</summary>
public static class TextKey
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        if (System.Text.Ascii.IsValid(text))
        {
            return FoldAscii(text.AsSpan().Trim());
        }

        var decomposed = text.Trim().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var lastWasSpace = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    builder.Append(' ');
                }

                lastWasSpace = true;
                continue;
            }

            lastWasSpace = false;
            builder.Append(c switch
            {
                'ß' or 'ẞ' => "ss",
                'æ' or 'Æ' => "ae",
                'ø' or 'Ø' => "o",
                'œ' or 'Œ' => "oe",
                'ł' or 'Ł' => "l",
                'đ' or 'Đ' => "d",
                _ => char.ToLowerInvariant(c).ToString(),
            });
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>The common case (bank payees are mostly ASCII): lower-case and collapse white space, no normalisation.</summary>
    private static string FoldAscii(ReadOnlySpan<char> text)
    {
        Span<char> buffer = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var length = 0;
        var lastWasSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    buffer[length++] = ' ';
                }

                lastWasSpace = true;
                continue;
            }

            lastWasSpace = false;
            buffer[length++] = char.ToLowerInvariant(c);
        }

        return new string(buffer[..length]);
    }
}
