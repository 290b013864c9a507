using System.Diagnostics;
using System.Globalization;
using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Features.Settings;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using netDumbster.smtp;

namespace ExpenseTracker.Tests.Integration.Identity;

public sealed class EmailTests : IAsyncLifetime
{
    // In netDumbster 3.1, Build() starts the server.
    private readonly SimpleSmtpServer smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();

    private TestApp? app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        smtp.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [ProviderTheory]
    public async Task WithoutSmtpAPasswordResetEmailIsWrittenAsAnEmlFileInTheMailFolder(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        await app.CreateUserWithHouseholdAsync("ana@example.com");
        var forms = new AccountForms(app);

        var response = await forms.PostAsync("/Identity/Account/ForgotPassword", new Dictionary<string, string> { ["Input.Email"] = "ana@example.com" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var mail = Directory.GetFiles(Path.Combine(app.DataDirectory, "mail"), "*.eml");
        var eml = await File.ReadAllTextAsync(Assert.Single(mail));
        Assert.Contains("To: ana@example.com", eml);
        Assert.Contains("Subject: Reset your password", eml);
        Assert.Equal(0, smtp.ReceivedEmailCount);
    }

    [ProviderTheory]
    public async Task WithSmtpConfiguredThePasswordResetEmailReachesTheMailServer(DatabaseProvider provider)
    {
        app = WithSmtp(new TestApp(provider));
        await app.CreateUserWithHouseholdAsync("ana@example.com");
        var forms = new AccountForms(app);

        await forms.PostAsync("/Identity/Account/ForgotPassword", new Dictionary<string, string> { ["Input.Email"] = "ana@example.com" });

        var message = Assert.Single(await ReceivedAsync(1));
        Assert.Equal("ana@example.com", message.ToAddresses.Single().Address);
        Assert.Contains("Reset your password", message.Subject);
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "mail")) && Directory.EnumerateFiles(Path.Combine(app.DataDirectory, "mail")).Any());
    }

    [ProviderTheory]
    public async Task WithSmtpConfiguredANewcomerMustConfirmTheirEmailBeforeSigningIn(DatabaseProvider provider)
    {
        app = WithSmtp(new TestApp(provider));
        await AccountForms.CreateAdministratorAsync(app, "admin@example.com");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<InstanceSettingsService>().SetRegistrationEnabledAsync(true);
        }

        var forms = new AccountForms(app);
        var registered = await forms.RegisterAsync("ben@example.com");

        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.StartsWith("/Identity/Account/RegisterConfirmation", registered.Headers.Location?.OriginalString);
        var message = Assert.Single(await ReceivedAsync(1));
        Assert.Contains("Confirm your email", message.Subject);
        var signIn = await AccountForms.TextOf(await forms.SignInAsync("ben@example.com"));
        Assert.Contains("Please confirm your email address first", signIn);
    }

    private TestApp WithSmtp(TestApp testApp) => testApp
        .With("Smtp:Host", "127.0.0.1")
        .With("Smtp:Port", smtp.Configuration.Port.ToString(CultureInfo.InvariantCulture))
        .With("Smtp:Security", "None");

    private async Task<netDumbster.smtp.SmtpMessage[]> ReceivedAsync(int count)
    {
        var waited = Stopwatch.StartNew();
        while (smtp.ReceivedEmailCount < count && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        return smtp.ReceivedEmail;
    }
}
