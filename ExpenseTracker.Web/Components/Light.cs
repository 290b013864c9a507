using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Routing;

namespace ExpenseTracker.Web.Components;

/// <summary>
/// MudBlazor's markup (the same classes, so the same look) for the parts of always-open pages that need no behaviour of
/// their own: icons, icon buttons, papers, links and navigation items. Every component instance in a circuit keeps its
/// state and two render-tree buffers (about 3 KB) for as long as the page is open, and the layout and dashboard had
/// ~130 of them; written as markup they are a few frames of the page that holds them (see the `circuits` benchmark).
/// </summary>
public static class Light
{
    /// <summary>Classes of a MudIcon at its default color, small (inside dense rows and small icon buttons).</summary>
    public const string IconSmall = "mud-icon-root mud-svg-icon mud-icon-size-small";

    /// <summary>Classes of a MudIcon at its default color and size (inside the app bar's icon buttons).</summary>
    public const string IconMedium = "mud-icon-root mud-svg-icon mud-icon-size-medium";

    /// <summary>Classes of a small MudIconButton.</summary>
    public const string IconButtonSmall = "mud-button-root mud-icon-button mud-ripple mud-ripple-icon mud-icon-button-size-small";

    /// <summary>Classes of a MudIconButton with Color.Inherit (the app bar).</summary>
    public const string IconButtonInherit = "mud-button-root mud-icon-button mud-inherit-text hover:mud-inherit-hover mud-ripple mud-ripple-icon";

    /// <summary>Classes of an outlined MudPaper with no elevation.</summary>
    public const string PaperOutlined = "mud-paper mud-paper-outlined";

    /// <summary>Classes of a MudLink with Typo.body2.</summary>
    public const string LinkBody2 = "mud-typography mud-link mud-primary-text mud-link-underline-hover mud-typography-body2";

    private const string NavIcon = "mud-icon-root mud-icon-default mud-svg-icon mud-icon-size-medium mud-nav-link-icon mud-nav-link-icon-default";

    /// <summary>A MudBlazor icon (an <c>Icons.*</c> string) in <paramref name="classes"/>; hidden from assistive technology as MudIcon is.</summary>
    public static RenderFragment Icon(string svg, string classes) => builder => WriteIcon(builder, svg, classes);

    /// <summary>A small icon in a MudBlazor color (<c>mud-success-text</c> and so on), as MudIcon with Color set.</summary>
    public static RenderFragment Icon(string svg, MudBlazor.Color color) =>
        Icon(svg, color == MudBlazor.Color.Default ? IconSmall : "mud-icon-root mud-svg-icon mud-" + color.ToString().ToLowerInvariant() + "-text mud-icon-size-small");

    /// <summary>
    /// MudNavLink's markup: an item whose link is marked active (class and <c>aria-current</c>) when <paramref name="active"/>.
    /// </summary>
    public static RenderFragment NavItem(string href, string icon, string text, bool active, string? testId = null, string? itemClass = null) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", itemClass is null ? "mud-nav-item" : "mud-nav-item " + itemClass);
        builder.OpenElement(2, "a");
        builder.AddAttribute(3, "href", href);
        builder.AddAttribute(4, "data-testid", testId);
        builder.AddAttribute(5, "class", active ? "mud-nav-link mud-ripple active" : "mud-nav-link mud-ripple");
        builder.AddAttribute(6, "aria-current", active ? "page" : null);
        WriteIcon(builder, icon, NavIcon);
        builder.OpenElement(7, "div");
        builder.AddAttribute(8, "class", "mud-nav-link-text");
        builder.AddContent(9, text);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary>
    /// Whether a link to <paramref name="href"/> (relative to the base) is the current page: NavLink's rule. Prefix: the
    /// path is the link's or below it; All: the same path. Query and fragment never count, except for a link that has a
    /// query itself (a saved search), which is current only with exactly that query.
    /// </summary>
    public static bool IsActive(NavigationManager navigation, string href, NavLinkMatch match)
    {
        ArgumentNullException.ThrowIfNull(navigation);
        ArgumentNullException.ThrowIfNull(href);
        var relative = navigation.ToBaseRelativePath(navigation.Uri);
        var fragment = relative.IndexOf('#', StringComparison.Ordinal);
        relative = fragment >= 0 ? relative[..fragment] : relative;
        if (href.Contains('?', StringComparison.Ordinal))
        {
            return string.Equals(relative, href, StringComparison.OrdinalIgnoreCase);
        }

        var query = relative.IndexOf('?', StringComparison.Ordinal);
        var path = (query >= 0 ? relative[..query] : relative).TrimEnd('/');
        var target = href.TrimEnd('/');
        if (string.Equals(path, target, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return match == NavLinkMatch.Prefix && target.Length > 0
            && path.StartsWith(target + "/", StringComparison.OrdinalIgnoreCase);
    }

    private static void WriteIcon(RenderTreeBuilder builder, string svg, string classes)
    {
        builder.OpenElement(20, "svg");
        builder.AddAttribute(21, "class", classes);
        builder.AddAttribute(22, "focusable", "false");
        builder.AddAttribute(23, "viewBox", "0 0 24 24");
        builder.AddAttribute(24, "aria-hidden", "true");
        builder.AddAttribute(25, "role", "img");
        builder.AddMarkupContent(26, svg);
        builder.CloseElement();
    }
}
