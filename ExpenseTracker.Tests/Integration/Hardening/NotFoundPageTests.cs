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
            }
        }
    }
}
