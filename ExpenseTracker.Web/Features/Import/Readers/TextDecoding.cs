using System.Text;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>An encoding the user may pick when detection guessed wrong: its web name and what the dropdown shows.</summary>
public sealed record OfferedEncoding(string WebName, string DisplayName);

/// <summary>
/// Bytes to text: an explicit override wins, then a BOM, then UTF-16 without a BOM (zero bytes in every other
/// position), then strict UTF-8 (ASCII included), then the charset the file declares, then a single-byte guess:
/// Windows-1252, unless Central European letters read far better as Windows-1250 or ISO-8859-2. UTF-8 is tried
/// before the declared charset because real files lie (Banco do Brasil's header says CHARSET:1252 over UTF-8 bytes).
/// ISO-8859-1 and -15 text reads the same as Windows-1252 except for a few symbols (€ is 0xA4 in -15): the user
/// picks those from <see cref="Offered"/> when the preview shows the wrong character.
/// </summary>
public static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    public static Encoding CodePage852 => Encoding.GetEncoding(852);

    /// <summary>The encodings the import wizard offers as an override, detection's usual answers first.</summary>
    public static IReadOnlyList<OfferedEncoding> Offered { get; } =
    [
        new("utf-8", "Unicode (UTF-8)"),
        new("utf-16", "Unicode (UTF-16 little-endian)"),
        new("utf-16BE", "Unicode (UTF-16 big-endian)"),
        new("windows-1252", "Western European (Windows-1252)"),
        new("iso-8859-1", "Western European (ISO-8859-1)"),
        new("iso-8859-15", "Western European with euro (ISO-8859-15)"),
        new("ibm850", "Western European (DOS 850)"),
        new("macintosh", "Western European (Mac)"),
        new("windows-1250", "Central European (Windows-1250)"),
        new("iso-8859-2", "Central European (ISO-8859-2)"),
        new("ibm852", "Central European (DOS 852)"),
        new("windows-1251", "Cyrillic (Windows-1251)"),
        new("iso-8859-5", "Cyrillic (ISO-8859-5)"),
        new("koi8-r", "Cyrillic (KOI8-R)"),
        new("windows-1253", "Greek (Windows-1253)"),
        new("iso-8859-7", "Greek (ISO-8859-7)"),
        new("windows-1254", "Turkish (Windows-1254)"),
        new("iso-8859-9", "Turkish (ISO-8859-9)"),
        new("windows-1257", "Baltic (Windows-1257)"),
        new("iso-8859-13", "Baltic (ISO-8859-13)"),
    ];

    /// <summary>The encoding for a web name from <see cref="Offered"/> (or any name .NET knows); null when unknown or empty.</summary>
    public static Encoding? Resolve(string? webName) => FromName(webName);

    public static byte[] ReadAll(Stream stream)
    {
        if (stream is MemoryStream ms && ms.Position == 0)
        {
            return ms.ToArray();
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static string Decode(byte[] bytes, Encoding? overrideEncoding, Encoding? declared = null)
    {
        var encoding = overrideEncoding ?? Detect(bytes, declared);
        var preamble = encoding.GetPreamble();
        var skip = preamble.Length > 0 && bytes.AsSpan().StartsWith(preamble) ? preamble.Length : 0;
        return StripBom(encoding.GetString(bytes, skip, bytes.Length - skip));
    }

    /// <summary>The encoding <see cref="Decode"/> uses without an override (its WebName names it in the wizard).</summary>
    public static Encoding Detect(ReadOnlySpan<byte> bytes, Encoding? declared = null)
    {
        if (bytes.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
        {
            return new UTF8Encoding(true);
        }

        if (bytes.StartsWith(new byte[] { 0xFF, 0xFE }))
        {
            return Encoding.Unicode;
        }

        if (bytes.StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            return Encoding.BigEndianUnicode;
        }

        if (Utf16WithoutBom(bytes) is { } utf16)
        {
            return utf16;
        }

        try
        {
            StrictUtf8.GetCharCount(bytes);
            return new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            return declared ?? GuessSingleByte(bytes);
        }
    }

    /// <summary>
    /// UTF-16 without a BOM: in mostly-ASCII text every other byte is zero (odd positions for little-endian, even
    /// for big-endian). Needs enough bytes to tell; binary junk has zeros everywhere.
    /// </summary>
    public static Encoding? Utf16WithoutBom(ReadOnlySpan<byte> bytes)
    {
        var length = Math.Min(bytes.Length, 4096) & ~1;
        if (length < 8)
        {
            return null;
        }

        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i < length; i += 2)
        {
            evenZeros += bytes[i] == 0 ? 1 : 0;
            oddZeros += bytes[i + 1] == 0 ? 1 : 0;
        }

        var pairs = length / 2;
        return oddZeros * 10 >= pairs * 7 && evenZeros * 20 <= pairs ? Encoding.Unicode
            : evenZeros * 10 >= pairs * 7 && oddZeros * 20 <= pairs ? Encoding.BigEndianUnicode
            : null;
    }

    /// <summary>
    /// Among Windows-1252, ISO-8859-2 and Windows-1250, the one whose non-ASCII characters are letters where they
    /// touch letters (Ł in "Łódź" rather than £), and that decodes no C1 control characters. Ties go to 1252.
    /// </summary>
    private static Encoding GuessSingleByte(ReadOnlySpan<byte> bytes)
    {
        // ISO-8859-2 before Windows-1250: they share most letters, and 1250 text with š, ž, ś or ź uses bytes 0x8A-0x9F,
        // which are control characters in ISO-8859-2 and so decide for 1250.
        Encoding[] candidates = [Windows1252, Encoding.GetEncoding("iso-8859-2"), Encoding.GetEncoding(1250)];
        var best = candidates[0];
        var bestScore = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var text = candidate.GetString(bytes);
            var score = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c < 0x80)
                {
                    continue;
                }

                if (c <= 0x9F)
                {
                    score += 10;
                }
                else if (!char.IsLetter(c) && ((i > 0 && char.IsLetter(text[i - 1])) || (i + 1 < text.Length && char.IsLetter(text[i + 1]))))
                {
                    score++;
                }
            }

            if (score < bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return best;
    }

    public static bool HasUtf16Bom(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));

    /// <summary>Loose ASCII view of the first bytes for sniffing (UTF-16 folded to its characters).</summary>
    public static string Sniff(ReadOnlySpan<byte> head)
    {
        if (HasUtf16Bom(head))
        {
            var enc = head[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return enc.GetString(head[2..(head.Length - (head.Length % 2))]);
        }

        if (Utf16WithoutBom(head) is { } utf16)
        {
            return utf16.GetString(head[..(head.Length - (head.Length % 2))]);
        }

        return Encoding.Latin1.GetString(head);
    }

    /// <summary>Maps a declared name (OFX CHARSET 1252, XML encoding="ISO-8859-1", ...) to an encoding.</summary>
    public static Encoding? FromName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        name = name.Trim();
        if (int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var codePage))
        {
            return TryGet(() => Encoding.GetEncoding(codePage));
        }

        return TryGet(() => Encoding.GetEncoding(name));
    }

    private static Encoding? TryGet(Func<Encoding> get)
    {
        try
        {
            return get();
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static string StripBom(string text) => text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
}
