using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExpenseTracker.Web.Features.Households;

public static class HouseholdsServiceCollectionExtensions
{
    /// <summary>Members, invitations, shared expenses and balances, the activity feed and the live-change channel.</summary>
    public static WebApplicationBuilder AddHouseholds(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddScoped<HouseholdProvisioning>();
        builder.Services.TryAddScoped<HouseholdDeletion>();
        builder.Services.AddScoped<InvitationService>();
        builder.Services.AddScoped<MembershipService>();
        builder.Services.AddScoped<BalanceService>();
        builder.Services.AddScoped<ActivityService>();
        builder.Services.AddSingleton<HouseholdChanges>();
        builder.Services.AddSingleton<HouseholdChangeInterceptor>();
        // Adds to the interceptors AddData registers (EF 9+ composes option configurations).
        builder.Services.ConfigureDbContext<AppDbContext>((services, options) =>
            options.AddInterceptors(services.GetRequiredService<HouseholdChangeInterceptor>()));
        return builder;
    }
}
