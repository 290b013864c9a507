using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Identity;

namespace ExpenseTracker.Tests.Unit.Identity;

public sealed class HouseholdCulturesTests
{
    [Theory]
    [InlineData("de-DE,de;q=0.9,en;q=0.5", "de-DE")]
    [InlineData("en-GB,en;q=0.8", "en-GB")]
    [InlineData("fr-CA,fr;q=0.9", "fr-FR")]
    [InlineData("ja", "ja-JP")]
    [InlineData("xx-YY", "en-US")]
    [InlineData("", "en-US")]
    [InlineData("en;q=0.1,it-IT;q=0.9", "it-IT")]
    public void TheRegisterPageSuggestsTheBestCultureForTheBrowsersLanguages(string acceptLanguage, string expected) =>
        Assert.Equal(expected, HouseholdCultures.FromAcceptLanguage(acceptLanguage));

    [Theory]
    [InlineData("de-DE", "EUR")]
    [InlineData("ja-JP", "JPY")]
    [InlineData("en-GB", "GBP")]
    [InlineData("en-US", "USD")]
    public void TheSuggestedCurrencyIsTheCulturesCountrysCurrency(string culture, string currency) =>
        Assert.Equal(currency, HouseholdCultures.DefaultCurrency(culture));

    [Fact]
    public void TheRequiredCulturesAreOffered() =>
        Assert.Superset(new HashSet<string>(["en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "ja-JP"]), HouseholdCultures.Names.ToHashSet());

    [Fact]
    public void EveryCurrencyOptionIsAnIso4217CodeWithANameWhereKnown()
    {
        Assert.Contains(HouseholdCultures.CurrencyOptions, o => o.Code == "EUR" && o.Label == "EUR — Euro");
        Assert.All(HouseholdCultures.CurrencyOptions, o => Assert.StartsWith(o.Code, o.Label));
    }
}

public sealed class AdminCommandParsingTests
{
    [Fact]
    public void OptionsAcceptBothSpaceAndEqualsForms()
    {
        Assert.True(AdminCommands.TryParse(["user", "create", "--email=a@example.com", "--currency", "USD", "--admin"], out var command, out var options, out _));
        Assert.Equal("create", command);
        Assert.Equal("a@example.com", options["email"]);
        Assert.Equal("USD", options["currency"]);
        Assert.True(options.ContainsKey("admin"));
    }

    [Fact]
    public void OnlyUserCommandsAreAdminCommands()
    {
        Assert.True(AdminCommands.IsCommand(["user", "list"]));
        Assert.False(AdminCommands.IsCommand(["--seed-demo"]));
        Assert.False(AdminCommands.IsCommand([]));
    }
}
