using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Search;

public sealed record SavedSearchItem(long Id, string Name, string Url, bool Pinned);

/// <summary>
/// The current member's saved searches of the expense list. They are personal (every role may keep its own, a viewer
/// too); sharing is the URL, which opens the same filter for anyone in the household, through their own visibility.
/// </summary>
public sealed class SavedSearchService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time)
{
    public const int NameMaxLength = 60;
    public const int MaxPerMember = 50;

    /// <summary>Raised after any change, so the navigation's pinned list refreshes in this circuit.</summary>
    public event Action? Changed;

    public async Task<IReadOnlyList<SavedSearchItem>> ListAsync(bool pinnedOnly = false, CancellationToken cancellationToken = default)
    {
        var member = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SavedSearches.AsNoTracking()
            .Where(s => s.MemberId == member && (!pinnedOnly || s.Pinned))
            .OrderBy(s => s.Name)
            .Select(s => new SavedSearchItem(s.Id, s.Name, s.Url, s.Pinned))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Saves (or, under the same name, replaces) a search of the expense list.</summary>
    public async Task<long> SaveAsync(string? name, string url, bool pinned, CancellationToken cancellationToken = default)
    {
        var member = RequireMember();
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > NameMaxLength)
        {
            throw new FieldValidationException("name", $"Give the search a name of 1 to {NameMaxLength} characters.");
        }

        if (!IsExpenseListUrl(url))
        {
            throw new FieldValidationException("url", "Only searches of the expense list can be saved.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = await db.SavedSearches.Where(s => s.MemberId == member).ToListAsync(cancellationToken);
        var same = mine.FirstOrDefault(s => string.Equals(TextKey.Fold(s.Name), TextKey.Fold(trimmed), StringComparison.Ordinal));
        if (same is null && mine.Count >= MaxPerMember)
        {
            throw new FieldValidationException("name", $"You have {MaxPerMember} saved searches; delete one first.");
        }

        var search = same ?? db.SavedSearches.Add(new SavedSearch { MemberId = member, Name = trimmed, Url = url, CreatedAt = time.GetUtcNow().UtcDateTime }).Entity;
        (search.Name, search.Url, search.Pinned) = (trimmed, url, pinned);
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return search.Id;
    }

    public async Task SetPinnedAsync(long id, bool pinned, CancellationToken cancellationToken = default)
    {
        var member = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var updated = await db.SavedSearches.Where(s => s.Id == id && s.MemberId == member)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Pinned, pinned), cancellationToken);
        NotFoundUnless(updated);
        Changed?.Invoke();
    }

    public async Task DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var member = RequireMember();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        NotFoundUnless(await db.SavedSearches.Where(s => s.Id == id && s.MemberId == member).ExecuteDeleteAsync(cancellationToken));
        Changed?.Invoke();
    }

    /// <summary>"expenses" or "expenses?…", nothing else (a saved search can never point outside the list).</summary>
    public static bool IsExpenseListUrl(string? url) =>
        url is { Length: <= 2000 } && (url == "expenses" || url.StartsWith("expenses?", StringComparison.Ordinal)) && !url.Contains("//", StringComparison.Ordinal);

    private long RequireMember() => scope.IsSet && scope.MemberId is { } member ? member : throw new HouseholdAccessException("No current member.");

    private static void NotFoundUnless(int rows)
    {
        if (rows == 0)
        {
            throw new NotFoundException("That saved search");
        }
    }
}
