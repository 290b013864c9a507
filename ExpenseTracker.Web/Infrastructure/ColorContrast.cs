using System.Globalization;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>Picks black or white text for a coloured background, whichever has the higher WCAG contrast ratio.</summary>
public static class ColorContrast
{
    public static string TextOn(string? background)
    {
        if (background is not { Length: 7 } || background[0] != '#'
            || !int.TryParse(background.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
        {
            return "#FFFFFF";
        }

        var luminance = 0.2126 * Channel(rgb >> 16) + 0.7152 * Channel((rgb >> 8) & 0xFF) + 0.0722 * Channel(rgb & 0xFF);
        var withWhite = 1.05 / (luminance + 0.05);
        var withBlack = (luminance + 0.05) / 0.05;
        return withWhite >= withBlack ? "#FFFFFF" : "#000000";
    }

    /// <summary>An inline style for a chip in the given colour.</summary>
    public static string ChipStyle(string? background) => $"background-color:{background};color:{TextOn(background)}";

    private static double Channel(int value)
    {
        var c = value / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
