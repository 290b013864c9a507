using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExpenseTracker.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Sign-out by POST (antiforgery-checked), from this page or from the Blazor layout's form. The layout may send a
/// base-relative returnUrl such as "expenses"; anything not local goes to the start page.
/// </summary>
[AllowAnonymous]
public sealed class LogoutModel(SignInManager<AppUser> signIn, ILogger<LogoutModel> logger) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        await signIn.SignOutAsync();
        logger.LogInformation("User signed out");
        return LocalRedirect(LocalTarget(returnUrl));
    }

    private string LocalTarget(string? returnUrl)
    {
        if (string.IsNullOrWhiteSpace(returnUrl))
        {
            return Url.Content("~/");
        }

        if (Url.IsLocalUrl(returnUrl))
        {
            return returnUrl;
        }

        var relative = "~/" + returnUrl.TrimStart('/');
        return !returnUrl.Contains(':', StringComparison.Ordinal) && !returnUrl.StartsWith('\\') && Url.IsLocalUrl(relative)
            ? relative
            : Url.Content("~/");
    }
}
