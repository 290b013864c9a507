using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>
/// One app per test class: the <see cref="Households.Family"/> (Ana owner, Ben member, Vic viewer, Kim child) with a
/// token each, and Eve, the owner of another household, with hers. Tests in a class use their own names for what they
/// create, so they do not depend on each other.
/// </summary>
public sealed class HouseholdApiFixture : IAsyncLifetime
{
    private readonly Dictionary<string, HttpClient> clients = new(StringComparer.Ordinal);

    public TestApp App { get; }

    public HouseholdApiFixture()
        : this(new TestApp())
    {
    }

    private HouseholdApiFixture(TestApp app) => App = app;

    /// <summary>The same data seeded in <paramref name="app"/>, which the caller disposes.</summary>
    public static async Task<HouseholdApiFixture> SeedAsync(TestApp app)
    {
        var seeded = new HouseholdApiFixture(app);
        await seeded.InitializeAsync();
        return seeded;
    }
    internal Family Family { get; private set; } = null!;
    public long EveHouseholdId { get; private set; }
    public HttpClient Eve { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Family = await Family.CreateAsync(App);
        var other = await App.CreateApiHouseholdAsync("eve@example.com");
        EveHouseholdId = other.HouseholdId;
        Eve = other.Client;
    }

    /// <summary>A client with a read-write token of that family member (viewers may only hold read tokens).</summary>
    public async Task<HttpClient> ClientAsync(string name, ApiTokenScopes? scopes = null)
    {
        var role = Family.People[name].Role;
        var chosen = scopes ?? (role == MemberRole.Viewer ? ApiTokenScopes.Read : ApiTokenScopes.ReadWrite);
        var key = name + chosen;
        if (!clients.TryGetValue(key, out var client))
        {
            client = App.CreateApiClient(await App.CreateTokenAsync(Family.HouseholdId, Family.Id(name), role, chosen, name: key));
            clients[key] = client;
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        Eve.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>Short ways to call the API and read its JSON.</summary>
internal static class ApiCalls
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(this HttpClient client, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> FetchAsync(this HttpClient client, string url) =>
        client.SendAsync(HttpMethod.Get, url);

    /// <summary>The messages a validation problem gives for one field (none when the field is not named).</summary>
    public static IReadOnlyList<string> FieldErrors(this JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages)
            ? messages.EnumerateArray().Select(m => m.GetString()!).ToList()
            : [];

    public static IEnumerable<JsonElement> Items(this JsonElement page) => page.GetProperty("items").EnumerateArray();
}

/// <summary>The <see cref="HouseholdApiFixture"/> on each provider, for provider theories.</summary>
public sealed class HouseholdApiFixtures : ProviderFixture<HouseholdApiFixture>
{
    protected override Task<HouseholdApiFixture> SeedAsync(TestApp app) => HouseholdApiFixture.SeedAsync(app);
}
