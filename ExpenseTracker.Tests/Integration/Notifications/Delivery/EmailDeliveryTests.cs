using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Features.Notifications.Delivery;
using ExpenseTracker.Web.Features.Notifications.Email;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using netDumbster.smtp;

namespace ExpenseTracker.Tests.Integration.Notifications.Delivery;

public sealed partial class EmailDeliveryTests : IAsyncLifetime
{
    private readonly int port = FreePort();
    private readonly List<IAsyncDisposable> apps = [];
    private SimpleSmtpServer? smtp;
    private string? sharedDatabase;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        smtp?.Dispose();
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        if (sharedDatabase is not null)
        {
            await PostgresServer.DropDatabaseAsync(sharedDatabase);
        }
    }

    [ProviderTheory]
    public async Task AnEmailHasTheTitleHtmlAndTextPartsALinkToTheAppAndAMessageIdFromTheOutboxKey(DatabaseProvider provider)
    {
        StartSmtp();
        var bed = await DeliveryBed.CreateAsync(NewApp(provider));
        await bed.EnqueueAsync(bed.Request());

        var handled = await bed.DeliverAsync();
        Assert.Null((await bed.OutboxAsync(NotificationChannel.Email)).LastError);
        Assert.Equal(3, handled);

        var mail = Assert.Single(await ReceivedAsync(1));
        var email = await bed.OutboxAsync(NotificationChannel.Email);
        Assert.Equal(OutboxStatus.Delivered, email.Status);
        Assert.Equal(bed.App.Time.GetUtcNow().UtcDateTime, email.DeliveredAt);
        Assert.Equal("Water bill due in 3 days", mail.Subject);
        Assert.Equal("ana@example.com", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal(NotificationEmailComposer.MessageIdFor(email.Key), mail.MessageId);
        Assert.Matches("^[0-9a-f]{64}@expensetracker.local$", mail.MessageId);
        Assert.Contains("<h1 style=\"margin:0 0 16px;font-size:20px;line-height:1.3;\">Water bill due in 3 days</h1>", mail.HtmlBody);
        Assert.Contains("The water bill (€42.00) is due on 18 Nov.</p>", WebUtility.HtmlDecode(mail.HtmlBody)); // HtmlRenderer writes € as &#x20AC;
        Assert.Contains("href=\"http://localhost:5000/bills?bill=1\"", mail.HtmlBody);
        Assert.Contains("The water bill (€42.00) is due on 18 Nov.\r\n\r\nPay it from the bills page.", mail.TextBody?.ReplaceLineEndings("\r\n"));
        Assert.Contains("Open in ExpenseTracker: http://localhost:5000/bills?bill=1", mail.TextBody);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Equal("<" + UnsubscribeLink(mail) + ">", mail.Headers["List-Unsubscribe"]);
        Assert.Contains(UnsubscribeLink(mail), mail.HtmlBody);
    }

    [ProviderTheory]
    public async Task TheUnsubscribeLinkWorksWithoutSigningInAndSwitchesThatTypeOff(DatabaseProvider provider)
    {
        StartSmtp();
        var bed = await DeliveryBed.CreateAsync(NewApp(provider));
        await bed.EnqueueAsync(bed.Request());
        await bed.DeliverAsync();
        var link = new Uri(UnsubscribeLink(Assert.Single(await ReceivedAsync(1))));
        Assert.Equal("http://localhost:5000/notifications/unsubscribe", link.GetLeftPart(UriPartial.Path));
        using var client = bed.App.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });

        var page = await client.GetAsync(link.PathAndQuery);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Stop emailing <strong>ana</strong> about <strong>bill reminders</strong>?", html);
        Assert.Null(await bed.PreferenceAsync(NotificationType.BillReminder, NotificationChannel.Email));
        var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
        Assert.Equal(link.PathAndQuery, action);

        var done = await client.PostAsync(action, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("no more emails about bill reminders", await done.Content.ReadAsStringAsync());
        Assert.False(await bed.PreferenceAsync(NotificationType.BillReminder, NotificationChannel.Email));
        Assert.Null(await bed.PreferenceAsync(NotificationType.BudgetAlert, NotificationChannel.Email));
        await bed.EnqueueAsync(bed.Request(subject: "bill:2"));
        Assert.DoesNotContain(await bed.OutboxAsync(), o => o.Key.Contains("bill:2", StringComparison.Ordinal) && o.Channel == NotificationChannel.Email);
    }

    [ProviderTheory]
    public async Task AnAlteredUnsubscribeTokenIsRefusedAndChangesNothing(DatabaseProvider provider)
    {
        var bed = await DeliveryBed.CreateAsync(NewApp(provider));
        using var client = bed.App.CreateClient(new() { HandleCookies = false });

        var response = await client.PostAsync("/notifications/unsubscribe?token=CfDJ8forged", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid", await response.Content.ReadAsStringAsync());
        Assert.Null(await bed.PreferenceAsync(NotificationType.BillReminder, NotificationChannel.Email));
    }

    [ProviderTheory]
    public async Task AnEmailTypeSwitchedOffAfterQueueingIsSkipped(DatabaseProvider provider)
    {
        StartSmtp();
        var bed = await DeliveryBed.CreateAsync(NewApp(provider));
        await bed.EnqueueAsync(bed.Request());
        await bed.SetPreferenceAsync(NotificationType.BillReminder, NotificationChannel.Email, enabled: false);

        await bed.DeliverAsync();

        var email = await bed.OutboxAsync(NotificationChannel.Email);
        Assert.Equal(OutboxStatus.Skipped, email.Status);
        Assert.Equal("switched off by the member", email.LastError);
        Assert.Equal(0, smtp!.ReceivedEmailCount);
    }

    [ProviderTheory]
    public async Task WhileTheMailServerIsDownEmailsWaitWithGrowingBackoffAndAreDeliveredExactlyOnceWhenItIsBack(DatabaseProvider provider)
    {
        var bed = await DeliveryBed.CreateAsync(NewApp(provider)); // nothing listens on the port yet
        var time = bed.App.Time;
        await bed.EnqueueAsync(bed.Request(subject: "bill:1"), bed.Request(subject: "bill:2", title: "Rent due in 3 days"));

        await bed.DeliverAsync();
        var start = time.GetUtcNow().UtcDateTime;
        var emails = (await bed.OutboxAsync()).Where(o => o.Channel == NotificationChannel.Email).ToList();
        Assert.All(emails, e => Assert.Equal((OutboxStatus.Pending, 1, start.AddMinutes(1)), (e.Status, e.Attempts, e.NextAttemptAt)));
        Assert.All(emails, e => Assert.False(string.IsNullOrEmpty(e.LastError)));
        Assert.All((await bed.OutboxAsync()).Where(o => o.Channel == NotificationChannel.InApp), o => Assert.Equal(OutboxStatus.Delivered, o.Status));

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await bed.DeliverAsync()); // not due yet
        time.Advance(TimeSpan.FromSeconds(30));
        await bed.DeliverAsync();
        emails = (await bed.OutboxAsync()).Where(o => o.Channel == NotificationChannel.Email).ToList();
        Assert.All(emails, e => Assert.Equal((OutboxStatus.Pending, 2, start.AddMinutes(1 + 2)), (e.Status, e.Attempts, e.NextAttemptAt)));
        time.Advance(TimeSpan.FromMinutes(2));
        await bed.DeliverAsync();
        emails = (await bed.OutboxAsync()).Where(o => o.Channel == NotificationChannel.Email).ToList();
        Assert.All(emails, e => Assert.Equal((OutboxStatus.Pending, 3, start.AddMinutes(1 + 2 + 4)), (e.Status, e.Attempts, e.NextAttemptAt)));

        StartSmtp();
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(2, await bed.DeliverAsync());
        time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(0, await bed.DeliverAsync());

        var received = await ReceivedAsync(2);
        Assert.Equal(2, received.Length);
        Assert.Equal(["Rent due in 3 days", "Water bill due in 3 days"], received.Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(emails.Select(e => NotificationEmailComposer.MessageIdFor(e.Key)).Order(StringComparer.Ordinal),
            received.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.All(await bed.OutboxAsync(), o => Assert.NotEqual(OutboxStatus.Pending, o.Status));
    }

    [ProviderTheory]
    public async Task AMailServerThatAcceptsButNeverAnswersIsAFailedAttemptWithinTheTimeoutAndTheEmailGoesOnceLater(DatabaseProvider provider)
    {
        // A server that takes the connection and then says nothing (no greeting): without a bound the pass waited on it
        // past the outbox lease, and another pass or instance could send the same email meanwhile.
        using var silent = new TcpListener(IPAddress.Loopback, port);
        silent.Start();
        var held = new System.Collections.Concurrent.ConcurrentQueue<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Enqueue(await silent.AcceptTcpClientAsync());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // stopped
            }
        });
        var bed = await DeliveryBed.CreateAsync(NewApp(provider).With("Smtp:TimeoutSeconds", "1"));
        await bed.EnqueueAsync(bed.Request());

        var passTime = Stopwatch.StartNew();
        await bed.DeliverAsync();
        passTime.Stop();
        var email = await bed.OutboxAsync(NotificationChannel.Email);
        Assert.Equal((OutboxStatus.Pending, 1), (email.Status, email.Attempts));
        Assert.Contains("did not finish within 1 s", email.LastError, StringComparison.Ordinal);
        Assert.True(passTime.Elapsed < TimeSpan.FromSeconds(30), $"The pass took {passTime.Elapsed.TotalSeconds:0.0} s.");
        Assert.NotEmpty(held);

        silent.Stop();
        await accepting;
        foreach (var connection in held)
        {
            connection.Dispose();
        }

        StartSmtp();
        bed.App.Time.Advance(TimeSpan.FromMinutes(1));
        await bed.DeliverAsync();
        Assert.Equal(OutboxStatus.Delivered, (await bed.OutboxAsync(NotificationChannel.Email)).Status);
        Assert.Single(await ReceivedAsync(1));
    }

    [ProviderTheory]
    public async Task AfterTooManyFailuresAnEmailIsFailedAndNoLongerRetried(DatabaseProvider provider)
    {
        var bed = await DeliveryBed.CreateAsync(NewApp(provider));
        await bed.EnqueueAsync(bed.Request());

        for (var attempt = 1; attempt <= DeliveryPolicy.MaxAttempts; attempt++)
        {
            await bed.DeliverAsync();
            bed.App.Time.Advance(DeliveryPolicy.MaxBackoff);
        }

        var email = await bed.OutboxAsync(NotificationChannel.Email);
        Assert.Equal((OutboxStatus.Failed, DeliveryPolicy.MaxAttempts), (email.Status, email.Attempts));
        StartSmtp();
        bed.App.Time.Advance(TimeSpan.FromDays(1));
        await bed.DeliverAsync();
        Assert.Equal(OutboxStatus.Failed, (await bed.OutboxAsync(NotificationChannel.Email)).Status);
        Assert.Equal(0, smtp!.ReceivedEmailCount);
    }

    [ProviderTheory]
    public async Task AReminderQueuedBeforeARestartIsDeliveredOnceByTheNextInstance(DatabaseProvider provider)
    {
        StartSmtp();
        // The next instance runs on the same data: the same data folder and, on PostgreSQL, the same database.
        var dataDirectory = Path.Combine(Path.GetTempPath(), "et-tests", Guid.NewGuid().ToString("N"));
        if (provider == DatabaseProvider.Postgres)
        {
            sharedDatabase = await PostgresServer.CreateDatabaseAsync();
        }

        TestApp Instance() => Configure(sharedDatabase is null ? new TestApp() : TestApp.OnPostgresDatabase(PostgresServer.ConnectionStringFor(sharedDatabase)))
            .With("Storage:DataDirectory", dataDirectory);

        var first = Instance();
        var bed = await DeliveryBed.CreateAsync(first);
        await bed.EnqueueAsync(bed.Request(dueAt: first.Time.GetUtcNow().UtcDateTime.AddHours(1)));
        Assert.Equal(0, await bed.DeliverAsync()); // not due yet
        await first.DisposeAsync();
        apps.Remove(first);

        var second = Instance();
        second.Time.Advance(TimeSpan.FromHours(2));
        var after = bed.On(second);

        Assert.Equal(3, await after.DeliverAsync());
        Assert.Equal(0, await after.DeliverAsync());
        second.Time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(0, await after.DeliverAsync());
        var mail = Assert.Single(await ReceivedAsync(1));
        Assert.Equal(NotificationEmailComposer.MessageIdFor((await after.OutboxAsync(NotificationChannel.Email)).Key), mail.MessageId);
        Assert.Single(await after.NotificationsAsync());
        Directory.Delete(dataDirectory, recursive: true);
    }

    [ProviderTheory]
    public async Task QuietHoursHoldEmailUntilTheyEndButNotTheInAppNotification(DatabaseProvider provider)
    {
        StartSmtp();
        var bed = await DeliveryBed.CreateAsync(NewApp(provider));
        // 10:00 UTC is 11:00 in Berlin, inside 09:00–12:00; the quiet hours end at 12:00 Berlin = 11:00 UTC.
        await bed.SaveAsync(new MemberNotificationSettings
        {
            MemberId = bed.MemberId, TimeZoneId = "Europe/Berlin", QuietHoursStart = new TimeOnly(9, 0), QuietHoursEnd = new TimeOnly(12, 0),
        });
        var changed = new TaskCompletionSource<HouseholdChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = bed.App.Services.GetRequiredService<HouseholdChangeNotifier>()
            .Subscribe(bed.HouseholdId, change =>
            {
                if (change.Kind.HasFlag(HouseholdChangeKind.Notifications))
                {
                    changed.TrySetResult(change);
                }

                return Task.CompletedTask;
            });
        await bed.EnqueueAsync(bed.Request());

        await bed.DeliverAsync();

        var notification = Assert.Single(await bed.NotificationsAsync());
        Assert.Equal(("bill-due-soon:bill:1:2026-11-18:m" + bed.MemberId, "Water bill due in 3 days", "bills?bill=1"), (notification.Key, notification.Title, notification.Link));
        Assert.Equal(bed.HouseholdId, (await changed.Task.WaitAsync(TimeSpan.FromSeconds(30))).HouseholdId);
        var email = await bed.OutboxAsync(NotificationChannel.Email);
        Assert.Equal((OutboxStatus.Pending, 0, new DateTime(2026, 11, 15, 11, 0, 0)), (email.Status, email.Attempts, email.NextAttemptAt));
        Assert.Equal(0, smtp!.ReceivedEmailCount);

        bed.App.Time.Advance(TimeSpan.FromMinutes(59));
        await bed.DeliverAsync();
        Assert.Equal(OutboxStatus.Pending, (await bed.OutboxAsync(NotificationChannel.Email)).Status);
        bed.App.Time.Advance(TimeSpan.FromMinutes(1));
        await bed.DeliverAsync();
        Assert.Equal(OutboxStatus.Delivered, (await bed.OutboxAsync(NotificationChannel.Email)).Status);
        Assert.Single(await ReceivedAsync(1));
    }

    private TestApp NewApp(DatabaseProvider provider) => Configure(new TestApp(provider));

    private TestApp Configure(TestApp app)
    {
        app.With("Smtp:Host", "127.0.0.1")
            .With("Smtp:Port", port.ToString(CultureInfo.InvariantCulture))
            .With("Smtp:Security", "None");
        apps.Add(app);
        return app;
    }

    private void StartSmtp() =>
        smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(port).Build();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<MimeMessage[]> ReceivedAsync(int count)
    {
        var waited = Stopwatch.StartNew();
        while (smtp!.ReceivedEmailCount < count && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        return smtp.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m.Data)))).ToArray();
    }

    private static string UnsubscribeLink(MimeMessage mail) => UnsubscribeLine().Match(mail.TextBody ?? string.Empty).Groups[1].Value.Trim();

    [GeneratedRegex("^Unsubscribe: (\\S+)", RegexOptions.Multiline)]
    private static partial Regex UnsubscribeLine();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
