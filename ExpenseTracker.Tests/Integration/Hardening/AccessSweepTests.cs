using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Tests.Integration.Import;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Hardening;

/// <summary>
/// Every page and endpoint of the app, enumerated from the app itself (routable components by their [Route], Razor
/// Pages and minimal-API endpoints from the EndpointDataSource), called as anonymous, as a member of another household
/// (Ben), as a viewer (Vic) and as a child (Kim) of the Family, with route parameters filled with real ids of a second
/// household whose names all carry a marker word. Each answer must match <see cref="Expected"/>, and no body may carry
/// the marker. A route the table does not know fails the sweep: add its expectation.
/// </summary>
public sealed partial class AccessSweepTests : IAsyncLifetime
{
    /// <summary>In every name, payee, note and email of the other household; never expected in anyone else's answer.</summary>
    private const string Marker = "zeppelinmarmalade";

    private const string Login = "login";

    /// <summary>Expected status per caller; <see cref="Login"/>-redirects are written as 302.</summary>
    private sealed record Expect(int Anonymous, int Other, int Viewer, int Child);

    // Pages: anonymous → 302 to the sign-in page; signed in → 200 (the page itself explains what a role may not do).
    private static readonly Expect Page = new(302, 200, 200, 200);
    private static readonly Expect Public = new(200, 200, 200, 200);
    // API: 401 without a token; an id of the other household is 404 for everyone; writes need a write token (viewers hold read ones).
    private static readonly Expect ApiList = new(401, 200, 200, 200);
    private static readonly Expect ApiById = new(401, 404, 404, 404);

    private static readonly Expect ApiWrite = new(401, 400, 403, 403);
    private static readonly Expect ApiWriteById = new(401, 404, 403, 403);
    private static readonly Expect Everyone = new(200, 200, 200, 200);

    /// <summary>One line per route and method. A route missing here fails the sweep with "add an expectation".</summary>
    private static readonly Dictionary<string, Expect> Expected = new(StringComparer.Ordinal)
    {
        // Blazor pages (components with [Route]).
        ["GET /"] = Page,
        ["GET /accounts"] = Page,
        ["GET /analytics"] = Page,
        ["GET /bills"] = Page,
        ["GET /budgets"] = Page,
        ["GET /categories"] = Page,
        ["GET /expenses"] = Page,
        ["GET /expenses/saved"] = Page,
        ["GET /household"] = Page,
        ["GET /household/activity"] = Page,
        ["GET /household/backup"] = Page,
        ["GET /household/balances"] = Page,
        ["GET /import"] = Page,
        ["GET /import/history"] = Page,
        ["GET /notifications"] = Page,
        ["GET /rules"] = Page,
        ["GET /settings"] = Page,
        ["GET /settings/api-tokens"] = Page,
        ["GET /settings/bank-connections"] = Page,
        ["GET /admin"] = new(302, 404, 404, 404), // instance administrators only; none of these callers is one
        // Receipt files: cookie sign-in; any id the caller cannot see is not found.
        ["GET /attachments/{id:long}"] = new(302, 404, 404, 404),
        ["GET /attachments/{id:long}/thumbnail"] = new(302, 404, 404, 404),
        ["GET /settings/notifications"] = Page,
        ["GET /Error"] = Public,
        ["GET /not-found"] = Public,
        // Probes for a proxy or supervisor: anonymous, plain "Healthy", no data.
        ["GET /health/live"] = Public,
        ["GET /health/ready"] = Public,
        // An invitation link with an unknown token is gone, for everyone.
        ["GET /invite/{token?}"] = new(410, 410, 410, 410),

        // Identity Razor Pages: the account pages are public, Manage/* need a sign-in.
        ["GET /Identity/Account/AccessDenied"] = Public,
        ["GET /Identity/Account/ExternalLogin"] = new(302, 302, 302, 302),
        ["GET /Identity/Account/ForgotPassword"] = Public,
        ["GET /Identity/Account/ForgotPasswordConfirmation"] = Public,
        ["GET /Identity/Account/Lockout"] = Public,
        ["GET /Identity/Account/Login"] = Public,
        ["GET /Identity/Account/Logout"] = Public,
        ["GET /Identity/Account/Register"] = Public,
        ["GET /Identity/Account/ResendEmailConfirmation"] = Public,
        ["GET /Identity/Account/ResetPassword"] = new(400, 400, 400, 400), // no reset code in the link
        ["GET /Identity/Account/ResetPasswordConfirmation"] = Public,
        ["GET /Identity/Error"] = Public,
        ["GET /Identity/Account/Manage"] = Page,
        ["GET /Identity/Account/Manage/Index"] = Page,
        ["GET /Identity/Account/Manage/ChangePassword"] = Page,
        ["GET /Identity/Account/Manage/DeletePersonalData"] = Page,
        ["GET /Identity/Account/Manage/DownloadPersonalData"] = new(302, 404, 404, 404), // POST only
        ["GET /Identity/Account/Manage/Email"] = Page,
        ["GET /Identity/Account/Manage/EnableAuthenticator"] = Page,
        ["GET /Identity/Account/Manage/ExternalLogins"] = Page,
        ["GET /Identity/Account/Manage/PersonalData"] = Page,
        ["GET /Identity/Account/Manage/ResetAuthenticator"] = Page,
        ["GET /Identity/Account/Manage/SetPassword"] = new(302, 302, 302, 302), // they have a password: sent to ChangePassword
        ["GET /Identity/Account/Manage/ShowRecoveryCodes"] = new(302, 302, 302, 302), // no codes just generated
        ["GET /Identity/Account/Manage/TwoFactorAuthentication"] = Page,
        // Default Identity UI pages opened without the state they need (no pending 2FA sign-in, 2FA off, no confirmation
        // values): sent to sign-in, to the two-factor settings, or home (IdentityPageStateFilter, Pages/Index).
        ["GET /Identity/Account/ConfirmEmail"] = new(302, 302, 302, 302),
        ["GET /Identity/Account/ConfirmEmailChange"] = new(302, 302, 302, 302),
        ["GET /Identity/Account/RegisterConfirmation"] = new(302, 302, 302, 302),
        ["GET /Identity/Account/LoginWith2fa"] = new(302, 302, 302, 302),
        ["GET /Identity/Account/LoginWithRecoveryCode"] = new(302, 302, 302, 302),
        ["GET /Identity/Account/Manage/Disable2fa"] = new(302, 302, 302, 302),
        ["GET /Identity/Account/Manage/GenerateRecoveryCodes"] = new(302, 302, 302, 302),
        ["GET /index"] = new(302, 302, 302, 302), // the Identity UI's "/Index" redirect target: forwards home

        // Cookie endpoints outside the API.
        ["GET /analytics/{chart}.csv"] = Page,
        ["GET /export/expenses.csv"] = new(401, 200, 200, 200),
        ["GET /export/expenses.xlsx"] = new(401, 200, 200, 200),
        ["GET /household/backup/download"] = new(401, 403, 403, 403), // owners only
        ["GET /notifications/unsubscribe/"] = new(400, 400, 400, 400), // no token in the link
        ["POST /notifications/unsubscribe/"] = new(400, 400, 400, 400),
        ["GET /openapi/{documentName}.json"] = Everyone, // the API's description, no data
        ["GET /scalar/{documentName?}"] = Everyone,
        ["GET /scalar/favicon.svg"] = Everyone,
        ["GET /scalar/scalar.aspnetcore.js"] = Everyone,
        ["GET /scalar/scalar.js"] = Everyone,
        ["GET /{**path:file}"] = new(404, 404, 404, 404),
        ["HEAD /{**path:file}"] = new(404, 404, 404, 404),

        // The REST API, ids of the other household in every route. Writes are sent with an empty body.
        ["GET /api/v1/me"] = ApiList,
        ["GET /api/v1/accounts/"] = ApiList,
        ["POST /api/v1/accounts/"] = ApiWrite,
        ["GET /api/v1/accounts/{id:long}"] = ApiById,
        ["PUT /api/v1/accounts/{id:long}"] = ApiWriteById,
        ["DELETE /api/v1/accounts/{id:long}"] = ApiWriteById,
        ["GET /api/v1/bills/"] = ApiList,
        ["POST /api/v1/bills/"] = ApiWrite,
        ["GET /api/v1/bills/{id:long}"] = ApiById,
        ["PUT /api/v1/bills/{id:long}"] = new(401, 400, 403, 403), // the empty body is refused before the lookup
        ["DELETE /api/v1/bills/{id:long}"] = ApiWriteById,
        ["POST /api/v1/bills/{id:long}/paid"] = ApiWriteById,
        ["GET /api/v1/budgets/"] = ApiList,
        ["PUT /api/v1/budgets/{categoryId:long}"] = new(401, 400, 403, 403),
        ["DELETE /api/v1/budgets/{categoryId:long}"] = ApiWriteById,
        ["GET /api/v1/categories/"] = ApiList,
        ["GET /api/v1/categories/options"] = ApiList,
        ["POST /api/v1/categories/"] = ApiWrite,
        ["GET /api/v1/categories/{id:long}"] = ApiById,
        ["PUT /api/v1/categories/{id:long}"] = ApiWriteById,
        ["DELETE /api/v1/categories/{id:long}"] = ApiWriteById,
        // A child may record (and so try to change) their own expenses.
        ["GET /api/v1/expenses/"] = ApiList,
        ["POST /api/v1/expenses/"] = new(401, 400, 403, 400),
        ["GET /api/v1/expenses/{id:long}"] = ApiById,
        ["GET /api/v1/expenses/{id:long}/attachments"] = ApiById,
        ["POST /api/v1/expenses/{id:long}/attachments"] = new(401, 404, 403, 404), // a child may attach to their own expenses
        ["GET /api/v1/attachments/{id:long}/content"] = ApiById,
        ["DELETE /api/v1/attachments/{id:long}"] = new(401, 404, 403, 404),
        ["PUT /api/v1/expenses/{id:long}"] = new(401, 428, 403, 428), // If-Match is required before anything is looked up
        ["DELETE /api/v1/expenses/{id:long}"] = new(401, 404, 403, 404),
        ["GET /api/v1/exports/expenses.csv"] = ApiList,
        ["GET /api/v1/exports/expenses.xlsx"] = ApiList,
        // Children do not see the import history.
        ["GET /api/v1/imports/"] = new(401, 200, 200, 403),
        ["POST /api/v1/imports/"] = ApiWrite,
        ["GET /api/v1/imports/{id:long}"] = new(401, 404, 404, 403),
        ["DELETE /api/v1/imports/{id:long}"] = ApiWriteById,
        ["GET /api/v1/members/"] = ApiList,
        ["GET /api/v1/members/{id:long}"] = ApiById,
        ["GET /api/v1/tags/"] = ApiList,
        ["POST /api/v1/tags/"] = ApiWrite,
        ["GET /api/v1/tags/{id:long}"] = ApiById,
        ["PUT /api/v1/tags/{id:long}"] = ApiWriteById,
        ["DELETE /api/v1/tags/{id:long}"] = ApiWriteById,
        ["GET /api/v1/totals/monthly"] = ApiList,
    };

    /// <summary>
    /// Routes whose anonymous redirect goes somewhere other than the sign-in page: the default Identity UI's confirmation
    /// pages send a link without its values to its "/Index" page, which forwards home (and home to sign-in).
    /// </summary>
    private static readonly HashSet<string> RedirectsHome = new(StringComparer.Ordinal)
    {
        "GET /Identity/Account/ConfirmEmail",
        "GET /Identity/Account/ConfirmEmailChange",
        "GET /Identity/Account/RegisterConfirmation",
        "GET /index",
    };

    private TestApp app = default!;
    private Family family = default!;
    private readonly Dictionary<string, long> otherIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (HttpClient Pages, HttpClient Api)> callers = new(StringComparer.Ordinal);

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider)
            .With("Api:RateLimit:TokenPermitLimit", "100000")
            .With("Api:RateLimit:IpPermitLimit", "100000");
        family = await Family.CreateAsync(app);
        await CreateOtherHouseholdAsync();
        callers["anonymous"] = (app.CreateClient(new() { AllowAutoRedirect = false }), app.CreateApiClient(null));
        foreach (var name in new[] { "Ben", "Vic", "Kim" })
        {
            var (memberId, userId, role) = family.People[name];
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
                Assert.True((await users.AddPasswordAsync((await users.FindByIdAsync(userId))!, AccountForms.Password)).Succeeded);
            }

            var forms = new AccountForms(app);
            var signIn = await forms.SignInAsync(name.ToLowerInvariant() + "@example.com");
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            var scopes = role == MemberRole.Viewer ? ApiTokenScopes.Read : ApiTokenScopes.ReadWrite;
            callers[name] = (forms.Client, app.CreateApiClient(await app.CreateTokenAsync(family.HouseholdId, memberId, role, scopes)));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (pages, api) in callers.Values)
        {
            pages.Dispose();
            api.Dispose();
        }

        await (app?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    /// <summary>Sam's household: an account, category with budget, tag, bill, expense and an imported batch, all marked.</summary>
    private async Task CreateOtherHouseholdAsync()
    {
        var sam = await ImportHousehold.CreateAsync(app, Marker + "@example.com");
        otherIds["members"] = sam.OwnerId;
        otherIds["accounts"] = sam.CheckingId;
        var batch = await sam.CommitAsync(ImportHousehold.Request("statement.csv",
            ImportHousehold.Csv($"2026-11-02,-3.50,{Marker} cafe,{Marker} memo", $"2026-11-03,-42.10,{Marker} market,"), sam.CheckingId));
        otherIds["imports"] = batch.BatchIds[0];
        using var api = app.CreateApiClient(await app.CreateTokenAsync(sam.HouseholdId, sam.OwnerId));
        otherIds["tags"] = await CreateAsync(api, "/api/v1/tags", new { name = Marker + " tag" });
        otherIds["categories"] = await CreateAsync(api, "/api/v1/categories", new { name = Marker + " category" });
        otherIds["budgets"] = otherIds["categories"];
        Assert.True((await api.PutAsync(new Uri($"/api/v1/budgets/{otherIds["categories"]}", UriKind.Relative), Json(new { amount = 100m }))).IsSuccessStatusCode);
        otherIds["bills"] = await CreateAsync(api, "/api/v1/bills", new
        {
            name = Marker + " rent", categoryId = otherIds["categories"], amount = 900m, kind = "monthlyOnDay", dayOfMonth = 1, start = "2026-11-01",
        });
        otherIds["expenses"] = await CreateAsync(api, "/api/v1/expenses", new
        {
            amount = 12.5m, categoryId = otherIds["categories"], payee = Marker + " payee", notes = Marker + " note", date = "2026-11-10",
        });
        await using var scope = sam.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Accounts.Add(new PaymentAccount { Name = Marker + " vault", Kind = AccountKind.Savings, Currency = "EUR" });
        await db.SaveChangesAsync();
    }

    private static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<long> CreateAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsync(new Uri(path, UriKind.Relative), Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    private sealed record Route(string Method, string Template, bool IsPage, string? Accepts);

    /// <summary>Routable components by their [Route]; Razor Pages and endpoints from the app's EndpointDataSource.</summary>
    private List<Route> Routes()
    {
        _ = app.Server;
        var routes = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => new Route("GET", "/" + r.Template.TrimStart('/'), true, null))
            .ToList();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (endpoint.Metadata.Any(m => m.GetType().Name == "ComponentTypeMetadata") || template.StartsWith("/_", StringComparison.Ordinal)
                || endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)))
            {
                continue; // components are listed by reflection above; the framework's own files and hub are not the app's routes
            }

            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null || endpoint.Metadata.Any(m => m.GetType().Name == "PageRouteMetadata"))
            {
                routes.Add(new Route("GET", template, true, null));
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                routes.Add(new Route(method, template, false,
                    endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.FirstOrDefault()));
            }
        }

        return [.. routes.DistinctBy(r => (r.Method, r.Template)).OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];
    }

    private string Fill(string template) => Parameter().Replace(template, m =>
    {
        var name = m.Groups[1].Value;
        if (name == "chart")
        {
            return "by-category";
        }

        if (name == "documentName")
        {
            return "v1";
        }

        var resource = template.Split('/', StringSplitOptions.RemoveEmptyEntries).SkipWhile(s => s != "v1").Skip(1).FirstOrDefault() ?? string.Empty;
        return otherIds.TryGetValue(resource, out var id) ? id.ToString(CultureInfo.InvariantCulture) : "1";
    });

    [ProviderTheory]
    public async Task EveryRouteAnswersAsExpectedForEveryCallerAndShowsNoOtherHouseholdsData(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var routes = Routes();
        Assert.True(routes.Count(r => r.IsPage) >= 20 && routes.Count(r => r.Template.StartsWith("/api/v1/", StringComparison.Ordinal)) >= 40,
            $"only {routes.Count} routes found");
        var problems = new List<string>();
        var observed = new List<string>();
        foreach (var route in routes)
        {
            var key = $"{route.Method} {route.Template}";
            var statuses = new List<int>();
            foreach (var (caller, (pages, api)) in callers)
            {
                // The API answers Bearer tokens; every other route (pages, CSV/XLSX downloads) the sign-in cookie.
                var isApi = route.Template.StartsWith("/api/", StringComparison.Ordinal);
                var (status, location, body) = await CallAsync(isApi ? api : pages, route);
                statuses.Add(status);
                if (body.Contains(Marker, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{key} as {caller} answered {status} with the other household's data");
                }

                if (status == 302 && !location.Contains("/Identity/Account/Login", StringComparison.Ordinal) && caller == "anonymous" && !RedirectsHome.Contains(key))
                {
                    problems.Add($"{key} as anonymous redirects to {location}, not to the sign-in page");
                }

                if (status >= 500)
                {
                    problems.Add($"{key} as {caller} answered {status}");
                }
            }

            var actual = new Expect(statuses[0], statuses[1], statuses[2], statuses[3]);
            observed.Add($"[\"{key}\"] = new({actual.Anonymous}, {actual.Other}, {actual.Viewer}, {actual.Child}),");
            if (!Expected.TryGetValue(key, out var expected))
            {
                problems.Add($"add an expectation for route {key} (it answered {actual})");
            }
            else if (expected != actual)
            {
                problems.Add($"{key}: expected {expected}, got {actual}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\nObserved:\n" + string.Join("\n", observed));
    }

    private async Task<(int Status, string Location, string Body)> CallAsync(HttpClient client, Route route)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(Fill(route.Template), UriKind.Relative));
        if (route.Accepts is "multipart/form-data")
        {
            request.Content = new MultipartFormDataContent
            {
                { new ByteArrayContent(Encoding.UTF8.GetBytes(ImportHousehold.Csv("2026-11-05,-1.00,Sweep,"))), "file", "sweep.csv" },
                { new StringContent(otherIds["accounts"].ToString(CultureInfo.InvariantCulture)), "accountId" },
            };
        }
        else if (route.Accepts is not null)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, route.Accepts);
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, response.Headers.Location?.ToString() ?? string.Empty, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"\{([A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex Parameter();
}
