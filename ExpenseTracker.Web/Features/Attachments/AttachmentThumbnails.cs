using SkiaSharp;

namespace ExpenseTracker.Web.Features.Attachments;

/// <summary>A small preview of an image, or why the image cannot be used.</summary>
public sealed record Thumbnail(byte[] Bytes, string ContentType);

/// <summary>
/// Thumbnails for JPEG and PNG receipts with SkiaSharp (MIT; ImageSharp 3 needs a paid licence and 2.x has reported flaws
/// with crafted images). Decoding is also the check that a file with image magic bytes really is an image: one that does
/// not decode is refused. The header is read first and images above <see cref="MaxPixels"/> are refused before any
/// pixel is decoded (a small file can claim a huge canvas); JPEGs decode straight at a reduced scale.
/// </summary>
public static class AttachmentThumbnails
{
    public const int MaxSide = 240;
    public const long MaxPixels = 80_000_000;

    /// <summary>The thumbnail, or throws <see cref="Infrastructure.FieldValidationException"/> when the image is unreadable or too large.</summary>
    public static Thumbnail Create(Stream image, string contentType)
    {
        using var data = SKData.Create(image);
        using var codec = data is null ? null : SKCodec.Create(data);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            throw Unreadable(contentType);
        }

        var info = codec.Info;
        if ((long)info.Width * info.Height > MaxPixels)
        {
            throw new Infrastructure.FieldValidationException("File",
                $"The image is too large ({info.Width} × {info.Height} pixels; at most {MaxPixels / 1_000_000} megapixels). Nothing was saved.");
        }

        // Decode at about twice the thumbnail size when the codec can (JPEG), then resize smoothly.
        var scale = Math.Min(1f, 2f * MaxSide / Math.Max(info.Width, info.Height));
        var decodeSize = codec.GetScaledDimensions(scale);
        var decodeInfo = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(decodeInfo);
        var result = codec.GetPixels(decodeInfo, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw Unreadable(contentType);
        }

        var ratio = Math.Min(1d, (double)MaxSide / Math.Max(decoded.Width, decoded.Height));
        var width = Math.Max(1, (int)Math.Round(decoded.Width * ratio));
        var height = Math.Max(1, (int)Math.Round(decoded.Height * ratio));
        using var resized = decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)) ?? throw Unreadable(contentType);
        using var oriented = Orient(resized, codec.EncodedOrigin);
        using var encoded = SKImage.FromBitmap(oriented).Encode(
            contentType == AttachmentTypes.Png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 80);
        return new Thumbnail(encoded.ToArray(), contentType == AttachmentTypes.Png ? AttachmentTypes.Png : AttachmentTypes.Jpeg);
    }

    /// <summary>Phone cameras store the picture sideways with an EXIF orientation: the thumbnail is turned upright.</summary>
    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        var (degrees, swap) = origin switch
        {
            SKEncodedOrigin.BottomRight or SKEncodedOrigin.BottomLeft => (180, false),
            SKEncodedOrigin.RightTop or SKEncodedOrigin.LeftTop => (90, true),
            SKEncodedOrigin.LeftBottom or SKEncodedOrigin.RightBottom => (270, true),
            _ => (0, false),
        };
        var target = new SKBitmap(swap ? source.Height : source.Width, swap ? source.Width : source.Height, source.ColorType, source.AlphaType);
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.White);
        canvas.Translate(target.Width / 2f, target.Height / 2f);
        canvas.RotateDegrees(degrees);
        canvas.Translate(-source.Width / 2f, -source.Height / 2f);
        canvas.DrawBitmap(source, 0, 0);
        return target;
    }

    private static Infrastructure.FieldValidationException Unreadable(string contentType) => new("File",
        $"The file starts like a {(contentType == AttachmentTypes.Png ? "PNG" : "JPEG")} image but cannot be read as one (damaged or not really an image). Nothing was saved.");
}
