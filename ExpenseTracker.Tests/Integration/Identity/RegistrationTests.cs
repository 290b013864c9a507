using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Settings;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Identity;

public sealed class RegistrationTests : IAsyncLifetime
{
    private TestApp app = null!;
    private AccountForms forms = null!;

    private void Start(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        forms = new AccountForms(app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    [ProviderTheory]
    public async Task OnAFreshInstanceTheRegisterPageAsksForTheSetupCode(DatabaseProvider provider)
    {
        Start(provider);
        var page = await forms.GetTextAsync("/Identity/Account/Register");

        Assert.Contains("Create the administrator account", page);
        Assert.Contains("name=\"Input.SetupCode\"", page);
        Assert.Matches("^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$", forms.ReadSetupCode());
    }

    [ProviderTheory]
    public async Task TheFirstAccountRegisteredWithTheSetupCodeBecomesAConfirmedAdministratorWithItsOwnHousehold(DatabaseProvider provider)
    {
        Start(provider);
        await forms.Client.GetAsync("/Identity/Account/Register");
        // Typed sloppily: lower case, spaces instead of dashes.
        var code = forms.ReadSetupCode().ToLowerInvariant().Replace('-', ' ');

        var response = await forms.RegisterAsync("ana@example.com", code, currency: "JPY", timeZone: "Asia/Tokyo", household: "Casa Ana");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = await db.Users.SingleAsync();
        Assert.True(user.IsAdministrator);
        Assert.True(user.EmailConfirmed);
        var household = await db.Households.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(("Casa Ana", "JPY", "Asia/Tokyo", "en-GB"), (household.Name, household.BaseCurrency, household.TimeZoneId, household.Culture));
        Assert.Equal(user.CurrentHouseholdId, household.Id);
        var member = await db.Members.IgnoreQueryFilters().SingleAsync();
        Assert.Equal((user.Id, MemberRole.Owner, "Ana"), (member.UserId, member.Role, member.DisplayName));
        Assert.Equal("Cash", (await db.Accounts.IgnoreQueryFilters().SingleAsync()).Name);
        Assert.Equal(12, await db.Categories.IgnoreQueryFilters().CountAsync());
        Assert.False(File.Exists(forms.SetupCodePath), "The setup code is spent once the administrator exists.");
    }

    [ProviderTheory]
    public async Task AWrongSetupCodeIsRejectedAndCreatesNoAccount(DatabaseProvider provider)
    {
        Start(provider);
        var response = await forms.RegisterAsync("mallory@example.com", "AAAA-AAAA-AAAA");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That setup code is not right", await AccountForms.TextOf(response));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.CountAsync());
        Assert.True(File.Exists(forms.SetupCodePath));
    }

    [ProviderTheory]
    public async Task WithoutASetupCodeTheFirstRegistrationIsRefused(DatabaseProvider provider)
    {
        Start(provider);
        var response = await forms.RegisterAsync("mallory@example.com", setupCode: null);

        Assert.Contains("Enter the setup code", await AccountForms.TextOf(response));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.CountAsync());
    }

    [ProviderTheory]
    public async Task AfterTheAdministratorExistsRegistrationIsClosedUntilTheAdministratorOpensIt(DatabaseProvider provider)
    {
        Start(provider);
        await forms.Client.GetAsync("/Identity/Account/Register");
        await forms.RegisterAsync("admin@example.com", forms.ReadSetupCode());
        var stranger = new AccountForms(app);

        var closedPage = await stranger.GetTextAsync("/Identity/Account/Register");
        Assert.Contains("Registration is closed", closedPage);
        Assert.Contains("ask the household owner for an invitation", closedPage, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Input.Password", closedPage);

        var refused = await stranger.PostAsync("/Identity/Account/Register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Ben",
            ["Input.Email"] = "ben@example.com",
            ["Input.Password"] = AccountForms.Password,
            ["Input.ConfirmPassword"] = AccountForms.Password,
            ["Input.HouseholdName"] = "Ben's",
            ["Input.Currency"] = "EUR",
            ["Input.Culture"] = "en-US",
        }, tokenFrom: "/Identity/Account/Login");
        Assert.Contains("Registration is closed", await AccountForms.TextOf(refused));
        Assert.Null(await FindUserAsync("ben@example.com"));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<InstanceSettingsService>().SetRegistrationEnabledAsync(true);
        }

        var openPage = await stranger.GetTextAsync("/Identity/Account/Register");
        Assert.DoesNotContain("Input.SetupCode", openPage);
        var accepted = await stranger.RegisterAsync("ben@example.com", household: "Ben's place");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var ben = await FindUserAsync("ben@example.com");
        Assert.NotNull(ben);
        Assert.False(ben.IsAdministrator);
    }

    [ProviderTheory]
    public async Task ACommonPasswordIsRejectedWithAClearMessage(DatabaseProvider provider)
    {
        Start(provider);
        await forms.Client.GetAsync("/Identity/Account/Register");

        var response = await forms.RegisterAsync("ana@example.com", forms.ReadSetupCode(), password: "QwertyUiop");

        Assert.Contains("one of the 10,000 most common passwords", await AccountForms.TextOf(response));
        Assert.Null(await FindUserAsync("ana@example.com"));
        Assert.True(File.Exists(forms.SetupCodePath), "A failed attempt does not spend the setup code.");
    }

    [ProviderTheory]
    public async Task APasswordShorterThanTenCharactersIsRejected(DatabaseProvider provider)
    {
        Start(provider);
        await forms.Client.GetAsync("/Identity/Account/Register");

        var response = await forms.RegisterAsync("ana@example.com", forms.ReadSetupCode(), password: "Tr0ub4dor");

        Assert.Contains("at least 10 characters", await AccountForms.TextOf(response));
        Assert.Null(await FindUserAsync("ana@example.com"));
    }

    [ProviderTheory]
    public async Task TheRegisterPageSuggestsTheBrowsersLanguageAndItsCurrency(DatabaseProvider provider)
    {
        Start(provider);
        forms.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de-DE,de;q=0.9,en;q=0.5");

        var page = await forms.GetTextAsync("/Identity/Account/Register");

        Assert.Matches("<option value=\"de-DE\" selected=\"selected\">", page);
        Assert.Matches("<option value=\"EUR\" selected=\"selected\">", page);
        Assert.Contains("Intl.DateTimeFormat().resolvedOptions().timeZone", page);
    }

    private async Task<AppUser?> FindUserAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
    }
}
