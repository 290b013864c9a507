using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Identity;

public sealed class SignInTests : IAsyncLifetime
{
    private TestApp app = null!;
    private AccountForms forms = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        forms = new AccountForms(app);
        await app.CreateUserWithHouseholdAsync("ana@example.com", password: AccountForms.Password);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    [ProviderTheory]
    public async Task APersonSignsInOverPlainHttpAndReachesTheirAccountPages(DatabaseProvider provider)
    {
        await StartAsync(provider);
        Assert.Equal(HttpStatusCode.Redirect, (await forms.Client.GetAsync("/Identity/Account/Manage")).StatusCode);

        var response = await forms.SignInAsync("ana@example.com");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var manage = await forms.Client.GetAsync("/Identity/Account/Manage");
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
        Assert.Contains("ana@example.com", await AccountForms.TextOf(manage));
    }

    [ProviderTheory]
    public async Task AWrongPasswordSaysSoWithoutRevealingWhetherTheAccountExists(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var wrong = await AccountForms.TextOf(await forms.SignInAsync("ana@example.com", "not my password at all"));
        var unknown = await AccountForms.TextOf(await forms.SignInAsync("nobody@example.com", "not my password at all"));

        Assert.Contains("That email and password do not match an account.", wrong);
        Assert.Contains("That email and password do not match an account.", unknown);
    }

    [ProviderTheory]
    public async Task FiveWrongPasswordsLockTheAccountAndThePageSaysWhenToTryAgain(DatabaseProvider provider)
    {
        await StartAsync(provider);
        HttpResponseMessage last = null!;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            last = await forms.SignInAsync("ana@example.com", "guess number " + attempt);
        }

        var text = await AccountForms.TextOf(last);
        Assert.Contains("locked", text);
        Assert.Contains("Try again after", text);

        // Even the right password is refused while the lockout lasts.
        var right = await forms.SignInAsync("ana@example.com");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await AccountForms.TextOf(right));
        Assert.Equal(HttpStatusCode.Redirect, (await forms.Client.GetAsync("/Identity/Account/Manage")).StatusCode);
    }

    [ProviderTheory]
    public async Task SigningOutWithAPostFromTheAppLayoutEndsTheSessionAndReturnsToThePage(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await forms.SignInAsync("ana@example.com");

        // The Blazor layout posts a base-relative returnUrl such as "expenses".
        var response = await forms.PostAsync("/Identity/Account/Logout", new Dictionary<string, string> { ["returnUrl"] = "expenses" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/expenses", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await forms.Client.GetAsync("/Identity/Account/Manage")).StatusCode);
    }

    [ProviderTheory]
    public async Task SignOutNeverRedirectsToAnotherSite(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await forms.SignInAsync("ana@example.com");

        var response = await forms.PostAsync("/Identity/Account/Logout", new Dictionary<string, string> { ["returnUrl"] = "https://evil.example/" });

        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [ProviderTheory]
    public async Task SigningOutWithoutTheAntiforgeryTokenIsRejected(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await forms.SignInAsync("ana@example.com");

        var response = await forms.Client.PostAsync("/Identity/Account/Logout", new FormUrlEncodedContent([new("returnUrl", "/")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await forms.Client.GetAsync("/Identity/Account/Manage")).StatusCode);
    }

    [ProviderTheory]
    public async Task TheAccountPagesCarryTheAppsNameAndALinkBack(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var page = await forms.GetTextAsync("/Identity/Account/Login");

        Assert.Contains("<html lang=\"en\">", page);
        Assert.Contains("ExpenseTracker", page);
        Assert.Contains("Back to ExpenseTracker", page);
        Assert.Contains("/css/account.css", page);
        Assert.Contains("<main", page);
        Assert.DoesNotContain("cdn.jsdelivr.net", page);
    }
}
