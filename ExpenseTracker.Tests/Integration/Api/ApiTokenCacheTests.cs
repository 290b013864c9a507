using System.Net;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>
/// A token that was just used is remembered for a few seconds (no lookup per request), yet what the household's owner
/// changes about its member applies to the very next request. One app per provider; each test changes its own member.
/// </summary>
public sealed class ApiTokenCacheTests(HouseholdApiFixtures households) : IClassFixture<HouseholdApiFixtures>
{
    private TestApp app = null!;
    private Family family = null!;

    private async Task OnAsync(DatabaseProvider provider)
    {
        var api = await households.ForAsync(provider);
        (app, family) = (api.App, api.Family);
    }

    private static readonly Uri Me = new("/api/v1/me", UriKind.Relative);

    private async Task<HttpClient> UsedClientFor(string name)
    {
        var client = app.CreateApiClient(await app.CreateTokenAsync(family.HouseholdId, family.Id(name), family.People[name].Role));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Me)).StatusCode);
        return client;
    }

    [ProviderTheory]
    public async Task A_member_removed_right_after_using_their_token_is_refused_on_the_next_request(DatabaseProvider provider)
    {
        await OnAsync(provider);
        using var client = await UsedClientFor("Ben");

        await using (var scope = family.As("Ana"))
        {
            await scope.ServiceProvider.GetRequiredService<MembershipService>().RemoveMemberAsync(family.Id("Ben"));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Me)).StatusCode);
    }

    [ProviderTheory]
    public async Task A_role_change_applies_to_the_next_request_of_a_token_just_used(DatabaseProvider provider)
    {
        await OnAsync(provider);
        using var client = await UsedClientFor("Max");

        await using (var scope = family.As("Ana"))
        {
            await scope.ServiceProvider.GetRequiredService<MembershipService>().ChangeRoleAsync(family.Id("Max"), MemberRole.Viewer);
        }

        var me = JsonDocument.Parse(await client.GetStringAsync(Me)).RootElement;
        Assert.Equal("viewer", me.GetProperty("role").GetString());
    }
}
