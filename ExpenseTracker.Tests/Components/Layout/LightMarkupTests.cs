using Bunit;
using ExpenseTracker.Web.Components;
using ExpenseTracker.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ExpenseTracker.Tests.Components.Layout;

/// <summary>The markup written in place of per-item MudBlazor components on always-open pages (see Light).</summary>
public sealed class LightMarkupTests : BunitContext, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheSharedThemeProviderRendersExactlyWhatMudThemeProviderRenders(bool dark)
    {
        var mud = Render<MudThemeProvider>(p => p.Add(c => c.Theme, AppTheme.Theme).Add(c => c.IsDarkMode, dark));
        var shared = Render<SharedThemeProvider>(p => p.Add(c => c.Theme, AppTheme.Theme).Add(c => c.IsDarkMode, dark));
        var again = Render<SharedThemeProvider>(p => p.Add(c => c.Theme, AppTheme.Theme).Add(c => c.IsDarkMode, dark));

        Assert.Contains("--mud-palette-primary", shared.Markup, StringComparison.Ordinal);
        Assert.Equal(mud.Markup, shared.Markup);
        Assert.Equal(mud.Markup, again.Markup);
    }

    [Fact]
    public void TheThemeFollowsTheModeWhenItChanges()
    {
        var light = Render<MudThemeProvider>(p => p.Add(c => c.Theme, AppTheme.Theme).Add(c => c.IsDarkMode, false)).Markup;
        var dark = Render<MudThemeProvider>(p => p.Add(c => c.Theme, AppTheme.Theme).Add(c => c.IsDarkMode, true)).Markup;
        Assert.NotEqual(light, dark);

        var shared = Render<SharedThemeProvider>(p => p.Add(c => c.Theme, AppTheme.Theme).Add(c => c.IsDarkMode, false));
        shared.Render(p => p.Add(c => c.IsDarkMode, true));

        Assert.Equal(dark, shared.Markup);
    }

    [Theory]
    [InlineData("", "", NavLinkMatch.All, true)]
    [InlineData("expenses", "", NavLinkMatch.All, false)]
    [InlineData("?welcome=1", "", NavLinkMatch.All, true)]
    [InlineData("bills", "bills", NavLinkMatch.Prefix, true)]
    [InlineData("bills/", "bills", NavLinkMatch.Prefix, true)]
    [InlineData("bills/12/edit?x=1#top", "bills", NavLinkMatch.Prefix, true)]
    [InlineData("Bills", "bills", NavLinkMatch.Prefix, true)]
    [InlineData("billsextra", "bills", NavLinkMatch.Prefix, false)]
    [InlineData("budgets", "bills", NavLinkMatch.Prefix, false)]
    [InlineData("expenses?q=coffee", "expenses?q=coffee", NavLinkMatch.All, true)]
    [InlineData("expenses?q=tea", "expenses?q=coffee", NavLinkMatch.All, false)]
    [InlineData("expenses", "expenses?q=coffee", NavLinkMatch.All, false)]
    public void ALinkIsActiveByNavLinksRule(string current, string href, NavLinkMatch match, bool active)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(current);

        Assert.Equal(active, Light.IsActive(navigation, href, match));
    }

    [Fact]
    public void ANavItemIsMudNavLinksMarkupWithTheCurrentPageMarked()
    {
        var item = Render(Light.NavItem("bills", Icons.Material.Filled.EventRepeat, "Bills", active: true, testId: "nav-bills"));
        var link = item.Find("a[data-testid=nav-bills]");
        Assert.Equal("bills", link.GetAttribute("href"));
        Assert.Equal("page", link.GetAttribute("aria-current"));
        Assert.Contains("active", link.ClassList);
        Assert.Equal("Bills", item.Find(".mud-nav-link-text").TextContent);
        Assert.Equal("true", item.Find("svg.mud-nav-link-icon").GetAttribute("aria-hidden"));

        var other = Render(Light.NavItem("budgets", Icons.Material.Filled.Savings, "Budgets", active: false));
        Assert.Null(other.Find("a").GetAttribute("aria-current"));
        Assert.Null(other.Find("a").GetAttribute("data-testid"));
        Assert.DoesNotContain("active", other.Find("a").ClassList);
    }
}
