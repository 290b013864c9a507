using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using ExpenseTracker.Web.Features.Households;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExpenseTracker.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Where an invitation link lands (<c>/invite/{token}</c>). A newcomer goes on to register with it; someone
/// signed in joins with one click (a POST, so a link preview or prefetch never spends the invitation) and the
/// household becomes their current one.
/// </summary>
[AllowAnonymous]
public sealed class AcceptInvitationModel(InvitationService invitations) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public InvitationPreview Invitation { get; private set; } = null!;

    public string? SignedInAs { get; private set; }

    [BindProperty]
    [StringLength(60)]
    [Display(Name = "Your name in this household")]
    public string? DisplayName { get; set; }

    public async Task OnGetAsync()
    {
        Invitation = await invitations.PreviewAsync(Token, HttpContext.RequestAborted);
        SignedInAs = User.Identity?.IsAuthenticated == true ? User.Identity.Name : null;
        if (!Invitation.IsValid)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return Challenge();
        }

        try
        {
            await invitations.AcceptAsync(Token, userId, DisplayName, HttpContext.RequestAborted);
        }
        catch (InvitationException ex)
        {
            await OnGetAsync();
            ModelState.AddModelError(string.Empty, ex.Message);
            return Page();
        }

        // A full page load: the app starts a new circuit in the household just joined.
        return LocalRedirect("~/");
    }
}
