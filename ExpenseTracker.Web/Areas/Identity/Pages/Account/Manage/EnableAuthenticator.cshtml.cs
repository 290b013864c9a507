using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace ExpenseTracker.Web.Areas.Identity.Pages.Account.Manage;

/// <summary>Sets up an authenticator app; the QR code is drawn as inline SVG on the server (no script, no CDN).</summary>
[Authorize]
public sealed class EnableAuthenticatorModel(
    UserManager<AppUser> users, UrlEncoder urlEncoder, ILogger<EnableAuthenticatorModel> logger) : PageModel
{
    private const string Issuer = "ExpenseTracker";

    public string SharedKey { get; private set; } = string.Empty;

    public string AuthenticatorUri { get; private set; } = string.Empty;

    /// <summary>The QR code of <see cref="AuthenticatorUri"/> as an SVG document.</summary>
    public string QrCodeSvg { get; private set; } = string.Empty;

    [TempData]
    public string[]? RecoveryCodes { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter the 6-digit code from your app.")]
        [StringLength(7, MinimumLength = 6, ErrorMessage = "The code has 6 digits.")]
        [DataType(DataType.Text)]
        [Display(Name = "Verification code")]
        public string Code { get; set; } = string.Empty;
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }

        await LoadSharedKeyAndQrCodeAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            await LoadSharedKeyAndQrCodeAsync(user);
            return Page();
        }

        var code = Input.Code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError("Input.Code", "That code is not right. Check the time on your phone and enter the current code.");
            await LoadSharedKeyAndQrCodeAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        logger.LogInformation("{UserId} enabled two-factor sign-in with an authenticator app", user.Id);
        StatusMessage = "Your authenticator app has been verified.";
        if (await users.CountRecoveryCodesAsync(user) == 0)
        {
            RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? []).ToArray();
            return RedirectToPage("./ShowRecoveryCodes");
        }

        return RedirectToPage("./TwoFactorAuthentication");
    }

    private async Task LoadSharedKeyAndQrCodeAsync(AppUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? string.Empty;
        }

        SharedKey = FormatKey(key);
        AuthenticatorUri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{urlEncoder.Encode(Issuer)}:{urlEncoder.Encode(user.Email ?? user.UserName ?? string.Empty)}?secret={key}&issuer={urlEncoder.Encode(Issuer)}&digits=6");
        QrCodeSvg = RenderQrCode(AuthenticatorUri);
    }

    public static string RenderQrCode(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(5);
    }

    private static string FormatKey(string key)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return builder.ToString().ToLowerInvariant();
    }
}
