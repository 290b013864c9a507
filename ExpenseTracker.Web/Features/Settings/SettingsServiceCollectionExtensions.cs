namespace ExpenseTracker.Web.Features.Settings;

public static class SettingsServiceCollectionExtensions
{
    public static WebApplicationBuilder AddSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<InstanceSettingsService>();
        builder.Services.AddScoped<HouseholdSettingsService>();
        builder.Services.AddScoped<UserPreferencesService>();
        return builder;
    }
}
