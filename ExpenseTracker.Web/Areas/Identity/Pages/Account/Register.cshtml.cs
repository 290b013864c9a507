using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Encodings.Web;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Identity;
using ExpenseTracker.Web.Features.Settings;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace ExpenseTracker.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Registration creates the person and their own household. Until an administrator exists it needs the first-run
/// setup code and makes that administrator; afterwards it is open only while the instance switch is on.
/// With a valid invitation (<c>?invite=TOKEN</c>) it is always open: the person joins the inviting household with
/// the invited role instead of getting their own. The invitation's email is prefilled, but any address is accepted:
/// the link itself is the proof of invitation, and people often prefer another address than the one the owner knew.
/// </summary>
[AllowAnonymous]
public sealed class RegisterModel(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    HouseholdProvisioning provisioning,
    FirstRunSetup setup,
    InstanceSettingsService settings,
    InvitationService invitations,
    IEmailSender email,
    TimeProvider time,
    ILogger<RegisterModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? ReturnUrl { get; set; }

    /// <summary>No administrator yet: this registration creates it and needs the setup code.</summary>
    public bool FirstRun { get; private set; }

    /// <summary>An administrator exists and public registration is switched off.</summary>
    public bool Closed { get; private set; }

    /// <summary>The invitation token from the link, carried through the form.</summary>
    [BindProperty(SupportsGet = true, Name = "invite")]
    public string? Invite { get; set; }

    /// <summary>What the invitation link leads to; null without one.</summary>
    public InvitationPreview? Invitation { get; private set; }

    public bool Joining => Invitation is { IsValid: true };

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(256)]
        [Display(Name = "Email")]
        public string Email { get; set; } = string.Empty;

        [Required(ErrorMessage = "Choose a password.")]
        [StringLength(200, MinimumLength = 10, ErrorMessage = "Use at least {2} characters.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = string.Empty;

        [Required(ErrorMessage = "Type the password again.")]
        [DataType(DataType.Password)]
        [Display(Name = "Confirm password")]
        [Compare(nameof(Password), ErrorMessage = "The two passwords do not match.")]
        public string ConfirmPassword { get; set; } = string.Empty;

        [Required(ErrorMessage = "Tell us what to call you.")]
        [StringLength(60)]
        [Display(Name = "Your name")]
        public string DisplayName { get; set; } = string.Empty;

        [Required(ErrorMessage = "Give your household a name.")]
        [StringLength(100)]
        [Display(Name = "Household name")]
        public string HouseholdName { get; set; } = string.Empty;

        [Required]
        [Display(Name = "Currency")]
        public string Currency { get; set; } = "EUR";

        [Required]
        [Display(Name = "Number and date format")]
        public string Culture { get; set; } = HouseholdCultures.Default;

        /// <summary>Filled by a script from the browser (Intl); UTC when scripts are off.</summary>
        [StringLength(64)]
        public string? TimeZone { get; set; }

        [Display(Name = "Setup code")]
        [StringLength(40)]
        public string? SetupCode { get; set; }
    }

    public async Task OnGetAsync(string? returnUrl = null)
    {
        ReturnUrl = returnUrl;
        await LoadStateAsync();
        Input.Culture = HouseholdCultures.FromAcceptLanguage(Request.Headers.AcceptLanguage.ToString());
        Input.Currency = HouseholdCultures.DefaultCurrency(Input.Culture);
        if (Joining)
        {
            Input.Email = Invitation!.Email ?? string.Empty;
        }
        else if (Invitation is not null)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
        }
        else if (Closed)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = returnUrl;
        returnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl : Url.Content("~/");
        await LoadStateAsync();
        if (Invitation is not null)
        {
            return await JoinAsync(returnUrl);
        }

        if (Closed)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        if (!Currencies.IsKnown(Input.Currency))
        {
            ModelState.AddModelError("Input.Currency", "Choose a currency from the list.");
        }

        if (!HouseholdCultures.IsSupported(Input.Culture))
        {
            ModelState.AddModelError("Input.Culture", "Choose a format from the list.");
        }

        if (FirstRun && string.IsNullOrWhiteSpace(Input.SetupCode))
        {
            ModelState.AddModelError("Input.SetupCode", "Enter the setup code shown on the server's console.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!FirstRun)
        {
            return await CreateAsync(administrator: false, returnUrl);
        }

        // Only one person can become the first administrator, even if two submit the right code at once.
        await setup.FirstAdministratorGate.WaitAsync(HttpContext.RequestAborted);
        try
        {
            if (!await setup.VerifyAsync(Input.SetupCode, HttpContext.RequestAborted))
            {
                if (await setup.AdministratorExistsAsync(HttpContext.RequestAborted))
                {
                    await LoadStateAsync();
                    return Page();
                }

                logger.LogWarning("Registration with a wrong setup code from {Address}", HttpContext.Connection.RemoteIpAddress);
                ModelState.AddModelError("Input.SetupCode",
                    "That setup code is not right. Copy it from the server's console or from setup-code.txt in the data folder.");
                return Page();
            }

            return await CreateAsync(administrator: true, returnUrl);
        }
        finally
        {
            setup.FirstAdministratorGate.Release();
        }
    }

    /// <summary>Registration from an invitation: no household fields, no setup code, open even while registration is off.</summary>
    private async Task<IActionResult> JoinAsync(string returnUrl)
    {
        if (!Joining)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }

        foreach (var key in new[] { "Input.HouseholdName", "Input.Currency", "Input.Culture", "Input.SetupCode" })
        {
            ModelState.Remove(key);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await CreateUserAsync(administrator: false);
        if (user is null)
        {
            return Page();
        }

        try
        {
            await invitations.AcceptAsync(Invite, user.Id, Input.DisplayName, HttpContext.RequestAborted);
        }
        catch (InvitationException ex)
        {
            // Someone used the link a moment earlier: no account without a household.
            await users.DeleteAsync(user);
            Invitation = await invitations.PreviewAsync(Invite, HttpContext.RequestAborted);
            ModelState.AddModelError(string.Empty, ex.Message);
            return Page();
        }
        catch
        {
            await users.DeleteAsync(user);
            throw;
        }

        logger.LogInformation("Registered {Email} from an invitation", user.Email);
        return await FinishAsync(user, returnUrl);
    }

    private async Task<AppUser?> CreateUserAsync(bool administrator)
    {
        var user = new AppUser
        {
            UserName = Input.Email.Trim(),
            Email = Input.Email.Trim(),
            IsAdministrator = administrator,
            // The administrator proved control of the server with the setup code: no mail round trip needed.
            EmailConfirmed = administrator,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                var key = error.Code.StartsWith("Password", StringComparison.Ordinal) || error.Code == Infrastructure.Passwords.CommonPasswordValidator.ErrorCode
                    ? "Input.Password"
                    : error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) ? "Input.Email" : string.Empty;
                ModelState.AddModelError(key, error.Description);
            }

            return null;
        }

        return user;
    }

    private async Task<IActionResult> CreateAsync(bool administrator, string returnUrl)
    {
        var user = await CreateUserAsync(administrator);
        if (user is null)
        {
            return Page();
        }

        try
        {
            await provisioning.CreateAsync(user, new NewHousehold(
                Input.HouseholdName, Input.Currency, string.IsNullOrWhiteSpace(Input.TimeZone) ? "UTC" : Input.TimeZone.Trim(),
                Input.Culture, Input.DisplayName), HttpContext.RequestAborted);
        }
        catch
        {
            // Keep registration all-or-nothing: no account without its household.
            await users.DeleteAsync(user);
            throw;
        }

        if (administrator)
        {
            setup.Complete();
            logger.LogInformation("Created the administrator account {Email}", user.Email);
        }
        else
        {
            logger.LogInformation("Registered {Email}", user.Email);
        }

        return await FinishAsync(user, returnUrl);
    }

    private async Task<IActionResult> FinishAsync(AppUser user, string returnUrl)
    {
        if (!user.EmailConfirmed)
        {
            await SendConfirmationAsync(user, returnUrl);
            if (users.Options.SignIn.RequireConfirmedAccount)
            {
                return RedirectToPage("RegisterConfirmation", new { email = user.Email, returnUrl });
            }
        }

        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(returnUrl);
    }

    private async Task SendConfirmationAsync(AppUser user, string returnUrl)
    {
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GenerateEmailConfirmationTokenAsync(user)));
        var callbackUrl = Url.Page("/Account/ConfirmEmail", pageHandler: null,
            values: new { area = "Identity", userId = user.Id, code, returnUrl }, protocol: Request.Scheme)!;
        await email.SendEmailAsync(user.Email!, "Confirm your email for ExpenseTracker",
            $"<p>Welcome to ExpenseTracker, {HtmlEncoder.Default.Encode(Input.DisplayName)}.</p>" +
            $"<p>Please confirm your account by <a href=\"{HtmlEncoder.Default.Encode(callbackUrl)}\">clicking here</a>.</p>");
    }

    private async Task LoadStateAsync()
    {
        FirstRun = !await setup.AdministratorExistsAsync(HttpContext.RequestAborted);
        if (FirstRun)
        {
            // Recreates the code (and prints it) if someone deleted the file before the administrator existed.
            await setup.EnsureCodeAsync(HttpContext.RequestAborted);
        }

        Closed = !FirstRun && !await settings.IsRegistrationEnabledAsync(HttpContext.RequestAborted);
        Invitation = string.IsNullOrEmpty(Invite) ? null : await invitations.PreviewAsync(Invite, HttpContext.RequestAborted);
    }
}
