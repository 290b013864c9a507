using System.Text;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>
/// Bytes to text: an explicit override wins, then a BOM, then strict UTF-8 (ASCII included), then the charset
/// the file declares, then Windows-1252. UTF-8 is tried before the declared charset because real files lie
/// (Banco do Brasil's header says CHARSET:1252 over UTF-8 bytes).
/// </summary>
public static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    public static Encoding CodePage852 => Encoding.GetEncoding(852);

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
        if (overrideEncoding is not null)
        {
            return StripBom(overrideEncoding.GetString(bytes));
        }

        if (bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
        {
            return new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3);
        }

        if (bytes.AsSpan().StartsWith(new byte[] { 0xFF, 0xFE }))
        {
            return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        }

        if (bytes.AsSpan().StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (declared ?? Windows1252).GetString(bytes);
        }
    }

    public static bool HasUtf16Bom(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));

    /// <summary>Loose ASCII view of the first bytes for sniffing (UTF-16 folded to its low bytes).</summary>
    public static string Sniff(ReadOnlySpan<byte> head)
    {
        if (HasUtf16Bom(head))
        {
            var enc = head[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return enc.GetString(head[2..(head.Length - (head.Length % 2))]);
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
