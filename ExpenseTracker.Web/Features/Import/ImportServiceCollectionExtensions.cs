namespace ExpenseTracker.Web.Features.Import;

public static class ImportServiceCollectionExtensions
{
    /// <summary>The import pipeline (preview, commit, undo, history) and its options.</summary>
    public static WebApplicationBuilder AddImport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section);
        builder.Services.AddScoped<IImportService, ImportService>();
        return builder;
    }
}
