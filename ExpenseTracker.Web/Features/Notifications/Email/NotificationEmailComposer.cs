using System.Security.Cryptography;
using System.Text;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Notifications.Delivery;
using ExpenseTracker.Web.Features.Notifications.Unsubscribe;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MimeKit;

namespace ExpenseTracker.Web.Features.Notifications.Email;

/// <summary>Who an email goes to, beside the outbox message itself.</summary>
public sealed record EmailRecipient(long MemberId, string Address, string MemberName, string HouseholdName);

/// <summary>
/// Builds a notification email: HTML part from <see cref="NotificationEmail"/> (HtmlRenderer), a plain-text part, a link to
/// the thing notified, an unsubscribe link and RFC 8058 one-click headers, and a Message-ID derived from the outbox key.
/// </summary>
public sealed class NotificationEmailComposer(
    IServiceScopeFactory scopes, ILoggerFactory loggerFactory, NotificationLinks links, UnsubscribeTokens tokens)
{
    /// <summary>"&lt;hex(sha256(key))@expensetracker.local&gt;" without the brackets: the same key always gives the same id.</summary>
    public static string MessageIdFor(string outboxKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(outboxKey))) + "@expensetracker.local";

    public async Task<MimeMessage> ComposeAsync(OutboxMessage outbox, EmailRecipient recipient, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(recipient);
        var link = links.To(outbox.Link).AbsoluteUri;
        var unsubscribe = links.Unsubscribe(tokens.Create(recipient.MemberId, outbox.Type)).AbsoluteUri;
        var topic = UnsubscribeEndpoints.Describe(outbox.Type);
        var paragraphs = Paragraphs(outbox.Body);

        var html = await RenderHtmlAsync(new Dictionary<string, object?>
        {
            [nameof(NotificationEmail.Title)] = outbox.Title,
            [nameof(NotificationEmail.Paragraphs)] = paragraphs,
            [nameof(NotificationEmail.Link)] = link,
            [nameof(NotificationEmail.UnsubscribeUrl)] = unsubscribe,
            [nameof(NotificationEmail.TypeDescription)] = topic,
            [nameof(NotificationEmail.HouseholdName)] = recipient.HouseholdName,
            [nameof(NotificationEmail.MemberName)] = recipient.MemberName,
        });

        var text = new StringBuilder()
            .AppendLine(outbox.Title)
            .AppendLine()
            .AppendJoin(Environment.NewLine + Environment.NewLine, paragraphs)
            .AppendLine().AppendLine()
            .Append("Open in ExpenseTracker: ").AppendLine(link)
            .AppendLine()
            .AppendLine("-- ")
            .Append("You get this email because ").Append(topic).Append(" are switched on for ").Append(recipient.MemberName).AppendLine(".")
            .Append("Unsubscribe: ").AppendLine(unsubscribe)
            .ToString();

        var message = new MimeMessage
        {
            Subject = outbox.Title,
            Date = now,
            MessageId = MessageIdFor(outbox.Key),
            Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody(),
        };
        message.To.Add(new MailboxAddress(recipient.MemberName, recipient.Address));
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }

    private static string[] Paragraphs(string body) =>
        body.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<string> RenderHtmlAsync(Dictionary<string, object?> parameters)
    {
        // HtmlRenderer resolves scoped services (NavigationManager, …): give it a scope of its own, as a request would.
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<NotificationEmail>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }
}
