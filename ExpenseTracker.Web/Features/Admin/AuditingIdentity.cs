using System.Security.Claims;
using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Web.Features.Admin;

/// <summary>
/// Identity's sign-in with the security audit log attached: password sign-ins (success, failure, lockout), the second
/// factor (authenticator or recovery code) and sign-outs, whichever page (ours or Identity's default UI) drives them.
/// </summary>
public sealed class AuditingSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    SecurityAudit audit)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        var result = await base.PasswordSignInAsync(userName, password, isPersistent, lockoutOnFailure);
        // A person with a second factor has not signed in yet: the second step records the outcome.
        if (!result.RequiresTwoFactor)
        {
            var action = result.Succeeded ? SecurityEvents.SignIn : result.IsLockedOut ? SecurityEvents.LockedOut : SecurityEvents.SignInFailed;
            await audit.RecordAsync(action, user?.Id, user?.Id, new { email = Trim(userName), notAllowed = result.IsNotAllowed ? true : (bool?)null }, Context);
        }

        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        await RecordSecondFactorAsync(user, result, "authenticator");
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        await RecordSecondFactorAsync(user, result, "recovery code");
        return result;
    }

    public override async Task SignOutAsync()
    {
        var userId = Context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        await base.SignOutAsync();
        if (userId is not null)
        {
            await audit.RecordAsync(SecurityEvents.SignOut, userId, userId, null, Context);
        }
    }

    private Task RecordSecondFactorAsync(AppUser? user, SignInResult result, string method)
    {
        if (user is null)
        {
            return Task.CompletedTask;
        }

        var action = result.Succeeded ? SecurityEvents.SignIn : result.IsLockedOut ? SecurityEvents.LockedOut : SecurityEvents.TwoFactorFailed;
        return audit.RecordAsync(action, user.Id, user.Id, new { email = user.Email, secondFactor = method }, Context);
    }

    private static string Trim(string text) => text.Length > 256 ? text[..256] : text;
}

/// <summary>Identity's user manager with password changes and resets recorded in the security audit log.</summary>
public sealed class AuditingUserManager(
    IUserStore<AppUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<AppUser> passwordHasher,
    IEnumerable<IUserValidator<AppUser>> userValidators,
    IEnumerable<IPasswordValidator<AppUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<AppUser>> logger,
    IHttpContextAccessor http)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> ChangePasswordAsync(AppUser user, string currentPassword, string newPassword)
    {
        var result = await base.ChangePasswordAsync(user, currentPassword, newPassword);
        await RecordPasswordAsync(user, result, "changed");
        return result;
    }

    public override async Task<IdentityResult> ResetPasswordAsync(AppUser user, string token, string newPassword)
    {
        var result = await base.ResetPasswordAsync(user, token, newPassword);
        await RecordPasswordAsync(user, result, "reset");
        return result;
    }

    private Task RecordPasswordAsync(AppUser user, IdentityResult result, string how)
    {
        if (!result.Succeeded)
        {
            return Task.CompletedTask;
        }

        // From the user manager's own scope (request or circuit), like Identity's other services.
        var audit = ServiceProvider.GetService<SecurityAudit>();
        return audit?.RecordAsync(SecurityEvents.PasswordChanged, user.Id, user.Id, new { email = user.Email, how }, http.HttpContext)
            ?? Task.CompletedTask;
    }
}
