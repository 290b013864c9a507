using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExpenseTracker.Web.Pages;

/// <summary>
/// The page the default Identity UI sends people to with <c>RedirectToPage("/Index")</c> (after confirming an e-mail,
/// or when a confirmation link lacks its values). The app's home is a Blazor component, not a Razor Page, so without
/// this page those redirects fail with a server error; it forwards to the home page.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("~/");
}
