using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure.Email;
using ExpenseTracker.Web.Infrastructure.Passwords;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExpenseTracker.Web.Features.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>ASP.NET Core Identity with the default UI pages, cookies, lockout and the password rules of OWASP ASVS 5.</summary>
    public static WebApplicationBuilder AddIdentityAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddDefaultIdentity<AppUser>(options =>
            {
                options.Password.RequiredLength = 10;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            // Sign-ins, second factors, sign-outs and password changes go to the security audit log (Features/Admin).
            .AddSignInManager<ExpenseTracker.Web.Features.Admin.AuditingSignInManager>()
            .AddUserManager<ExpenseTracker.Web.Features.Admin.AuditingUserManager>();

        // Confirming an email needs mail: without Smtp:Host (mail goes to .eml files) a newcomer could never sign in.
        builder.Services.AddOptions<IdentityOptions>()
            .Configure<IConfiguration>((options, configuration) =>
                options.SignIn.RequireConfirmedAccount = SmtpOptions.IsConfiguredIn(configuration));
        builder.Services.AddSingleton<IPasswordValidator<AppUser>, CommonPasswordValidator>();

        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section);
        builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();

        builder.Services.AddSingleton<FirstRunSetup>();
        builder.Services.TryAddScoped<HouseholdProvisioning>();
        builder.Services.TryAddScoped<HouseholdDeletion>();
        builder.Services.AddScoped<AccountDeletion>();

        // Cookies: HttpOnly, Secure whenever the request is HTTPS, SameSite=Lax (links from email keep the sign-in),
        // 14 days sliding. Another session's password change or removal is noticed within a minute.
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
            options.SlidingExpiration = true;
        });
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));
        builder.Services.AddOptions<RevalidationOptions>().BindConfiguration("Identity");
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        builder.Services.AddRazorPages();
        builder.Services.Configure<MvcOptions>(options => options.Filters.AddService<IdentityPageStateFilter>());
        builder.Services.AddScoped<IdentityPageStateFilter>();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }
}
