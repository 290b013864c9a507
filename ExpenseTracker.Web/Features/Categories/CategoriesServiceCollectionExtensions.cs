namespace ExpenseTracker.Web.Features.Categories;

public static class CategoriesServiceCollectionExtensions
{
    public static WebApplicationBuilder AddCategories(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CategoryService>();
        return builder;
    }
}
