using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>
/// Personal access tokens over HTTP: the Bearer token is the only way in (never the cookie), it acts for its member in
/// its household, and revoked, expired, unknown tokens and tokens of members who left get 401 with a problem body.
/// One app per provider for the class: each test uses its own member or token, so they do not depend on each other.
/// </summary>
public sealed class ApiAuthenticationTests(HouseholdApiFixtures households) : IClassFixture<HouseholdApiFixtures>
{
    private TestApp app = null!;
    private Family family = null!;

    private async Task OnAsync(DatabaseProvider provider)
    {
        var api = await households.ForAsync(provider);
        (app, family) = (api.App, api.Family);
    }

    private Task<string> TokenFor(string name, ApiTokenScopes scopes = ApiTokenScopes.ReadWrite, int? days = null) =>
        app.CreateTokenAsync(family.HouseholdId, family.Id(name), family.People[name].Role, scopes, days);

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [ProviderTheory]
    public async Task A_token_acts_for_its_member_in_its_household_with_its_scopes(DatabaseProvider provider)
    {
        await OnAsync(provider);
        using var client = app.CreateApiClient(await TokenFor("Vic", ApiTokenScopes.Read));
        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await JsonOf(response);
        Assert.Equal(family.Id("Vic"), me.GetProperty("memberId").GetInt64());
        Assert.Equal(family.HouseholdId, me.GetProperty("householdId").GetInt64());
        Assert.Equal("viewer", me.GetProperty("role").GetString());
        Assert.Equal("read", Assert.Single(me.GetProperty("scopes").EnumerateArray()).GetString());
    }

    [ProviderTheory]
    public async Task Without_a_token_the_answer_is_401_with_a_problem_and_a_bearer_challenge(DatabaseProvider provider)
    {
        await OnAsync(provider);
        using var client = app.CreateApiClient(null);
        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, (await JsonOf(response)).GetProperty("status").GetInt32());
    }

    [ProviderTheory]
    public async Task The_sign_in_cookie_is_not_accepted(DatabaseProvider provider)
    {
        await OnAsync(provider);
        // Ana has a password (the family's owner registered); the cookie client is signed in for real.
        var forms = new AccountForms(app);
        Assert.Equal(HttpStatusCode.Redirect, (await forms.SignInAsync("ana@example.com")).StatusCode);

        var response = await forms.Client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [ProviderTheory]
    [InlineData("et_not-a-real-token-at-all-000000000000000000000")]
    [InlineData("ghp_someone-elses-token")]
    public async Task An_unknown_token_is_refused(DatabaseProvider provider, string token)
    {
        await OnAsync(provider);
        using var client = app.CreateApiClient(token);
        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task A_revoked_token_stops_working_on_the_next_request(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var token = await TokenFor("Ben");
        using var client = app.CreateApiClient(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);

        await using (var scope = family.As("Ben"))
        {
            var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
            var mine = Assert.Single(await tokens.ListMineAsync());
            Assert.NotNull(mine.LastUsedAt);
            await tokens.RevokeAsync(mine.Id);
        }

        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("revoked", (await JsonOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task A_token_expires_on_the_apps_clock(DatabaseProvider provider)
    {
        await OnAsync(provider);
        using var client = app.CreateApiClient(await TokenFor("Ana", days: 7));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);

        // The class's shared clock moves on: no other test here depends on where it stands.
        app.Time.Advance(TimeSpan.FromDays(7));

        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", (await JsonOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task A_member_who_left_loses_their_tokens(DatabaseProvider provider)
    {
        await OnAsync(provider);
        // Max: the member no other test of this class uses.
        using var client = app.CreateApiClient(await TokenFor("Max"));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Members.IgnoreQueryFilters().Where(m => m.Id == family.Id("Max"))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeftAt, DateTime.UtcNow));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
    }

    [ProviderTheory]
    public async Task Only_the_hash_is_stored_and_the_secret_is_shown_once(DatabaseProvider provider)
    {
        await OnAsync(provider);
        await using var scope = family.As("Ana");
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
        var created = await tokens.CreateAsync("Spreadsheet", ApiTokenScopes.Read, 90);

        Assert.StartsWith("et_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(46, created.Secret.Length);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.PersonalAccessTokens.SingleAsync(t => t.Id == created.Token.Id);
        Assert.Equal(ApiTokenService.Hash(created.Secret), row.TokenHash);
        Assert.DoesNotContain(created.Secret, row.TokenHash, StringComparison.Ordinal);
        Assert.Equal(created.Secret[..7], row.Prefix);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime.AddDays(90), row.ExpiresAt);
    }

    [ProviderTheory]
    public async Task Viewers_may_only_create_read_only_tokens_and_names_are_required(DatabaseProvider provider)
    {
        await OnAsync(provider);
        await using var scope = family.As("Vic");
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();

        var write = await Assert.ThrowsAsync<ExpenseTracker.Web.Infrastructure.FieldValidationException>(
            () => tokens.CreateAsync("Script", ApiTokenScopes.ReadWrite, null));
        Assert.Equal("scopes", write.Field);
        var unnamed = await Assert.ThrowsAsync<ExpenseTracker.Web.Infrastructure.FieldValidationException>(
            () => tokens.CreateAsync("  ", ApiTokenScopes.Read, null));
        Assert.Equal("name", unnamed.Field);
    }

    [ProviderTheory]
    public async Task Unknown_api_paths_answer_a_problem_not_the_html_page(DatabaseProvider provider)
    {
        await OnAsync(provider);
        using var client = app.CreateApiClient(await TokenFor("Ana"));
        var response = await client.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    // The document and page are built from the endpoints alone, the same on both providers: SQLite is enough.
    [Fact]
    public async Task The_openapi_document_and_reference_page_are_served()
    {
        await OnAsync(DatabaseProvider.Sqlite);
        using var client = app.CreateApiClient(null);
        var document = await JsonOf(await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/me", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes")
            .GetProperty(ApiDocumentTransformer.SchemeId).GetProperty("scheme").GetString());

        var page = await client.GetAsync(new Uri("/scalar/v1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi/v1.json", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
