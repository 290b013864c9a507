using System.Security.Cryptography;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>
/// Response headers for every answer: a Content-Security-Policy the app works under, nosniff, a referrer policy and no
/// framing. What the policy allows, and why:
/// <list type="bullet">
/// <item><c>script-src 'self' 'nonce-…'</c>: Blazor, MudBlazor and our scripts are files; the one inline script, Blazor's
/// import map (and the registration page's small script), carries the per-request nonce (<see cref="NonceFor"/>).</item>
/// <item><c>style-src 'self' 'unsafe-inline'</c>: MudBlazor writes its theme as an inline &lt;style&gt; and positions
/// popovers, charts and progress bars with style attributes; styles cannot run code.</item>
/// <item><c>connect-src 'self'</c>: the Blazor circuit's WebSocket and the push subscription go to this origin only.</item>
/// <item><c>img-src 'self' data: blob:</c>: the two-factor QR code is a data: URL; previews of chosen files are blob: URLs.</item>
/// <item><c>worker-src 'self'</c>: the Web Push service worker.</item>
/// </list>
/// The API reference page (<c>/scalar</c>) is a third-party page with its own inline bootstrap script and gets a policy of
/// its own; it shows only the public API description.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceItem = "et.csp-nonce";

    /// <summary>The request's CSP nonce, for an inline &lt;script nonce="…"&gt; the page really needs.</summary>
    public static string NonceFor(HttpContext http)
    {
        if (http.Items[NonceItem] is string nonce)
        {
            return nonce;
        }

        // Hex: nothing for HTML attribute encoding to change.
        nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        http.Items[NonceItem] = nonce;
        return nonce;
    }

    public static string PolicyFor(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase))
        {
            return "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
        }

        return $"default-src 'self'; script-src 'self' 'nonce-{NonceFor(http)}'; style-src 'self' 'unsafe-inline'; " +
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; " +
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = PolicyFor(http);
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "geolocation=(), microphone=(), payment=(), usb=()";
        return next(http);
    });
}
