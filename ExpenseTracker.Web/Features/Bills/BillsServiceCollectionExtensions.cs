namespace ExpenseTracker.Web.Features.Bills;

public static class BillsServiceCollectionExtensions
{
    /// <summary>Bills and the recurring-expense detector (scoped: they read the request's or circuit's household).</summary>
    public static WebApplicationBuilder AddBills(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<BillService>();
        return builder;
    }
}
