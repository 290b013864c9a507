using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Hardening;

/// <summary>
/// The not-found page a signed-in person gets (re-executed by the status-code pages) is rendered whole and the request
/// ends, on both providers. On PostgreSQL its layout's household lookups used to outlive the re-executed request: the
/// page came back without its text, and a lookup cut off by the scope's disposal hung the response.
/// </summary>
public sealed class NotFoundPageTests
{
    [ProviderTheory]
    public async Task A_signed_in_person_gets_the_whole_not_found_page_every_time(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        await app.CreateUserWithHouseholdAsync("ana@example.com", password: AccountForms.Password);
        var forms = new AccountForms(app);
        Assert.Equal(HttpStatusCode.Redirect, (await forms.SignInAsync("ana@example.com")).StatusCode);

        // Several paths and repeats: the cut-off was a race, lost on a good share of requests.
        for (var i = 0; i < 4; i++)
        {
            foreach (var path in new[] { "/no-such-page", "/nothing-here.txt", "/attachments/999999" })
            {
                using var response = await forms.Client.GetAsync(new Uri(path, UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();

                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Contains("There is nothing at this address.", body, StringComparison.Ordinal);
                Assert.Contains("data-testid=\"status-app-bar\"", body, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// The page a failed request is re-executed to (outside Development) speaks to the family, not to a developer: what
    /// happened, what to do, and a reference an operator finds in the log. It was the template's "Development Mode" advice.
    /// </summary>
    [Fact]
    public async Task The_error_page_tells_a_person_what_to_do_and_gives_a_reference()
    {
        await using var app = new TestApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/Error", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1 class=\"et-h1\">Something went wrong</h1>", body, StringComparison.Ordinal);
        Assert.Contains("nothing is half-written", body, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"request-id\">[^<]{8,}</code>", body);
        Assert.Contains("data-testid=\"status-app-bar\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Development", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT", body, StringComparison.Ordinal);
    }
}
