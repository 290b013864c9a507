using System.Net.Http.Headers;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>Personal access tokens and Bearer clients for API tests.</summary>
public static class ApiTestClient
{
    /// <summary>Creates a token for <paramref name="memberId"/> through <see cref="ApiTokenService"/> and returns its secret.</summary>
    public static async Task<string> CreateTokenAsync(
        this TestApp app, long householdId, long memberId, MemberRole role = MemberRole.Owner,
        ApiTokenScopes scopes = ApiTokenScopes.ReadWrite, int? expiresInDays = null, string name = "Test token")
    {
        await using var scope = app.ScopeFor(householdId, memberId, role);
        var created = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(name, scopes, expiresInDays);
        return created.Secret;
    }

    /// <summary>An HTTP client that sends <c>Authorization: Bearer {token}</c> and no cookies.</summary>
    public static HttpClient CreateApiClient(this TestApp app, string? token)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A household with its owner's read-write token, for tests that need one quickly.</summary>
    public static async Task<(long HouseholdId, long MemberId, string Token, HttpClient Client)> CreateApiHouseholdAsync(
        this TestApp app, string email, string currency = "EUR")
    {
        var (_, household, memberId) = await app.CreateUserWithHouseholdAsync(email, currency);
        var token = await app.CreateTokenAsync(household.Id, memberId);
        return (household.Id, memberId, token, app.CreateApiClient(token));
    }
}
