namespace ExpenseTracker.Web.Features.Live;

public static class LiveServiceCollectionExtensions
{
    /// <summary>The in-process change channel; <see cref="HouseholdChangeInterceptor"/> is added to the DbContext in AddData.</summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services)
    {
        services.AddSingleton<HouseholdChangeNotifier>();
        services.AddSingleton<IHouseholdChangePublisher>(sp => sp.GetRequiredService<HouseholdChangeNotifier>());
        services.AddSingleton<HouseholdChangeInterceptor>();
        services.AddSingleton<Analytics.MonthlyAggregateCache>();
        return services;
    }
}
