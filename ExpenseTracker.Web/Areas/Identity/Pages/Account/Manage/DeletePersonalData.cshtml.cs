using System.ComponentModel.DataAnnotations;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExpenseTracker.Web.Areas.Identity.Pages.Account.Manage;

/// <summary>
/// Deletes the account without touching household history: the person stays on past expenses as a former member.
/// A household only this person owns is deleted with all its data, and only if they type its name.
/// </summary>
[Authorize]
public sealed class DeletePersonalDataModel(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    AccountDeletion deletion,
    ILogger<DeletePersonalDataModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool RequirePassword { get; private set; }

    public IReadOnlyList<SoleOwnedHousehold> SoleOwned { get; private set; } = [];

    public sealed class InputModel
    {
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string? Password { get; set; }

        /// <summary>The household names typed as confirmation, by household id.</summary>
        public Dictionary<long, string?> ConfirmHousehold { get; set; } = [];
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }

        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }

        await LoadAsync(user);
        if (RequirePassword && (string.IsNullOrEmpty(Input.Password) || !await users.CheckPasswordAsync(user, Input.Password)))
        {
            ModelState.AddModelError("Input.Password", "That password is not right.");
            return Page();
        }

        var result = await deletion.DeleteAsync(user, Input.ConfirmHousehold, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, result.Error ?? "Your account was not deleted.");
            return Page();
        }

        await signIn.SignOutAsync();
        logger.LogInformation("{UserId} deleted their account and {Count} household(s)", user.Id, result.DeletedHouseholds.Count);
        return Redirect("~/");
    }

    private async Task LoadAsync(AppUser user)
    {
        RequirePassword = await users.HasPasswordAsync(user);
        SoleOwned = await deletion.FindSoleOwnedHouseholdsAsync(user.Id, HttpContext.RequestAborted);
    }
}
