using MudBlazor;

namespace ExpenseTracker.Web.Components.Layout;

/// <summary>
/// The app's colours, chosen for WCAG AA contrast (text and white-on-colour buttons) in both themes, and the
/// system font stack: the app works offline, so no web fonts.
/// </summary>
public static class AppTheme
{
    private static readonly string[] SystemFonts =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Ubuntu", "Cantarell", "Noto Sans", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2A5298",
            PrimaryContrastText = "#FFFFFF",
            Secondary = "#8E2457",
            SecondaryContrastText = "#FFFFFF",
            Tertiary = "#00695C",
            Success = "#2E7D32",
            Error = "#C62828",
            Warning = "#9A4F00",
            Info = "#1565C0",
            AppbarBackground = "#2A5298",
            AppbarText = "#FFFFFF",
            TextSecondary = "rgba(0,0,0,0.68)",
            Background = "#F6F7FB",
            DrawerBackground = "#FFFFFF",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8AB4F8",
            PrimaryContrastText = "#0B1A33",
            Secondary = "#F48FB1",
            SecondaryContrastText = "#33061A",
            Tertiary = "#80CBC4",
            Success = "#81C784",
            SuccessContrastText = "#0B2A0D",
            Error = "#EF9A9A",
            ErrorContrastText = "#3B0A0A",
            Warning = "#FFB74D",
            WarningContrastText = "#2E1A00",
            Info = "#90CAF9",
            InfoContrastText = "#0B1A33",
            AppbarBackground = "#1B1F2A",
            AppbarText = "#FFFFFF",
            Surface = "#242936",
            Background = "#171A22",
            DrawerBackground = "#1F2330",
            TextPrimary = "rgba(255,255,255,0.92)",
            TextSecondary = "rgba(255,255,255,0.74)",
            ActionDefault = "rgba(255,255,255,0.80)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = SystemFonts },
            H1 = new H1Typography { FontFamily = SystemFonts },
            H2 = new H2Typography { FontFamily = SystemFonts },
            H3 = new H3Typography { FontFamily = SystemFonts },
            H4 = new H4Typography { FontFamily = SystemFonts },
            H5 = new H5Typography { FontFamily = SystemFonts },
            H6 = new H6Typography { FontFamily = SystemFonts },
            Subtitle1 = new Subtitle1Typography { FontFamily = SystemFonts },
            Subtitle2 = new Subtitle2Typography { FontFamily = SystemFonts },
            Body1 = new Body1Typography { FontFamily = SystemFonts },
            Body2 = new Body2Typography { FontFamily = SystemFonts },
            Button = new ButtonTypography { FontFamily = SystemFonts },
            Caption = new CaptionTypography { FontFamily = SystemFonts },
            Overline = new OverlineTypography { FontFamily = SystemFonts },
        },
    };
}
