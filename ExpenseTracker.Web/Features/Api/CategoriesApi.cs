using ExpenseTracker.Web.Features.Categories;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>A category; <see cref="LineCount"/> is how many expense lines use it.</summary>
public sealed record ApiCategory(long Id, string Name, string Color, string Icon, bool Archived, int SortOrder, int LineCount);

/// <summary>
/// What POST and PUT send. <c>color</c> is one of the palette (GET /api/v1/categories/options), <c>icon</c> one of the icon
/// names; on POST they default to the first colour and "Category", on PUT an absent value keeps the stored one.
/// </summary>
public sealed record ApiCategoryInput(string? Name, string? Color, string? Icon, bool? Archived);

/// <summary>The colours and icons a category may take.</summary>
public sealed record ApiCategoryOptions(IReadOnlyList<string> Colors, IReadOnlyList<string> Icons);

/// <summary><c>/api/v1/categories</c>: what the Categories page does (add, edit, archive, delete moving used lines elsewhere).</summary>
public static class CategoriesApi
{
    private const string DefaultIcon = "Category";

    public static RouteGroupBuilder MapCategoriesApi(this RouteGroupBuilder api)
    {
        var categories = api.MapGroup("/categories").WithTags("Categories");

        categories.MapGet("/", async (CategoryService service, string? page, string? pageSize, CancellationToken ct) =>
                TypedResults.Ok(ApiInput.Page(await ListAsync(service, ct), page, pageSize)))
            .Reads<ResourcePage<ApiCategory>>("ListCategories", "The household's categories in their order, archived ones last.");

        categories.MapGet("/options", () => TypedResults.Ok(new ApiCategoryOptions(CategoryService.Palette, CategoryService.Icons)))
            .WithName("GetCategoryOptions")
            .WithSummary("The colours and icon names a category may use.")
            .Produces<ApiCategoryOptions>();

        categories.MapGet("/{id:long}", async Task<IResult> (long id, CategoryService service, CancellationToken ct) =>
                await FindAsync(service, id, ct) is { } category ? TypedResults.Ok(category) : NotFound())
            .Reads<ApiCategory>("GetCategory", "One category.", byId: true);

        categories.MapPost("/", CreateAsync)
            .Writes("CreateCategory", "Adds a category (owners and members).", StatusCodes.Status201Created, typeof(ApiCategory), byId: false);

        categories.MapPut("/{id:long}", UpdateAsync)
            .Writes("UpdateCategory", "Renames, recolours or archives (\"archived\": true/false) a category.", StatusCodes.Status200OK, typeof(ApiCategory));

        categories.MapDelete("/{id:long}", async Task<IResult> (long id, string? moveTo, CategoryService service, HouseholdScope scope, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
                long? target = null;
                if (!string.IsNullOrWhiteSpace(moveTo))
                {
                    target = long.TryParse(moveTo, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0
                        ? t
                        : throw new FieldValidationException("moveTo", "Give the id of the category the expenses move to.");
                }

                await service.DeleteAsync(id, target, ct);
                return TypedResults.NoContent();
            })
            .Writes("DeleteCategory", "Deletes a category; when expenses use it, ?moveTo={categoryId} names where they move (in the same transaction).", StatusCodes.Status204NoContent);

        return api;
    }

    private static async Task<IResult> CreateAsync(ApiCategoryInput input, CategoryService service, HouseholdScope scope, CancellationToken ct)
    {
        ApiInput.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
        var id = await service.CreateAsync(new CategoryInput(input.Name ?? "", input.Color ?? CategoryService.Palette[0], input.Icon ?? DefaultIcon), ct);
        if (input.Archived == true)
        {
            await service.SetArchivedAsync(id, true, ct);
        }

        return TypedResults.Created($"{ApiServiceCollectionExtensions.Prefix}/categories/{id}", (await FindAsync(service, id, ct))!);
    }

    private static async Task<IResult> UpdateAsync(long id, ApiCategoryInput input, CategoryService service, HouseholdScope scope, CancellationToken ct)
    {
        ApiInput.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
        if (await FindAsync(service, id, ct) is not { } current)
        {
            return NotFound();
        }

        // The edit is validated (and saved) first; archiving cannot fail afterwards.
        await service.UpdateAsync(id, new CategoryInput(input.Name ?? current.Name, input.Color ?? current.Color, input.Icon ?? current.Icon), ct);
        if (input.Archived is { } archived && archived != current.Archived)
        {
            await service.SetArchivedAsync(id, archived, ct);
        }

        return TypedResults.Ok((await FindAsync(service, id, ct))!);
    }

    private static async Task<IReadOnlyList<ApiCategory>> ListAsync(CategoryService service, CancellationToken ct) =>
        (await service.ListAsync(ct)).Select(c => new ApiCategory(c.Id, c.Name, c.Color, c.Icon, c.Archived, c.SortOrder, c.LineCount)).ToList();

    private static async Task<ApiCategory?> FindAsync(CategoryService service, long id, CancellationToken ct) =>
        (await ListAsync(service, ct)).FirstOrDefault(c => c.Id == id);

    private static IResult NotFound() => ApiProblems.NotFound("There is no such category in this household.");
}
