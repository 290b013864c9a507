using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Admin;

/// <summary>/admin over HTTP as the prerender serves it: the administrator's data for administrators, not found for anyone else.</summary>
public sealed class AdminPageHttpTests(AdminApps apps) : IClassFixture<AdminApps>
{
    [ProviderTheory]
    public async Task AMemberWhoIsNotAnAdministratorGetsNotFoundAndNoAdministratorData(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var ben = new AccountForms(app);
        await ben.SignInAsync("ben@example.com");

        var response = await ben.Client.GetAsync(new Uri("/admin", UriKind.Relative));
        var html = await AccountForms.TextOf(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("registration-switch", html, StringComparison.Ordinal);
        Assert.DoesNotContain("admin-user", html, StringComparison.Ordinal);
        Assert.DoesNotContain("vic@example.com", html, StringComparison.Ordinal);
        Assert.DoesNotContain("nav-admin", html, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task AnAdministratorSeesEveryAccountAndTheInstanceSwitchesOnAdmin(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var ana = new AccountForms(app);
        await ana.SignInAsync("ana@example.com");

        var response = await ana.Client.GetAsync(new Uri("/admin", UriKind.Relative));
        var html = await AccountForms.TextOf(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"registration-switch\"", html, StringComparison.Ordinal);
        Assert.Contains("vic@example.com", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"nav-admin\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"scheduler-off\"", html, StringComparison.Ordinal);
        var settings = await AccountForms.TextOf(await ana.Client.GetAsync(new Uri("/settings", UriKind.Relative)));
        Assert.Contains("settings-admin-link", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("registration-switch", settings, StringComparison.Ordinal);
    }
}
