using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure.Email;
using ExpenseTracker.Web.Infrastructure.Passwords;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
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
            .AddEntityFrameworkStores<AppDbContext>();

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

        builder.Services.AddRazorPages();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }
}
