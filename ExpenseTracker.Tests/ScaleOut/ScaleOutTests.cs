using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ExpenseTracker.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;
using Xunit.Abstractions;
using Xunit.Sdk;
using static Microsoft.Playwright.Assertions;

namespace ExpenseTracker.Tests.ScaleOut;

/// <summary>
/// Issue #9's scale-out test: two app processes on two loopback ports against one PostgreSQL. A sign-in on A is honoured by
/// B (Data Protection keys in the database); a reminder due once is delivered once (one clustered scheduler fires it); an
/// expense added through A shows on a dashboard open on B (LISTEN/NOTIFY); with A gone, B serves and schedules alone.
/// The steps share one pair of instances and run in order (the last one stops A); each starts whatever is not running.
/// </summary>
[Collection(BrowserCollection.Name)]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed partial class ScaleOutTests(BrowserFixture browser, ScaleOutCluster cluster) : IClassFixture<ScaleOutCluster>
{
    /// <summary>Long enough for a reminder to be evaluated, queued and mailed by either scheduler, even on a busy machine.</summary>
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(45);

    /// <summary>After the first copy arrived: several more ticks and delivery passes of both schedulers, in which a duplicate would show.</summary>
    private static readonly TimeSpan Settle = 3 * ScaleOutCluster.JobInterval + 2 * ScaleOutCluster.ClusterCheckinInterval;

    private AppProcess A => cluster.A!;

    private AppProcess B => cluster.B!;

    [SkippableFact]
    [Step(1)]
    public async Task ASignInOnInstanceAIsHonouredByInstanceB()
    {
        await cluster.StartAsync();
        var cookies = new CookieContainer();
        using var onA = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = A.Address };
        var form = await onA.GetStringAsync(new Uri("/Identity/Account/Login", UriKind.Relative));
        var antiforgery = AntiforgeryToken().Match(form);
        Assert.True(antiforgery.Success, "No antiforgery token on A's sign-in page.");

        using var signedIn = await onA.PostAsync(new Uri("/Identity/Account/Login", UriKind.Relative), new FormUrlEncodedContent(
        [
            new("Input.Email", ScaleOutCluster.Email),
            new("Input.Password", ScaleOutCluster.Password),
            new("__RequestVerificationToken", WebUtility.HtmlDecode(antiforgery.Groups[1].Value)),
        ]));
        Assert.True(signedIn.StatusCode == HttpStatusCode.Found, $"Signing in on A answered {(int)signedIn.StatusCode}.\n{cluster.Output}");
        var session = cookies.GetCookies(A.Address)[".AspNetCore.Identity.Application"];
        Assert.NotNull(session);

        using var onB = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = B.Address };
        using var stranger = await onB.GetAsync(new Uri("/Identity/Account/Manage", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Found, stranger.StatusCode);
        Assert.Contains("/Identity/Account/Login", stranger.Headers.Location?.ToString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/Identity/Account/Manage", UriKind.Relative));
        request.Headers.Add("Cookie", $"{session.Name}={session.Value}");
        using var manage = await onB.SendAsync(request);
        var html = await manage.Content.ReadAsStringAsync();
        Assert.True(manage.StatusCode == HttpStatusCode.OK,
            $"B answered {(int)manage.StatusCode} ({manage.Headers.Location}) to A's sign-in cookie: B cannot read A's cookie.\n{cluster.Output}");
        Assert.Contains(ScaleOutCluster.Email, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [SkippableFact]
    [Step(2)]
    public async Task AReminderDueOnceIsDeliveredOnceWithBothInstancesScheduling()
    {
        await cluster.StartAsync();
        var name = "Water " + Guid.NewGuid().ToString("N")[..6];

        // Due tomorrow with three days' notice: "due in 1 day" is due at once (the rule reminds a bill entered late when it is added).
        await AddBillDueTomorrowAsync(A, name);

        var mail = await SingleMailAboutAsync(name);
        Assert.Equal($"{name} is due in 1 day", mail.Subject);
        Assert.Equal(ScaleOutCluster.Email, Assert.Single(mail.To.Mailboxes).Address);
        Assert.Contains("42.50", mail.TextBody, StringComparison.Ordinal);
    }

    [SkippableFact]
    [Step(3)]
    public async Task AnExpenseAddedThroughAShowsLiveOnADashboardOpenOnB()
    {
        browser.RequireBrowser();
        await cluster.StartAsync();

        // A first expense, so the dashboard shows its cards rather than the empty household's welcome.
        var categories = (await cluster.GetAsync(A, "/api/v1/categories")).GetProperty("items").EnumerateArray();
        var groceries = categories.First(c => c.GetProperty("name").GetString() == "Groceries").GetProperty("id").GetInt64();
        await cluster.PostAsync(A, "/api/v1/expenses", new { amount = 10.00m, payee = "Corner shop", categoryId = groceries });
        var page = await browser.NewPageAsync(B.Address);
        await BrowserHelpers.SignInAsync(page, ScaleOutCluster.Email, ScaleOutCluster.Password);
        await Expect(page.Locator("[data-testid=month-spending]")).ToContainTextAsync("10.00");
        var latest = page.Locator("[data-testid=latest-expense-row]").First;
        await Expect(latest).ToContainTextAsync("Corner shop");

        await cluster.PostAsync(A, "/api/v1/expenses", new { amount = 37.25m, payee = "Scale-out bakery", categoryId = groceries });

        var generous = new LocatorAssertionsToContainTextOptions { Timeout = 30_000 };
        try
        {
            await Expect(latest).ToContainTextAsync("Scale-out bakery", generous);
        }
        catch (PlaywrightException e)
        {
            throw new XunitException($"B's dashboard did not show the expense added through A: {e.Message}\n{cluster.Output}");
        }

        await Expect(latest).ToContainTextAsync("37.25");
        await Expect(page.Locator("[data-testid=month-spending]")).ToContainTextAsync("47.25");
    }

    [SkippableFact]
    [Step(4)]
    public async Task WithInstanceAStoppedBStillServesAndSchedules()
    {
        await cluster.StartAsync();
        await A.KillAsync();

        using var client = new HttpClient { BaseAddress = B.Address, Timeout = TimeSpan.FromSeconds(30) };
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"B's /health/ready answered {(int)ready.StatusCode} with A stopped.\n{cluster.Output}");
        using var login = await client.GetAsync(new Uri("/Identity/Account/Login", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("type=\"password\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A's scheduler may have held the jobs' triggers when it died: B takes them over after a missed check-in.
        var name = "Rent " + Guid.NewGuid().ToString("N")[..6];
        await AddBillDueTomorrowAsync(B, name);

        var mail = await SingleMailAboutAsync(name);
        Assert.Equal($"{name} is due in 1 day", mail.Subject);
    }

    private async Task AddBillDueTomorrowAsync(AppProcess instance, string name)
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
        var categories = (await cluster.GetAsync(instance, "/api/v1/categories")).GetProperty("items").EnumerateArray();
        var utilities = categories.First(c => c.GetProperty("name").GetString() == "Utilities").GetProperty("id").GetInt64();
        await cluster.PostAsync(instance, "/api/v1/bills", new
        {
            name,
            categoryId = utilities,
            amount = 42.50m,
            kind = "weekly",
            interval = 1,
            dayOfWeek = due.DayOfWeek.ToString(),
            start = due,
            reminderLeadDays = 3,
        });
    }

    /// <summary>Waits for the mail about <paramref name="subject"/>, then lets both schedulers run a while longer: exactly one copy.</summary>
    private async Task<MimeMessage> SingleMailAboutAsync(string subject)
    {
        var waited = Stopwatch.StartNew();
        while (cluster.MailsAbout(subject).Count == 0 && waited.Elapsed < MailWait)
        {
            await Task.Delay(200);
        }

        if (cluster.MailsAbout(subject).Count == 0)
        {
            Assert.Fail($"No reminder about {subject} within {MailWait.TotalSeconds} s.\n{await cluster.DescribeSchedulerAsync()}\n{cluster.Output}");
        }

        await Task.Delay(Settle);
        var mails = cluster.MailsAbout(subject);
        if (mails.Count != 1)
        {
            Assert.Fail($"{mails.Count} reminders about {subject}, expected one.\n{await cluster.DescribeSchedulerAsync()}\n{cluster.Output}");
        }

        return mails[0];
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

/// <summary>The position of a test in a class ordered by <see cref="StepOrderer"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepAttribute(int number) : Attribute
{
    public int Number { get; } = number;
}

/// <summary>Runs a class's tests by their <see cref="StepAttribute"/> (unnumbered ones last, by name).</summary>
public sealed class StepOrderer : ITestCaseOrderer
{
    public const string TypeName = "ExpenseTracker.Tests.ScaleOut.StepOrderer";
    public const string AssemblyName = "ExpenseTracker.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases
            .OrderBy(c => c.TestMethod.Method.GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName)
                .Select(a => (int)a.GetConstructorArguments().First())
                .DefaultIfEmpty(int.MaxValue)
                .First())
            .ThenBy(c => c.TestMethod.Method.Name, StringComparer.Ordinal);
}
