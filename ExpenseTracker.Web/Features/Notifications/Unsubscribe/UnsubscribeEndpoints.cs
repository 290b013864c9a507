using System.Text.Encodings.Web;
using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Notifications.Unsubscribe;

/// <summary>
/// GET /notifications/unsubscribe?token=… shows what the link switches off and a button; POST does it. No sign-in: the
/// signed token is the authority. The POST also serves RFC 8058 one-click unsubscribe (mail clients post
/// "List-Unsubscribe=One-Click" to the List-Unsubscribe URL), so it takes no antiforgery token.
/// </summary>
public static class UnsubscribeEndpoints
{
    public const string Path = "/notifications/unsubscribe";

    public static IEndpointRouteBuilder MapNotificationUnsubscribe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).AllowAnonymous();
        group.MapGet("/", ShowAsync);
        group.MapPost("/", UnsubscribeAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<ContentHttpResult> ShowAsync(string? token, UnsubscribeTokens tokens, UnsubscribeService service, CancellationToken cancellationToken)
    {
        var request = tokens.Read(token);
        var who = request is null ? null : await service.DescribeAsync(request, cancellationToken);
        if (request is null || who is null)
        {
            return Page("Link not valid", "<p>This unsubscribe link is not valid (or the member no longer exists). You can change which emails you get in the app under Settings → Notifications.</p>", StatusCodes.Status400BadRequest);
        }

        var html = HtmlEncoder.Default;
        return Page("Unsubscribe",
            $"""
             <p>Stop emailing <strong>{html.Encode(who)}</strong> about <strong>{html.Encode(Describe(request.Type))}</strong>?</p>
             <p>Other notifications and the in-app bell stay as they are. You can switch it back on under Settings → Notifications.</p>
             <form method="post" action="{Path}?token={html.Encode(Uri.EscapeDataString(token!))}">
               <button type="submit">Unsubscribe</button>
             </form>
             """);
    }

    private static async Task<ContentHttpResult> UnsubscribeAsync(string? token, UnsubscribeTokens tokens, UnsubscribeService service, CancellationToken cancellationToken)
    {
        var request = tokens.Read(token);
        if (request is null || !await service.SwitchOffAsync(request, cancellationToken))
        {
            return Page("Link not valid", "<p>This unsubscribe link is not valid (or the member no longer exists).</p>", StatusCodes.Status400BadRequest);
        }

        return Page("Unsubscribed", $"<p>Done: no more emails about {HtmlEncoder.Default.Encode(Describe(request.Type))}.</p>");
    }

    public static string Describe(NotificationType type) => type switch
    {
        NotificationType.BillReminder => "bill reminders",
        NotificationType.BudgetAlert => "budget alerts",
        NotificationType.UnusualSpending => "unusual spending",
        NotificationType.Summary => "the spending summary",
        NotificationType.BankSync => "bank sync problems",
        _ => "notifications",
    };

    private static ContentHttpResult Page(string title, string body, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(
            $$"""
             <!DOCTYPE html>
             <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
             <title>{{title}} · ExpenseTracker</title>
             <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1f}
             button{font:inherit;padding:.5rem 1.25rem;border-radius:.375rem;border:0;background:#1b5e9e;color:#fff;cursor:pointer}</style>
             </head><body><h1>{{title}}</h1>{{body}}</body></html>
             """,
            "text/html; charset=utf-8", statusCode: status);
}

/// <summary>Reads and writes the member's email choice for an unsubscribe link, outside any household scope.</summary>
public sealed class UnsubscribeService(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>The member's name when they exist and have not left; else null.</summary>
    public async Task<string?> DescribeAsync(UnsubscribeRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.Id == request.MemberId && m.LeftAt == null)
            .Select(m => m.DisplayName)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Sets the member's (type, Email) preference off; false when the member is gone.</summary>
    public async Task<bool> SwitchOffAsync(UnsubscribeRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var householdId = await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.Id == request.MemberId && m.LeftAt == null)
            .Select(m => (long?)m.HouseholdId)
            .FirstOrDefaultAsync(cancellationToken);
        if (householdId is null)
        {
            return false;
        }

        // The request has no household scope, so the write goes around the scoped save check, limited to this member.
        // The boolean is a parameter: SQLite stores 0, PostgreSQL's boolean column refuses an integer literal.
        await db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO "NotificationPreferences" ("HouseholdId", "MemberId", "Type", "Channel", "Enabled")
             VALUES ({householdId}, {request.MemberId}, {(int)request.Type}, {(int)NotificationChannel.Email}, {false})
             ON CONFLICT ("MemberId", "Type", "Channel") DO UPDATE SET "Enabled" = excluded."Enabled"
             """,
            cancellationToken);
        return true;
    }
}
