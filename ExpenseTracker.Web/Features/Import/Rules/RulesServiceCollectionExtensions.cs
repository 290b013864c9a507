namespace ExpenseTracker.Web.Features.Import.Rules;

public static class RulesServiceCollectionExtensions
{
    public static WebApplicationBuilder AddImportRules(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CategoryRuleService>();
        builder.Services.AddScoped<RuleCategorySuggester>();
        builder.Services.AddScoped<ICategorySuggester>(sp => sp.GetRequiredService<RuleCategorySuggester>());
        return builder;
    }
}
