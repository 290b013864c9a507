using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Settings;

public sealed record HouseholdSettings(
    string Name, string BaseCurrency, string TimeZoneId, DayOfWeek FirstDayOfWeek, int MonthStartDay, string Culture, bool CurrencyLocked);

/// <summary>The current household's settings; only owners change them.</summary>
public sealed class HouseholdSettingsService(IDbContextFactory<AppDbContext> dbFactory, HouseholdScope scope)
{
    public const int NameMaxLength = 80;

    /// <summary>Cultures offered for number and date display (any valid culture name is accepted).</summary>
    public static readonly IReadOnlyList<string> Cultures =
        ["en-US", "en-GB", "en-IE", "de-DE", "de-AT", "de-CH", "fr-FR", "fr-CH", "es-ES", "it-IT", "nl-NL", "pt-PT", "pt-BR", "sv-SE", "da-DK", "nb-NO", "fi-FI", "pl-PL", "cs-CZ", "ja-JP"];

    public async Task<HouseholdSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await db.Households.AsNoTracking().FirstOrDefaultAsync(cancellationToken)
            ?? throw new HouseholdAccessException("No current household.");
        return new HouseholdSettings(household.Name, household.BaseCurrency, household.TimeZoneId, household.FirstDayOfWeek,
            household.MonthStartDay, household.Culture, await HasTransactionsAsync(db, cancellationToken));
    }

    public async Task UpdateAsync(HouseholdSettings input, CancellationToken cancellationToken = default)
    {
        if (!scope.IsSet || !scope.IsOwner)
        {
            throw new HouseholdAccessException("Only an owner of the household can change its settings.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var household = await db.Households.FirstOrDefaultAsync(cancellationToken)
            ?? throw new HouseholdAccessException("No current household.");
        var name = input.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > NameMaxLength)
        {
            throw new FieldValidationException(nameof(input.Name), $"Enter a name of 1 to {NameMaxLength} characters.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(input.TimeZoneId ?? string.Empty, out _))
        {
            throw new FieldValidationException(nameof(input.TimeZoneId), "Choose a time zone from the list.");
        }

        if (input.MonthStartDay is < 1 or > 28)
        {
            throw new FieldValidationException(nameof(input.MonthStartDay), "The month can start on day 1 to 28.");
        }

        if (!Enum.IsDefined(input.FirstDayOfWeek))
        {
            throw new FieldValidationException(nameof(input.FirstDayOfWeek), "Choose a day.");
        }

        if (!IsCulture(input.Culture))
        {
            throw new FieldValidationException(nameof(input.Culture), "Choose a language and region from the list.");
        }

        if (!string.Equals(input.BaseCurrency, household.BaseCurrency, StringComparison.Ordinal))
        {
            if (!Currencies.IsKnown(input.BaseCurrency))
            {
                throw new FieldValidationException(nameof(input.BaseCurrency), "Choose an ISO 4217 currency, e.g. EUR.");
            }

            if (await HasTransactionsAsync(db, cancellationToken))
            {
                throw new FieldValidationException(nameof(input.BaseCurrency), "The base currency is locked once the household has transactions.");
            }

            household.BaseCurrency = input.BaseCurrency;
        }

        household.Name = name;
        household.TimeZoneId = input.TimeZoneId!;
        household.FirstDayOfWeek = input.FirstDayOfWeek;
        household.MonthStartDay = input.MonthStartDay;
        household.Culture = input.Culture;
        await db.SaveChangesAsync(cancellationToken);
    }

    // Deleted (undo-able) transactions count too: their amounts are in the old currency's minor units.
    private static Task<bool> HasTransactionsAsync(AppDbContext db, CancellationToken cancellationToken) =>
        db.Transactions.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AnyAsync(cancellationToken);

    private static bool IsCulture(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        try
        {
            return !CultureInfo.GetCultureInfo(name, predefinedOnly: true).IsNeutralCulture;
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}

/// <summary>Per-user preferences stored on the user row (not household data).</summary>
public sealed class UserPreferencesService(IDbContextFactory<AppDbContext> dbFactory)
{
    public sealed record Preferences(bool DarkMode, bool IsAdministrator, string? Email);

    public async Task<Preferences> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new Preferences(u.DarkMode, u.IsAdministrator, u.Email))
            .FirstOrDefaultAsync(cancellationToken) ?? new Preferences(false, false, null);
    }

    public async Task SetDarkModeAsync(string userId, bool darkMode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DarkMode, darkMode), cancellationToken);
    }
}
