namespace ExpenseTracker.Web.Features.Forecast;

public static class ForecastServiceCollectionExtensions
{
    /// <summary>Month-end projections, forecasts and insights (scoped: they read the request's or circuit's household).</summary>
    public static WebApplicationBuilder AddForecasting(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ForecastService>();
        return builder;
    }
}
