using System.Globalization;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace ExpenseTracker.Web.Features.Households;

/// <summary>The cultures a household can use for number and date display, and ISO 4217 currencies with names.</summary>
public static class HouseholdCultures
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "en-US", "en-GB", "en-CA", "en-AU", "en-IE", "de-DE", "de-AT", "de-CH", "fr-FR", "fr-BE", "fr-CH", "es-ES",
        "es-MX", "it-IT", "nl-NL", "nl-BE", "pt-PT", "pt-BR", "sv-SE", "da-DK", "nb-NO", "fi-FI", "pl-PL", "cs-CZ",
        "ja-JP",
    ];

    public const string Default = "en-US";

    public static bool IsSupported(string? name) => name is not null && Names.Contains(name, StringComparer.Ordinal);

    public static IReadOnlyList<(string Name, string Label)> Options { get; } =
        Names.Select(n => (n, CultureInfo.GetCultureInfo(n).NativeName)).ToList();

    private static readonly Lazy<IReadOnlyDictionary<string, string>> CurrencyNames = new(() =>
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            try
            {
                var region = new RegionInfo(culture.Name);
                names.TryAdd(region.ISOCurrencySymbol, region.CurrencyEnglishName);
            }
            catch (ArgumentException)
            {
                // A culture without a region: nothing to learn from it.
            }
        }

        return names;
    });

    /// <summary>Every ISO 4217 code of <see cref="Currencies"/>, labelled "EUR — Euro" where a name is known.</summary>
    public static IReadOnlyList<(string Code, string Label)> CurrencyOptions { get; } =
        Currencies.Codes.Select(c => (c, CurrencyNames.Value.TryGetValue(c, out var name) ? c + " — " + name : c)).ToList();

    /// <summary>The best supported culture for an Accept-Language header: an exact match, else the same language.</summary>
    public static string FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || !StringWithQualityHeaderValue.TryParseList([header], out var values))
        {
            return Default;
        }

        foreach (var value in values.Where(v => v.Quality is null or > 0).OrderByDescending(v => v.Quality ?? 1))
        {
            var tag = value.Value.ToString();
            var exact = Names.FirstOrDefault(n => string.Equals(n, tag, StringComparison.OrdinalIgnoreCase));
            if (exact is not null)
            {
                return exact;
            }

            var language = tag.Split('-')[0];
            var sameLanguage = Names.FirstOrDefault(n => n.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase));
            if (sameLanguage is not null)
            {
                return sameLanguage;
            }
        }

        return Default;
    }

    /// <summary>The currency of the culture's country, when it is one we know; else EUR.</summary>
    public static string DefaultCurrency(string culture)
    {
        try
        {
            var code = new RegionInfo(culture).ISOCurrencySymbol;
            return Currencies.IsKnown(code) ? code : "EUR";
        }
        catch (ArgumentException)
        {
            return "EUR";
        }
    }
}
