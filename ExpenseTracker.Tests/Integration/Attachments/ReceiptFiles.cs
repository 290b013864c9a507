using System.Text;
using SkiaSharp;

namespace ExpenseTracker.Tests.Integration.Attachments;

/// <summary>Small real files made in the test: images encoded by SkiaSharp, a minimal PDF, and things that must be refused.</summary>
internal static class ReceiptFiles
{
    public static byte[] Png(int width = 64, int height = 48) => Image(width, height, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(int width = 640, int height = 480) => Image(width, height, SKEncodedImageFormat.Jpeg);

    private static byte[] Image(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { Color = SKColors.SeaGreen };
            canvas.DrawRect(width / 4f, height / 4f, width / 2f, height / 2f, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    public static byte[] Pdf(int padding = 0) => Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n" + new string(' ', padding) + "%%EOF\n");

    public static byte[] Gif() => [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 4, 1, 0, 0, 0, 0, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B];

    public static byte[] Svg() => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"10\" height=\"10\"/></svg>");

    public static byte[] Html() => Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>");

    /// <summary>The start of a Windows executable (MZ header, DOS stub).</summary>
    public static byte[] Exe() => [.. "MZ"u8, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0, .. "This program cannot be run in DOS mode."u8];

    /// <summary>JPEG magic bytes followed by rubbish: not an image.</summary>
    public static byte[] FakeJpeg() => [0xFF, 0xD8, 0xFF, 0xE0, .. "definitely not a picture, just text pretending"u8];
}
