using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Import.Mapping;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.ImportProfiles;

public sealed class ImportProfileServiceTests
{
    private static readonly CsvMapping BankMapping = new()
    {
        Date = 0, Payee = 1, Debit = 2, Credit = 3, Reference = 4, HasHeader = true, Delimiter = ';', DateFormat = "d.M.yyyy", DecimalSeparator = ',',
    };

    private static ImportProfileService Service(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<ImportProfileService>();

    [ProviderTheory]
    public async Task AProfileRoundTripsItsMappingHeadersEncodingSheetAndAccount(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var family = await Family.CreateAsync(app);

        await using var scope = family.As("Ben");
        var headers = new[] { "Buchungstag", "Empfänger", "Soll", "Haben", "Referenz" };

        await Service(scope).SaveAsync(new ImportProfileInput("Sparkasse", BankMapping, headers, "windows-1252", "Umsätze", family.CashAccountId));

        var profile = Assert.Single(await Service(scope).ListAsync());
        Assert.Equal("Sparkasse", profile.Name);
        Assert.Equal(BankMapping, profile.Mapping);
        Assert.Equal(headers, profile.Headers);
        Assert.Equal(("windows-1252", "Umsätze", (long?)family.CashAccountId), (profile.Profile.EncodingName, profile.Profile.SheetName, profile.AccountId));
        var options = ImportProfileService.ToOptions(profile);
        Assert.Equal(1252, options.Encoding?.CodePage);
        Assert.Equal("Umsätze", options.SheetName);
    }

    [ProviderTheory]
    public async Task TheStoredJsonStillReadsAsAPlainCsvMapping(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var family = await Family.CreateAsync(app);

        await using var scope = family.As("Ana");
        await Service(scope).SaveAsync(new ImportProfileInput("Bank", BankMapping, ["a", "b"], null, null, null));

        var json = await scope.ServiceProvider.GetRequiredService<AppDbContext>().ImportProfiles.Select(p => p.MappingJson).SingleAsync();

        Assert.Equal(BankMapping, System.Text.Json.JsonSerializer.Deserialize<CsvMapping>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
    }

    [ProviderTheory]
    public async Task SavingUnderAnExistingNameReplacesThatProfile(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var family = await Family.CreateAsync(app);

        await using var scope = family.As("Ana");
        var first = await Service(scope).SaveAsync(new ImportProfileInput("ING", BankMapping, null, null, null, null));

        var second = await Service(scope).SaveAsync(new ImportProfileInput(" ing ", BankMapping with { Delimiter = ',' }, null, null, null, null));

        Assert.Equal(first, second);
        var profile = Assert.Single(await Service(scope).ListAsync());
        Assert.Equal((',', "ing"), (profile.Mapping.Delimiter, profile.Name));
    }

    [ProviderTheory]
    public async Task AProfileRemembersTheAccountItsFileWentInto(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var family = await Family.CreateAsync(app);

        await using var scope = family.As("Ben");
        await Service(scope).SaveAsync(new ImportProfileInput("Giro", BankMapping, null, null, null, null));

        await Service(scope).SetAccountAsync("GIRO", family.CashAccountId);

        Assert.Equal(family.CashAccountId, Assert.Single(await Service(scope).ListAsync()).AccountId);
        await Assert.ThrowsAsync<NotFoundException>(() => Service(scope).SetAccountAsync("Giro", 999_999));
        await Assert.ThrowsAsync<NotFoundException>(() => Service(scope).SetAccountAsync("Nobody", family.CashAccountId));
    }

    [ProviderTheory]
    public async Task TheProfileThatFitsTheHeadersComesFirst(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var family = await Family.CreateAsync(app);

        await using var scope = family.As("Ana");
        await Service(scope).SaveAsync(new ImportProfileInput("Alpha bank", BankMapping, ["Date", "Text", "Sum"], null, null, null));
        await Service(scope).SaveAsync(new ImportProfileInput("Beta bank", BankMapping, ["Buchungstag", "Empfänger", "Betrag"], null, null, null));
        await Service(scope).SaveAsync(new ImportProfileInput("Gamma bank", BankMapping, ["Date", "Payee", "Amount"], null, null, null));

        var ordered = ImportProfileService.ByFit(await Service(scope).ListAsync(), ["buchungstag", "Empfanger", "Betrag"]);

        Assert.Equal(["Beta bank", "Alpha bank", "Gamma bank"], ordered.Select(p => p.Name));
    }

    [ProviderTheory]
    public async Task BadInputIsRefusedWithAClearMessageAndNothingIsSaved(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var family = await Family.CreateAsync(app);

        await using var scope = family.As("Ana");
        var service = Service(scope);

        var blank = await Assert.ThrowsAsync<FieldValidationException>(() => service.SaveAsync(new ImportProfileInput("  ", BankMapping, null, null, null, null)));
        var encoding = await Assert.ThrowsAsync<FieldValidationException>(() => service.SaveAsync(new ImportProfileInput("X", BankMapping, null, "klingon-8", null, null)));
        var account = await Assert.ThrowsAsync<FieldValidationException>(() => service.SaveAsync(new ImportProfileInput("X", BankMapping, null, null, null, 999_999)));

        Assert.Contains("name", blank.Message, StringComparison.Ordinal);
        Assert.Contains("klingon-8", encoding.Message, StringComparison.Ordinal);
        Assert.Contains("account", account.Message, StringComparison.Ordinal);
        Assert.Empty(await service.ListAsync());
    }

    [ProviderTheory]
    [InlineData("Vic")]
    [InlineData("Kim")]
    public async Task ViewersAndChildrenCannotSaveOrDeleteProfiles(DatabaseProvider provider, string person)
    {
        await using var app = new TestApp(provider);
        var family = await Family.CreateAsync(app);

        long id;
        await using (var owner = family.As("Ana"))
        {
            id = await Service(owner).SaveAsync(new ImportProfileInput("Bank", BankMapping, null, null, null, null));
        }

        await using var scope = family.As(person);
        await Assert.ThrowsAsync<HouseholdAccessException>(() => Service(scope).SaveAsync(new ImportProfileInput("Mine", BankMapping, null, null, null, null)));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => Service(scope).DeleteAsync(id));
        Assert.Single(await Service(scope).ListAsync());
    }

    [ProviderTheory]
    public async Task AMemberDeletesAProfileAndAnotherHouseholdNeverSeesOrDeletesIt(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var family = await Family.CreateAsync(app);

        long id;
        await using (var ben = family.As("Ben"))
        {
            id = await Service(ben).SaveAsync(new ImportProfileInput("Bank", BankMapping, null, null, null, null));
        }

        var (stranger, household, memberId) = await app.CreateUserWithHouseholdAsync("eve@example.com");
        await using (var other = app.ScopeFor(household.Id, memberId, MemberRole.Owner, stranger.Id))
        {
            Assert.Empty(await Service(other).ListAsync());
            await Assert.ThrowsAsync<NotFoundException>(() => Service(other).DeleteAsync(id));
        }

        await using var scope = family.As("Ben");
        await Service(scope).DeleteAsync(id);
        Assert.Empty(await Service(scope).ListAsync());
    }
}
