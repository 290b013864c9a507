namespace ExpenseTracker.Web.Features.PaymentAccounts;

public static class PaymentAccountsServiceCollectionExtensions
{
    public static WebApplicationBuilder AddPaymentAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<PaymentAccountService>();
        return builder;
    }
}
