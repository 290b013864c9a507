using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ExpenseTracker.Web.Infrastructure.Email;

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
    Auto,
}

/// <summary>Configuration section <c>Smtp</c>. The password comes from <c>Smtp__Password</c> or user-secrets, never appsettings.json.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "ExpenseTracker <expenses@localhost>";

    /// <summary>
    /// The longest one whole SMTP conversation (connect, sign in, send, quit) may take before it counts as failed and is
    /// retried later. It stays well inside the outbox lease (5 minutes), so a slow server never has a message sent twice
    /// at once by a second pass or instance that thought the first had died.
    /// </summary>
    public int TimeoutSeconds { get; set; } = 60;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public static bool IsConfiguredIn(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:{nameof(Host)}"]);
}

/// <summary>
/// The one way the app sends mail: over SMTP with MailKit, or, with no <c>Smtp:Host</c>, into <c>mail/</c> in the
/// data folder as .eml files (open them with any mail client) so a box without mail still works.
/// </summary>
public sealed class SmtpEmailSender(
    IOptions<SmtpOptions> options, StorageOptions storage, TimeProvider time, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        var settings = options.Value;
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email));
        message.Subject = subject;
        message.Date = time.GetUtcNow();
        message.Body = new BodyBuilder { HtmlBody = htmlMessage }.ToMessageBody();

        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            var path = await WriteToMailDirectoryAsync(message);
            logger.LogInformation("No Smtp:Host configured: wrote the email \"{Subject}\" to {Recipient} as {Path}", subject, email, path);
            return;
        }

        await SendOverSmtpAsync(settings, message, CancellationToken.None);
        logger.LogInformation("Sent the email \"{Subject}\" to {Recipient} via {Host}", subject, email, settings.Host);
    }

    /// <summary>
    /// Sends a message prepared by the caller (its own headers, Message-ID and parts) the same way: SMTP when configured,
    /// else an .eml file in the data folder. Throws when the SMTP server cannot be reached or refuses the message.
    /// </summary>
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        if (message.From.Count == 0)
        {
            message.From.Add(MailboxAddress.Parse(settings.From));
        }

        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            var path = await WriteToMailDirectoryAsync(message, cancellationToken);
            logger.LogInformation("No Smtp:Host configured: wrote the email \"{Subject}\" as {Path}", message.Subject, path);
            return;
        }

        await SendOverSmtpAsync(settings, message, cancellationToken);
    }

    /// <summary>The whole conversation within <see cref="SmtpOptions.TimeoutSeconds"/>; past it, a TimeoutException. Callers checked the host.</summary>
    private static async Task SendOverSmtpAsync(SmtpOptions settings, MimeMessage message, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(Math.Clamp(settings.TimeoutSeconds, 1, 240));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        using var client = new SmtpClient { Timeout = (int)limit.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, ToMailKit(settings.Security), deadline.Token);
            if (!string.IsNullOrEmpty(settings.User))
            {
                await client.AuthenticateAsync(settings.User, settings.Password ?? string.Empty, deadline.Token);
            }

            await client.SendAsync(message, deadline.Token);
            await client.DisconnectAsync(quit: true, deadline.Token);
        }
        catch (Exception e) when (e is TimeoutException
            || (e is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            // MailKit's own per-operation timeout or the whole conversation's deadline, whichever came first.
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"The mail server {settings.Host}:{settings.Port} did not finish within {limit.TotalSeconds:0} s (Smtp:TimeoutSeconds)."), e);
        }
    }

    private async Task<string> WriteToMailDirectoryAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(storage.MailDirectory);
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        var path = Path.Combine(storage.MailDirectory, $"{stamp}-{Guid.NewGuid().ToString("N")[..8]}.eml");
        await message.WriteToAsync(path, cancellationToken);
        return path;
    }

    private static SecureSocketOptions ToMailKit(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
