using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Security;

/// <summary>
/// Sign-in, registration and password-reset posts are rate limited per IP (429 with Retry-After) above the lockout
/// threshold; the sign-in cookie is HttpOnly and SameSite=Lax; a new security stamp (password change, removal from a
/// household) signs other sessions out.
/// </summary>
public sealed class AccountProtectionTests
{
    [ProviderTheory]
    public async Task Sign_in_attempts_hit_the_lockout_first_and_the_rate_limit_after(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        app.With("RateLimits:SignInPermitLimit", "8");
        await AccountForms.CreateAdministratorAsync(app, "ana@example.com");
        var forms = new AccountForms(app);

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await forms.SignInAsync("ana@example.com", "not the password at all");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            if (attempt == 5)
            {
                Assert.Contains("locked", await AccountForms.TextOf(wrong), StringComparison.Ordinal);
            }
        }

        // Attempts 6-8 are still answered by the page (locked); the 9th post within the window is refused.
        for (var attempt = 6; attempt <= 8; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await forms.SignInAsync("ana@example.com")).StatusCode);
        }

        var limited = await forms.SignInAsync("ana@example.com");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many attempts", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Reading pages is not limited.
        Assert.Equal(HttpStatusCode.OK, (await forms.Client.GetAsync(new Uri("/Identity/Account/Login", UriKind.Relative))).StatusCode);
    }

    [ProviderTheory]
    public async Task Password_reset_requests_are_limited_per_address(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        app.With("RateLimits:PasswordResetPermitLimit", "2");
        var forms = new AccountForms(app);
        var fields = new Dictionary<string, string> { ["Input.Email"] = "someone@example.com" };

        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await forms.PostAsync("/Identity/Account/ForgotPassword", fields)).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await forms.PostAsync("/Identity/Account/ForgotPassword", fields)).StatusCode);
        var limited = await forms.PostAsync("/Identity/Account/ForgotPassword", fields);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [ProviderTheory]
    public async Task The_sign_in_cookie_is_http_only_and_same_site_lax(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        await AccountForms.CreateAdministratorAsync(app, "ana@example.com");
        var response = await new AccountForms(app).SignInAsync("ana@example.com");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [ProviderTheory]
    public async Task A_new_security_stamp_signs_other_sessions_out_within_a_minute(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var ana = await AccountForms.CreateAdministratorAsync(app, "ana@example.com");
        var other = new AccountForms(app);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync("ana@example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByIdAsync(ana.Id);
            Assert.True((await users.ChangePasswordAsync(user!, AccountForms.Password, "another long passphrase here")).Succeeded);
        }

        app.Time.Advance(TimeSpan.FromMinutes(2));
        var after = await other.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/Identity/Account/Login", after.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task Removing_a_member_gives_them_a_new_security_stamp(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var family = await Family.CreateAsync(app);
        string StampOf(AppDbContext db) => db.Users.AsNoTracking().Single(u => u.Id == family.People["Ben"].UserId).SecurityStamp!;
        await using var scope = family.As("Ana");
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var before = StampOf(db);

        await scope.ServiceProvider.GetRequiredService<MembershipService>().RemoveMemberAsync(family.Id("Ben"));

        Assert.NotEqual(before, StampOf(db));
    }
}
