using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace ExpenseTracker.Web.Components.Layout;

/// <summary>
/// MudThemeProvider whose generated style sheets (~25 KB of CSS variables, and the scrollbar's) are built once per theme
/// and mode and shared by every circuit, instead of a copy held in each open page's render tree. It renders what
/// MudThemeProvider 9 renders: its scrollbar styles (unless DefaultScrollbar), the charts' hover filter, the theme.
/// </summary>
public sealed class SharedThemeProvider : MudThemeProvider
{
    private const string ChartHover = """
        <style>
            .mud-chart-serie:hover {
                filter: url(#lighten);
            }

            .mud-chart-serie-hovered 
            {
                filter: url(#lighten);
            }
        </style>

        
        """;

    private static readonly ConditionalWeakTable<MudTheme, Sheets?[]> Cache = new();

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var sheets = Sheets();
        if (!DefaultScrollbar)
        {
            builder.AddMarkupContent(0, sheets.Scrollbar);
        }

        builder.AddMarkupContent(1, ChartHover);
        builder.AddMarkupContent(2, sheets.Theme);
    }

    private Sheets Sheets()
    {
        if (Theme is not { } theme)
        {
            return new Sheets(BuildMudBlazorScrollbar(), BuildTheme());
        }

        // The mode comes only from the IsDarkMode parameter here (the layout's preference; no system-mode watching), so
        // the parameter is the state MudBlazor's analyzer wants read through its private backing field.
#pragma warning disable MUD0010
        var mode = IsDarkMode ? 1 : 0;
#pragma warning restore MUD0010
        var modes = Cache.GetValue(theme, _ => new Sheets?[2]);
        return modes[mode] ??= new Sheets(BuildMudBlazorScrollbar(), BuildTheme());
    }
}

/// <summary>The style elements generated for one theme in one mode.</summary>
internal sealed record Sheets(string Scrollbar, string Theme);
