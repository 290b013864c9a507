using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Identity;
using ExpenseTracker.Web.Features.Settings;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExpenseTracker.Web.Areas.Identity.Pages.Account;

/// <summary>Sign-in with lockout on failure: after 5 wrong passwords the account is locked for 5 minutes.</summary>
[AllowAnonymous]
public sealed class LoginModel(
    SignInManager<AppUser> signIn,
    UserManager<AppUser> users,
    FirstRunSetup setup,
    InstanceSettingsService settings,
    ILogger<LoginModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? ReturnUrl { get; set; }

    /// <summary>Shown instead of the generic error when the account is locked.</summary>
    public string? LockoutMessage { get; private set; }

    /// <summary>No administrator yet: point the newcomer at registration with the setup code.</summary>
    public bool FirstRun { get; private set; }

    public bool RegistrationOpen { get; private set; }

    [TempData]
    public string? ErrorMessage { get; set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter your password.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = string.Empty;

        [Display(Name = "Keep me signed in on this device")]
        public bool RememberMe { get; set; }
    }

    public async Task OnGetAsync(string? returnUrl = null)
    {
        if (!string.IsNullOrEmpty(ErrorMessage))
        {
            ModelState.AddModelError(string.Empty, ErrorMessage);
        }

        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        ReturnUrl = returnUrl;
        await LoadStateAsync();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = returnUrl;
        returnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl : Url.Content("~/");
        await LoadStateAsync();
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Input.Email.Trim();
        var result = await signIn.PasswordSignInAsync(email, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            logger.LogInformation("{Email} signed in", email);
            return LocalRedirect(returnUrl);
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("./LoginWith2fa", new { ReturnUrl = returnUrl, Input.RememberMe });
        }

        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused: {Email} is locked out", email);
            LockoutMessage = await DescribeLockoutAsync(email);
            return Page();
        }

        if (result.IsNotAllowed)
        {
            ModelState.AddModelError(string.Empty, "Please confirm your email address first: follow the link in the email we sent you.");
            return Page();
        }

        ModelState.AddModelError(string.Empty, "That email and password do not match an account.");
        return Page();
    }

    private async Task<string> DescribeLockoutAsync(string email)
    {
        var user = await users.FindByEmailAsync(email);
        var end = user is null ? null : await users.GetLockoutEndDateAsync(user);
        var minutes = (int)users.Options.Lockout.DefaultLockoutTimeSpan.TotalMinutes;
        // Identity stamps lockouts with the system clock; show the end it stored rather than recomputing it.
        return end is { } until
            ? string.Create(CultureInfo.InvariantCulture,
                $"This account is locked for {minutes} minutes after too many failed sign-in attempts. Try again after {until.UtcDateTime:HH:mm} UTC, or reset your password.")
            : string.Create(CultureInfo.InvariantCulture,
                $"This account is locked after too many failed sign-in attempts. Try again in {minutes} minutes, or reset your password.");
    }

    private async Task LoadStateAsync()
    {
        FirstRun = !await setup.AdministratorExistsAsync(HttpContext.RequestAborted);
        RegistrationOpen = FirstRun || await settings.IsRegistrationEnabledAsync(HttpContext.RequestAborted);
    }
}
