using Microsoft.Extensions.Options;

namespace ExpenseTracker.Web.Features.BankSync;

public static class BankSyncServiceCollectionExtensions
{
    /// <summary>Bank connections (SimpleFIN Bridge), their sync through the import pipeline, and the scheduler's work.</summary>
    public static WebApplicationBuilder AddBankSync(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BankSyncOptions>().BindConfiguration(BankSyncOptions.Section);
        builder.Services.AddHttpClient(SimpleFinProvider.HttpClientName, (services, http) =>
            http.Timeout = services.GetRequiredService<IOptions<BankSyncOptions>>().Value.HttpTimeout);
        builder.Services.AddScoped<IBankDataProvider, SimpleFinProvider>();
        builder.Services.AddSingleton<BankSecretProtector>();
        builder.Services.AddSingleton<BankSyncLocks>();
        builder.Services.AddSingleton<BankSyncScheduler>();
        // The import service itself, not only its interface: bank sync commits already-parsed statements through it.
        builder.Services.AddScoped<Import.ImportService>();
        builder.Services.AddScoped<BankSyncRunner>();
        builder.Services.AddScoped<BankConnectionService>();
        return builder;
    }
}
