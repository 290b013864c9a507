using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Features.Admin;
using ExpenseTracker.Web.Features.Settings;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using netDumbster.smtp;

namespace ExpenseTracker.Tests.Integration.Admin;

public sealed class AdminSystemTests : IAsyncLifetime
{
    private readonly SimpleSmtpServer smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
    private TestApp app = null!;
    private Family family = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        smtp.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>This test's app on <paramref name="provider"/>, configured (With) before its first request.</summary>
    private TestApp Start(DatabaseProvider provider) => app = new TestApp(provider);

    private async Task<T> AsAnaAsync<T>(Func<AdminSystemService, string, Task<T>> action)
    {
        family ??= await AdminFixture.CreateAsync(app);
        await using var scope = family.As("Ana");
        return await action(scope.ServiceProvider.GetRequiredService<AdminSystemService>(), family.People["Ana"].UserId);
    }

    [ProviderTheory]
    public async Task TheSmtpTestReachesTheMailServerAddressedToTheAdministrator(DatabaseProvider provider)
    {
        Start(provider).With("Smtp:Host", "127.0.0.1").With("Smtp:Port", smtp.Configuration.Port.ToString(CultureInfo.InvariantCulture)).With("Smtp:Security", "None");

        var result = await AsAnaAsync((s, ana) => s.SendTestEmailAsync(ana));

        Assert.True(result.Succeeded, result.Message);
        Assert.Contains("accepted by the mail server 127.0.0.1:", result.Message, StringComparison.Ordinal);
        // The family's invitations went through the same server before.
        var waited = Stopwatch.StartNew();
        while (!smtp.ReceivedEmail.Any(m => m.Subject == "ExpenseTracker test email") && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        var message = Assert.Single(smtp.ReceivedEmail, m => m.Subject == "ExpenseTracker test email");
        Assert.Equal("ana@example.com", message.ToAddresses.Single().Address);
        Assert.Equal("ExpenseTracker test email", message.Subject);
    }

    [ProviderTheory]
    public async Task AClosedPortGivesAPlainErrorMessage(DatabaseProvider provider)
    {
        Start(provider);

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        app.With("Smtp:Host", "127.0.0.1").With("Smtp:Port", port.ToString(CultureInfo.InvariantCulture)).With("Smtp:Security", "None");

        var result = await AsAnaAsync((s, ana) => s.SendTestEmailAsync(ana));

        Assert.False(result.Succeeded);
        Assert.StartsWith($"Could not connect to the mail server 127.0.0.1:{port}:", result.Message, StringComparison.Ordinal);
        Assert.Contains("Check Smtp:Host and Smtp:Port", result.Message, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task WithoutAMailServerTheTestEmailIsWrittenToTheMailFolder(DatabaseProvider provider)
    {
        Start(provider);
        var result = await AsAnaAsync((s, ana) => s.SendTestEmailAsync(ana));

        Assert.True(result.Succeeded);
        Assert.Contains("written as an .eml file", result.Message, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(app.DataDirectory, "mail"), "*.eml"));
    }

    [ProviderTheory]
    public async Task DiskUseCountsTheFilesOfEachPartOfTheDataFolder(DatabaseProvider provider)
    {
        Start(provider);
        family = await AdminFixture.CreateAsync(app);
        WriteFile("backups/expensetracker-1.db", 3000);
        WriteFile("backups/weekly/expensetracker-2.db", 1500);
        WriteFile("attachments/1/receipt.jpg", 70_000);
        WriteFile("mail/one.eml", 512);

        var disk = await AsAnaAsync((s, ana) => s.GetDiskUseAsync(ana));

        DiskUseItem Part(string name) => Assert.Single(disk.Items, i => i.Name == name);
        Assert.Equal((4500L, 2), (Part("Backups").Bytes, Part("Backups").Files));
        Assert.Equal((70_000L, 1), (Part("Attachments").Bytes, Part("Attachments").Files));
        Assert.Equal((512L, 1), (Part("Mail drop").Bytes, Part("Mail drop").Files));
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.Equal(new FileInfo(Path.Combine(app.DataDirectory, "expensetracker.db")).Length, Part("Database").Bytes);
        }
        else
        {
            // PostgreSQL's database is measured by the server, not as files in the data folder.
            Assert.Equal("PostgreSQL database " + new Npgsql.NpgsqlConnectionStringBuilder(app.PostgresConnectionString).Database, Part("Database").Path);
            Assert.DoesNotContain(disk.Items, i => i.Name.StartsWith("Database ", StringComparison.Ordinal) || i.Name == "Scheduler database");
        }

        Assert.True(Part("Database").Bytes > 0);
        Assert.Equal(disk.Items.Sum(i => i.Bytes), disk.TotalBytes);
        Assert.True(disk.FreeBytes > 0);
    }

    [ProviderTheory]
    public async Task WithTheSchedulerOffTheJobsSectionSaysSo(DatabaseProvider provider)
    {
        Start(provider);
        var jobs = await AsAnaAsync((s, ana) => s.GetJobsAsync(ana));

        Assert.False(jobs.Enabled);
        Assert.Empty(jobs.Jobs);
    }

    [ProviderTheory]
    public async Task WithTheSchedulerOnEveryJobIsListedWithItsNextRun(DatabaseProvider provider)
    {
        Start(provider).With("Jobs:Enabled", "true");

        var jobs = await AsAnaAsync((s, ana) => s.GetJobsAsync(ana));

        Assert.True(jobs.Enabled);
        Assert.NotEmpty(jobs.Jobs);
        Assert.All(jobs.Jobs, j => Assert.NotNull(j.NextFireUtc));
    }

    [ProviderTheory]
    public async Task TheRegistrationSwitchIsRecordedInTheAuditLog(DatabaseProvider provider)
    {
        Start(provider);
        await AsAnaAsync(async (s, ana) =>
        {
            await s.SetRegistrationEnabledAsync(ana, true);
            return true;
        });

        await using var scope = app.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<InstanceSettingsService>().IsRegistrationEnabledAsync());
        var row = Assert.Single(await AdminFixture.AuditRowsAsync(app, SecurityEvents.RegistrationSet));
        Assert.Equal("{\"enabled\":true}", row.AfterJson);
    }

    private void WriteFile(string relative, int bytes)
    {
        var path = Path.Combine(app.DataDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
    }
}
