using System.Text.Json;
using System.Text.Json.Nodes;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Import.Mapping;

/// <summary>A saved profile: its id and what was saved.</summary>
public sealed record ImportProfileItem(long Id, ImportProfileInput Profile)
{
    public string Name => Profile.Name;
    public CsvMapping Mapping => Profile.Mapping;
    public IReadOnlyList<string>? Headers => Profile.Headers;
    public long? AccountId => Profile.AccountId;
}

/// <summary>A way to read one bank's CSV or XLSX files. <see cref="Headers"/> are the file's column names when
/// saved, so the wizard can offer the profile that fits a new file first.</summary>
public sealed record ImportProfileInput(
    string Name,
    CsvMapping Mapping,
    IReadOnlyList<string>? Headers,
    string? EncodingName,
    string? SheetName,
    long? AccountId);

/// <summary>
/// The household's named import profiles. The mapping is stored as the <see cref="CsvMapping"/>'s JSON with the
/// header names beside its properties ("headers"), so anything reading the JSON as a plain CsvMapping still can.
/// </summary>
public sealed class ImportProfileService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope, TimeProvider time)
{
    public const int NameMaxLength = 60;
    private const string HeadersProperty = "headers";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<ImportProfileItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ImportProfiles.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return [.. rows.Select(ToItem)];
    }

    /// <summary>Profiles ordered by how well they fit a file's headers: the same column names first, then the most in common.</summary>
    public static IReadOnlyList<ImportProfileItem> ByFit(IReadOnlyList<ImportProfileItem> profiles, IReadOnlyList<string>? headers) =>
        [.. profiles.OrderByDescending(p => Fit(p, headers)).ThenBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase)];

    /// <summary>2 when the header names are the same, 1 when some are shared, else 0.</summary>
    public static int Fit(ImportProfileItem profile, IReadOnlyList<string>? headers)
    {
        if (profile.Headers is not { Count: > 0 } saved || headers is not { Count: > 0 })
        {
            return 0;
        }

        var a = saved.Select(TextKey.Fold).ToList();
        var b = headers.Select(TextKey.Fold).ToList();
        return a.SequenceEqual(b, StringComparer.Ordinal) ? 2 : a.Intersect(b, StringComparer.Ordinal).Any(h => h.Length > 0) ? 1 : 0;
    }

    /// <summary>Saves a profile; a profile with the same name (ignoring case and accents) is replaced.</summary>
    public async Task<long> SaveAsync(ImportProfileInput input, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.Import);
        var name = input.Name?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            throw new FieldValidationException(nameof(input.Name), "Enter a name for the profile, e.g. the bank's name.");
        }

        if (name.Length > NameMaxLength)
        {
            throw new FieldValidationException(nameof(input.Name), $"A profile name can be at most {NameMaxLength} characters.");
        }

        if (input.EncodingName is { } encoding && TextDecoding.FromName(encoding) is null)
        {
            throw new FieldValidationException(nameof(input.EncodingName), $"'{encoding}' is not a known text encoding.");
        }

        var json = ToJson(input.Mapping, input.Headers);
        if (json.Length > 4000)
        {
            throw new FieldValidationException(nameof(input.Mapping), "This file has too many columns to save as a profile.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (input.AccountId is { } accountId && !await db.Accounts.AnyAsync(a => a.Id == accountId, cancellationToken))
        {
            throw new FieldValidationException(nameof(input.AccountId), "That account was not found.");
        }

        var key = TextKey.Fold(name);
        var existing = (await db.ImportProfiles.ToListAsync(cancellationToken)).FirstOrDefault(p => TextKey.Fold(p.Name) == key);
        var now = time.GetUtcNow().UtcDateTime;
        var profile = existing ?? new ImportProfile { Name = name, MappingJson = json, CreatedAt = now };
        profile.Name = name;
        profile.MappingJson = json;
        profile.Encoding = input.EncodingName;
        profile.SheetName = string.IsNullOrWhiteSpace(input.SheetName) ? null : input.SheetName;
        profile.AccountId = input.AccountId;
        profile.UpdatedAt = now;
        if (existing is null)
        {
            db.ImportProfiles.Add(profile);
        }

        await db.SaveChangesAsync(cancellationToken);
        return profile.Id;
    }

    public async Task DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        HouseholdPermissions.Require(scope, HouseholdAction.Import);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var profile = await db.ImportProfiles.FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new NotFoundException("That import profile");
        db.ImportProfiles.Remove(profile);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The reader options a profile stands for.</summary>
    public static ReaderOptions ToOptions(ImportProfileItem profile) => new()
    {
        CsvMapping = profile.Mapping,
        Encoding = TextDecoding.FromName(profile.Profile.EncodingName),
        SheetName = profile.Profile.SheetName,
    };

    internal static string ToJson(CsvMapping mapping, IReadOnlyList<string>? headers)
    {
        var node = JsonSerializer.SerializeToNode(mapping, Json)!.AsObject();
        if (headers is { Count: > 0 })
        {
            node[HeadersProperty] = new JsonArray([.. headers.Select(h => (JsonNode?)JsonValue.Create(h))]);
        }

        return node.ToJsonString(Json);
    }

    internal static (CsvMapping Mapping, IReadOnlyList<string>? Headers) FromJson(string json)
    {
        var mapping = JsonSerializer.Deserialize<CsvMapping>(json, Json) ?? new CsvMapping();
        var headers = JsonNode.Parse(json)?[HeadersProperty] is JsonArray array
            ? array.Select(h => h?.GetValue<string>() ?? string.Empty).ToList()
            : null;
        return (mapping, headers);
    }

    private static ImportProfileItem ToItem(ImportProfile p)
    {
        var (mapping, headers) = FromJson(p.MappingJson);
        return new ImportProfileItem(p.Id, new ImportProfileInput(p.Name, mapping, headers, p.Encoding, p.SheetName, p.AccountId));
    }
}
