namespace ExpenseTracker.Web.Features.Import.Mapping;

public static class ImportMappingServiceCollectionExtensions
{
    public static WebApplicationBuilder AddImportMapping(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ImportProfileService>();
        return builder;
    }
}
