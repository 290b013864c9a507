using ExpenseTracker.Web.Data;
using Microsoft.AspNetCore.Identity;

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
        builder.Services.AddRazorPages();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }
}
