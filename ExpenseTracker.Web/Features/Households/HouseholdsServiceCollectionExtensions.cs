using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExpenseTracker.Web.Features.Households;

public static class HouseholdsServiceCollectionExtensions
{
    /// <summary>Members, invitations, shared expenses and balances, the activity feed (live changes: Features/Live).</summary>
    public static WebApplicationBuilder AddHouseholds(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddScoped<HouseholdProvisioning>();
        builder.Services.TryAddScoped<HouseholdDeletion>();
        builder.Services.AddScoped<InvitationService>();
        builder.Services.AddScoped<MembershipService>();
        builder.Services.AddScoped<BalanceService>();
        builder.Services.AddScoped<ActivityService>();
        return builder;
    }
}
