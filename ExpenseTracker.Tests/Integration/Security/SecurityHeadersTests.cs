using System.Text.RegularExpressions;
using ExpenseTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ExpenseTracker.Tests.Integration.Security;

/// <summary>
/// Every answer carries the security headers; the only inline scripts (Blazor's import map, the registration page's
/// time-zone script) carry the request's CSP nonce, which differs per request. Browser tests check that the pages really
/// run under the policy (BrowserHelpers fails a page on any CSP refusal).
/// </summary>
public sealed partial class SecurityHeadersTests : IAsyncLifetime
{
    private readonly TestApp app = new();
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("/not-found")]
    [InlineData("/Identity/Account/Login")]
    [InlineData("/api/v1/me")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/app.css")]
    public async Task Every_answer_has_the_security_headers(string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Theory]
    [InlineData("/not-found", "importmap")]
    [InlineData("/Identity/Account/Register", "Input_TimeZone")]
    public async Task Inline_scripts_carry_the_requests_nonce_and_nothing_else_is_inline(string path, string marker)
    {
        var first = await NonceAndScriptsAsync(path);
        var second = await NonceAndScriptsAsync(path);

        Assert.NotEqual(first.Nonce, second.Nonce);
        var inline = first.Scripts.Where(s => !s.Attributes.Contains("src=", StringComparison.Ordinal)).ToList();
        Assert.Contains(inline, s => s.Attributes.Contains(marker, StringComparison.Ordinal) || s.Body.Contains(marker, StringComparison.Ordinal));
        Assert.All(inline, s => Assert.Contains($"nonce=\"{first.Nonce}\"", s.Attributes, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_api_reference_page_has_its_own_policy()
    {
        var response = await client.GetAsync(new Uri("/scalar/v1", UriKind.Relative));

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("nonce-", policy, StringComparison.Ordinal);
    }

    private async Task<(string Nonce, List<(string Attributes, string Body)> Scripts)> NonceAndScriptsAsync(string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var nonce = NoncePattern().Match(policy).Groups[1].Value;
        Assert.NotEmpty(nonce);
        var html = await response.Content.ReadAsStringAsync();
        var scripts = ScriptPattern().Matches(html).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        return (nonce, scripts);
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();

    [GeneratedRegex("<script([^>]*)>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptPattern();
}
