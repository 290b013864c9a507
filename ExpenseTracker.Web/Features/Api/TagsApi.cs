using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Api;

public sealed record ApiTag(long Id, string Name);

public sealed record ApiTagInput(string? Name);

/// <summary>
/// <c>/api/v1/tags</c>. The app makes tags as expenses name them and has no tag service of its own, so these handlers use
/// the household-filtered DbContext directly (the eShop way): names follow the expense editor's rule (1 to 40
/// characters) and are unique ignoring case and accents; the search index follows renames and removals by triggers.
/// </summary>
public static class TagsApi
{
    public static RouteGroupBuilder MapTagsApi(this RouteGroupBuilder api)
    {
        var tags = api.MapGroup("/tags").WithTags("Tags");

        tags.MapGet("/", async (IDbContextFactory<AppDbContext> dbFactory, string? page, string? pageSize, CancellationToken ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var all = await db.Tags.AsNoTracking().OrderBy(t => t.Key).Select(t => new ApiTag(t.Id, t.Name)).ToListAsync(ct);
                return TypedResults.Ok(ApiInput.Page(all, page, pageSize));
            })
            .Reads<ResourcePage<ApiTag>>("ListTags", "The household's tags, alphabetically.");

        tags.MapGet("/{id:long}", async Task<IResult> (long id, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return await db.Tags.AsNoTracking().Where(t => t.Id == id).Select(t => new ApiTag(t.Id, t.Name)).FirstOrDefaultAsync(ct) is { } tag
                    ? TypedResults.Ok(tag)
                    : NotFound();
            })
            .Reads<ApiTag>("GetTag", "One tag.", byId: true);

        tags.MapPost("/", async Task<IResult> (ApiTagInput input, IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var (name, key) = await ValidateAsync(db, input, null, ct);
                var tag = new Tag { Name = name, Key = key };
                db.Tags.Add(tag);
                await db.SaveChangesAsync(ct);
                return TypedResults.Created($"{ApiServiceCollectionExtensions.Prefix}/tags/{tag.Id}", new ApiTag(tag.Id, tag.Name));
            })
            .Writes("CreateTag", "Adds a tag (owners and members).", StatusCodes.Status201Created, typeof(ApiTag), byId: false);

        tags.MapPut("/{id:long}", async Task<IResult> (long id, ApiTagInput input, IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                if (await db.Tags.FirstOrDefaultAsync(t => t.Id == id, ct) is not { } tag)
                {
                    return NotFound();
                }

                (tag.Name, tag.Key) = await ValidateAsync(db, input, id, ct);
                await db.SaveChangesAsync(ct);
                return TypedResults.Ok(new ApiTag(tag.Id, tag.Name));
            })
            .Writes("RenameTag", "Renames a tag on every expense that carries it.", StatusCodes.Status200OK, typeof(ApiTag));

        tags.MapDelete("/{id:long}", async Task<IResult> (long id, IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, CancellationToken ct) =>
            {
                ApiInput.Require(scope, HouseholdAction.ManageCategoriesAndAccounts);
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                if (await db.Tags.FirstOrDefaultAsync(t => t.Id == id, ct) is not { } tag)
                {
                    return NotFound();
                }

                // Deleted (soft) expenses keep no tag either: a restored expense simply comes back without it.
                db.TransactionTags.RemoveRange(await db.TransactionTags.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter])
                    .Where(x => x.TagId == id).ToListAsync(ct));
                db.Tags.Remove(tag);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return TypedResults.NoContent();
            })
            .Writes("DeleteTag", "Deletes a tag and takes it off every expense (the expenses stay).", StatusCodes.Status204NoContent, validation: false);

        return api;
    }

    private static async Task<(string Name, string Key)> ValidateAsync(AppDbContext db, ApiTagInput input, long? id, CancellationToken ct)
    {
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > ExpenseValidator.TagMaxLength)
        {
            throw new FieldValidationException("name", $"Tags must be 1 to {ExpenseValidator.TagMaxLength} characters.");
        }

        var key = TextKey.Fold(name);
        if (await db.Tags.AnyAsync(t => t.Key == key && t.Id != (id ?? 0), ct))
        {
            throw new FieldValidationException("name", "There is already a tag with that name.");
        }

        return (name, key);
    }

    private static IResult NotFound() => ApiProblems.NotFound("There is no such tag in this household.");
}
