using System.Net;
using System.Text.RegularExpressions;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Identity;

/// <summary>
/// Drives the account pages the way a browser without scripts does: GET the form, take its antiforgery token,
/// POST the fields back with the cookies the client keeps.
/// </summary>
internal sealed partial class AccountForms(TestApp app)
{
    public const string Password = "correct horse battery staple";

    public HttpClient Client { get; } = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public string SetupCodePath => Path.Combine(app.DataDirectory, "setup-code.txt");

    public string ReadSetupCode() => File.ReadAllText(SetupCodePath).Trim();

    public async Task<string> GetTextAsync(string url)
    {
        var response = await Client.GetAsync(url);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs <paramref name="url"/> for its antiforgery token, then POSTs <paramref name="fields"/> to it.</summary>
    /// <param name="tokenFrom">Another page to take the token from, when <paramref name="url"/> shows no form.</param>
    public async Task<HttpResponseMessage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, string? tokenFrom = null)
    {
        var form = await Client.GetAsync(tokenFrom ?? url);
        var html = await form.Content.ReadAsStringAsync();
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, $"No antiforgery token on {url} (status {(int)form.StatusCode}).");
        var body = fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        return await Client.PostAsync(url, new FormUrlEncodedContent(body));
    }

    public static async Task<string> TextOf(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    public Task<HttpResponseMessage> RegisterAsync(
        string email, string? setupCode = null, string password = Password, string household = "The Millers",
        string currency = "EUR", string culture = "en-GB", string timeZone = "Europe/Berlin", string name = "Ana")
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.DisplayName"] = name,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
            ["Input.HouseholdName"] = household,
            ["Input.Currency"] = currency,
            ["Input.Culture"] = culture,
            ["Input.TimeZone"] = timeZone,
        };
        if (setupCode is not null)
        {
            fields["Input.SetupCode"] = setupCode;
        }

        return PostAsync("/Identity/Account/Register", fields);
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password = Password) =>
        PostAsync("/Identity/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    /// <summary>An administrator (with their own household) already exists, so registration is past its first run.</summary>
    public static async Task<AppUser> CreateAdministratorAsync(TestApp app, string email)
    {
        var (user, _, _) = await app.CreateUserWithHouseholdAsync(email, password: Password);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var stored = await users.FindByIdAsync(user.Id) ?? throw new InvalidOperationException("The user vanished.");
        stored.IsAdministrator = true;
        await users.UpdateAsync(stored);
        return stored;
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
