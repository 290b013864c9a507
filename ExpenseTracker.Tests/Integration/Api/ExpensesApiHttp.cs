using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>Small HTTP helpers for the expense API tests: JSON bodies, If-Match, problem errors.</summary>
internal static class ExpensesApiHttp
{
    public static Uri Url(string path) => new(path, UriKind.Relative);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(Url(path), body);

    /// <summary>Sends <paramref name="json"/> exactly as written.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string json, string mediaType = "application/json") =>
        client.PostAsync(Url(path), new StringContent(json, Encoding.UTF8, mediaType));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Url(path)) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string path, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, Url(path));
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(Url(path));
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    /// <summary>The validation problem's field keys and messages; asserts the response is one.</summary>
    public static async Task<Dictionary<string, string[]>> ValidationErrorsAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        return errors.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(m => m.GetString()!).ToArray());
    }

    /// <summary>Asserts a problem document with this status and returns its detail.</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? string.Empty : string.Empty;
    }

    public static string ETagOf(HttpResponseMessage response) =>
        response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("No ETag header.");

    public static long[] Ids(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64())];

    public static async Task<long> AccountAsync(this TestApp app, long householdId, string name, bool archived = false)
    {
        await using var scope = app.ScopeFor(householdId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var account = new PaymentAccount { HouseholdId = householdId, Name = name, Kind = AccountKind.Checking, Currency = "EUR", Archived = archived };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        return account.Id;
    }

    public static async Task<long> CategoryAsync(this TestApp app, long householdId, string name)
    {
        await using var scope = app.ScopeFor(householdId);
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Categories.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }

    public static async Task<long> CashAsync(this TestApp app, long householdId)
    {
        await using var scope = app.ScopeFor(householdId);
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Accounts.Where(a => a.Name == "Cash").Select(a => a.Id).SingleAsync();
    }
}
