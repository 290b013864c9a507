using System.Globalization;
using System.Text.Json;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Categories;

public sealed record CategoryItem(long Id, string Name, string Color, string Icon, bool Archived, int SortOrder, int LineCount);

public sealed record CategoryInput(string Name, string Color, string Icon);

/// <summary>The household's categories: add, rename, recolour, archive, and delete (moving used lines elsewhere first).</summary>
public sealed class CategoryService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time)
{
    public const int NameMaxLength = 50;

    /// <summary>A small palette that keeps white text readable (WCAG AA on chips).</summary>
    public static readonly IReadOnlyList<string> Palette =
    [
        "#2E7D32", "#EF6C00", "#1565C0", "#6D4C41", "#00838F", "#C62828", "#AD1457", "#6A1B9A",
        "#283593", "#00695C", "#D81B60", "#546E7A", "#4E342E", "#37474F", "#558B2F", "#0277BD",
    ];

    /// <summary>Material icon names offered in the picker (see <see cref="CategoryIcons"/>).</summary>
    public static IReadOnlyList<string> Icons => CategoryIcons.Names;

    public async Task<IReadOnlyList<CategoryItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Categories.AsNoTracking()
            .OrderBy(c => c.Archived).ThenBy(c => c.SortOrder).ThenBy(c => c.Name)
            .Select(c => new CategoryItem(c.Id, c.Name, c.Color, c.Icon, c.Archived, c.SortOrder,
                db.TransactionLines.Count(l => l.CategoryId == c.Id)))
            .ToListAsync(cancellationToken);
    }

    public async Task<long> CreateAsync(CategoryInput input, CancellationToken cancellationToken = default)
    {
        RequireWrite();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await ValidateAsync(db, input, null, cancellationToken);
        var order = await db.Categories.Select(c => (int?)c.SortOrder).MaxAsync(cancellationToken) ?? -1;
        var category = new Category { Name = name, Color = input.Color, Icon = input.Icon, SortOrder = order + 1 };
        db.Categories.Add(category);
        await db.SaveChangesAsync(cancellationToken);
        return category.Id;
    }

    public async Task UpdateAsync(long id, CategoryInput input, CancellationToken cancellationToken = default)
    {
        RequireWrite();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var category = await db.Categories.FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException("That category");
        category.Name = await ValidateAsync(db, input, id, cancellationToken);
        category.Color = input.Color;
        category.Icon = input.Icon;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SetArchivedAsync(long id, bool archived, CancellationToken cancellationToken = default)
    {
        RequireWrite();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var category = await db.Categories.FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException("That category");
        category.Archived = archived;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes a category. When lines use it, <paramref name="moveLinesTo"/> must name another category of the
    /// household: the lines move there (one bulk update, logged as one ChangeLog row) before the delete, in one
    /// database transaction.
    /// </summary>
    public async Task DeleteAsync(long id, long? moveLinesTo = null, CancellationToken cancellationToken = default)
    {
        RequireWrite();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var category = await db.Categories.FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException("That category");
        var used = await db.TransactionLines.CountAsync(l => l.CategoryId == id, cancellationToken);
        if (used > 0)
        {
            if (moveLinesTo is not { } targetId || targetId == id)
            {
                throw new FieldValidationException("MoveTo", "This category is in use: choose another category for its expenses.");
            }

            if (!await db.Categories.AnyAsync(c => c.Id == targetId, cancellationToken))
            {
                throw new NotFoundException("The category to move to");
            }

            var moved = await db.TransactionLines.Where(l => l.CategoryId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.CategoryId, targetId), cancellationToken);
            db.ChangeLog.Add(new ChangeLogEntry
            {
                HouseholdId = scope.HouseholdId,
                Entity = nameof(TransactionLine),
                EntityId = "category:" + id.ToString(CultureInfo.InvariantCulture),
                Action = "Bulk",
                BeforeJson = JsonSerializer.Serialize(new { CategoryId = id, Lines = moved }),
                AfterJson = JsonSerializer.Serialize(new { CategoryId = targetId, Lines = moved }),
                UserId = scope.UserId,
                At = time.GetUtcNow().UtcDateTime,
            });
        }

        db.Categories.Remove(category);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<string> ValidateAsync(AppDbContext db, CategoryInput input, long? id, CancellationToken cancellationToken)
    {
        var name = input.Name?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            throw new FieldValidationException(nameof(input.Name), "Enter a name.");
        }

        if (name.Length > NameMaxLength)
        {
            throw new FieldValidationException(nameof(input.Name), $"A name can be at most {NameMaxLength} characters.");
        }

        if (!Palette.Contains(input.Color, StringComparer.OrdinalIgnoreCase))
        {
            throw new FieldValidationException(nameof(input.Color), "Pick a colour from the palette.");
        }

        if (!CategoryIcons.Names.Contains(input.Icon, StringComparer.Ordinal))
        {
            throw new FieldValidationException(nameof(input.Icon), "Pick an icon from the list.");
        }

        // Names are compared folded (accents, case) — in memory, since a household has a handful of categories.
        var key = TextKey.Fold(name);
        var names = await db.Categories.Where(c => c.Id != (id ?? 0)).Select(c => c.Name).ToListAsync(cancellationToken);
        if (names.Any(n => TextKey.Fold(n) == key))
        {
            throw new FieldValidationException(nameof(input.Name), "There is already a category with that name.");
        }

        return name;
    }

    private void RequireWrite()
    {
        if (!scope.IsSet)
        {
            throw new HouseholdAccessException("No current household.");
        }

        if (!scope.CanWrite)
        {
            throw new HouseholdAccessException("Viewers can look but not change categories.");
        }
    }
}
