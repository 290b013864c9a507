using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Live;

public static class LiveServiceCollectionExtensions
{
    /// <summary>
    /// The in-process change channel; <see cref="HouseholdChangeInterceptor"/> is added to the DbContext in AddData. On
    /// PostgreSQL the publisher is <see cref="PostgresChangeBackplane"/>, which also carries changes to the other instances.
    /// </summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services)
    {
        services.AddSingleton<HouseholdChangeNotifier>();
        services.AddSingleton<PostgresChangeBackplane>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresChangeBackplane>());
        services.AddSingleton<IHouseholdChangePublisher>(sp => sp.GetRequiredService<DatabaseOptions>().IsPostgres
            ? sp.GetRequiredService<PostgresChangeBackplane>()
            : sp.GetRequiredService<HouseholdChangeNotifier>());
        services.AddSingleton<HouseholdChangeInterceptor>();
        services.AddSingleton<Analytics.MonthlyAggregateCache>();
        return services;
    }
}
