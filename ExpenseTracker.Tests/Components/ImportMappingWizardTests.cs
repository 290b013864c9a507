using System.Text;
using Bunit;
using ExpenseTracker.Tests.Unit.Import;
using ExpenseTracker.Web.Features.Import.Mapping;
using ExpenseTracker.Web.Features.Import.Readers;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Components;

public sealed class ImportMappingWizardTests : MudComponentTest
{
    private const string GermanCsv = "Buchungstag;Empfänger;Betrag;Verwendungszweck\n05.01.2024;Bäcker;-3,20;Brötchen\n16.01.2024;Miete;-1.234,56;Januar\n";

    public override async Task InitializeAsync()
    {
        // Registered before the base renders anything (bUnit refuses registrations after that); resolved lazily.
        Services.AddSingleton(_ => AppServices.GetRequiredService<ImportProfileService>());
        await base.InitializeAsync();
    }

    private IRenderedComponent<ImportMappingWizard> RenderWizard(byte[] content, string fileName, Action<MappingChosen> chosen) =>
        Render<ImportMappingWizard>(p => p
            .Add(w => w.Content, content)
            .Add(w => w.FileName, fileName)
            .Add(w => w.OnContinue, chosen)
            .AddCascadingValue(Household));

    private static void Map(IRenderedComponent<ImportMappingWizard> wizard, int column, string meaning) =>
        wizard.Find($"[data-testid=column-meaning][data-column='{column}']").Change(meaning);

    private static List<string> Meanings(IRenderedComponent<ImportMappingWizard> wizard) =>
        wizard.FindAll("[data-testid=column-meaning]").Select(s => s.GetAttribute("value") ?? "").ToList();

    [Fact]
    public void TheSampleIsShownWithTheGuessedMeaningsAndHowTheFirstDatesParse()
    {
        var wizard = RenderWizard(Encoding.UTF8.GetBytes(GermanCsv), "umsatz.csv", _ => { });

        wizard.WaitForElement("[data-testid=wizard-row]");
        Assert.Equal(["Buchungstag", "Empfänger", "Betrag", "Verwendungszweck"], wizard.FindAll("[data-testid=wizard-column-name]").Select(c => c.TextContent));
        Assert.Equal(["Date", "Payee", "Amount", "Notes"], Meanings(wizard));
        Assert.Equal(2, wizard.FindAll("[data-testid=wizard-row]").Count);
        Assert.Equal(";", wizard.Find("[data-testid=wizard-delimiter]").GetAttribute("value"));
        Assert.Equal("utf-8", wizard.Find("[data-testid=wizard-encoding]").GetAttribute("value"));
        Assert.Equal("d.M.yyyy", wizard.Find("[data-testid=wizard-date-format]").GetAttribute("value"));
        Assert.Equal(",", wizard.Find("[data-testid=wizard-decimal]").GetAttribute("value"));
        var dates = wizard.Find("[data-testid=wizard-date-preview]").TextContent;
        Assert.Contains("05.01.2024 → 5 Jan 2024", dates, StringComparison.Ordinal);
        Assert.Contains("16.01.2024 → 16 Jan 2024", dates, StringComparison.Ordinal);
        Assert.Contains("2 rows", wizard.Find("[data-testid=wizard-summary]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUserMapsDebitAndCreditColumnsPicksTheFormatsAndGetsReaderOptionsThatReadTheFile()
    {
        var csv = "When,Text,Out,In\n03/04/2024,Rent,\"1.200,00\",\n04/04/2024,Salary,,\"2.500,50\"\n";
        MappingChosen? chosen = null;
        var wizard = RenderWizard(Encoding.UTF8.GetBytes(csv), "bank.csv", c => chosen = c);
        wizard.WaitForElement("[data-testid=wizard-row]");

        Map(wizard, 1, "Payee");
        Map(wizard, 2, "Debit");
        Map(wizard, 3, "Credit");
        wizard.Find("[data-testid=wizard-date-format]").Change("d/M/yyyy");
        wizard.Find("[data-testid=wizard-decimal]").Change(",");
        Assert.Contains("3 Apr 2024", wizard.Find("[data-testid=wizard-date-preview]").TextContent, StringComparison.Ordinal);
        wizard.Find("[data-testid=wizard-continue]").Click();

        wizard.WaitForAssertion(() => Assert.NotNull(chosen));
        var m = chosen!.Options.CsvMapping!;
        Assert.Equal((0, 1, 2, 3, (int?)null), (m.Date, m.Payee, m.Debit, m.Credit, m.Amount));
        Assert.Equal(("d/M/yyyy", ',', ',', true), (m.DateFormat, m.DecimalSeparator, m.Delimiter, m.HasHeader));
        var entries = StatementReaders.Read(Encoding.UTF8.GetBytes(csv), "bank.csv", chosen.Options).AllEntries.ToList();
        Assert.Equal([(new DateOnly(2024, 4, 3), -1200.00m, "Rent"), (new DateOnly(2024, 4, 4), 2500.50m, "Salary")], entries.Select(e => (e.Date, e.Amount, e.Payee!)));
    }

    [Fact]
    public void WithoutADateColumnTheWizardSaysWhatIsMissingAndWillNotContinue()
    {
        var wizard = RenderWizard(Encoding.UTF8.GetBytes(GermanCsv), "umsatz.csv", _ => Assert.Fail("must not continue"));
        wizard.WaitForElement("[data-testid=wizard-row]");

        Map(wizard, 0, "Ignore");

        Assert.Equal("Choose which column holds the date.", wizard.Find("[data-testid=wizard-problem]").TextContent);
        Assert.True(wizard.Find("[data-testid=wizard-continue]").HasAttribute("disabled"));
    }

    [Fact]
    public void AMeaningBelongsToOneColumnAndASignedAmountReplacesDebitAndCredit()
    {
        var wizard = RenderWizard(Encoding.UTF8.GetBytes(GermanCsv), "umsatz.csv", _ => { });
        wizard.WaitForElement("[data-testid=wizard-row]");

        Map(wizard, 3, "Payee");
        Map(wizard, 1, "Debit");

        Assert.Equal(["Date", "Debit", "Ignore", "Payee"], Meanings(wizard));
    }

    [Fact]
    public void ChangingTheEncodingReadsTheFileAgain()
    {
        MappingChosen? chosen = null;
        var wizard = RenderWizard(Encoding.UTF8.GetBytes(GermanCsv), "umsatz.csv", c => chosen = c);
        wizard.WaitForElement("[data-testid=wizard-row]");

        wizard.Find("[data-testid=wizard-encoding]").Change("windows-1252");

        Assert.Equal("EmpfÃ¤nger", wizard.FindAll("[data-testid=wizard-column-name]")[1].TextContent);
        wizard.Find("[data-testid=wizard-continue]").Click();
        wizard.WaitForAssertion(() => Assert.Equal(1252, chosen?.Options.Encoding?.CodePage));
    }

    [Fact]
    public void ASavedProfileIsOfferedFirstAndAppliedToAFileWithTheSameHeaders()
    {
        var csv = "Date,Who,Value,Ref\n2024-02-01,Shop,-5.00,A1\n";
        MappingChosen? first = null;
        var wizard = RenderWizard(Encoding.UTF8.GetBytes(csv), "a.csv", c => first = c);
        wizard.WaitForElement("[data-testid=wizard-row]");
        Map(wizard, 1, "Payee");
        Map(wizard, 3, "Reference");
        wizard.Find("[data-testid=profile-name]").Input("My bank");
        wizard.Find("[data-testid=wizard-continue]").Click();
        wizard.WaitForAssertion(() => Assert.Equal("My bank", first?.ProfileName));

        var next = RenderWizard(Encoding.UTF8.GetBytes(csv.Replace("Shop", "Cafe", StringComparison.Ordinal)), "b.csv", _ => { });
        next.WaitForElement("[data-testid=profile-picker]");

        var picker = next.Find("[data-testid=profile-picker]");
        Assert.Contains("My bank (fits this file)", picker.TextContent, StringComparison.Ordinal);
        Assert.NotEqual("", picker.GetAttribute("value"));
        Assert.Equal(["Date", "Payee", "Amount", "Reference"], Meanings(next));
    }

    [Fact]
    public void AWorkbookOffersItsSheetsAndReadsTheChosenOne()
    {
        var bytes = XlsxFiles.Workbook(
            ("Card", [["Date", "Payee", "Amount"], [new DateTime(2024, 5, 6), "Cinema", -9.99]]),
            ("Savings", [["Booked", "Interest"], [new DateTime(2024, 1, 1), 1.5], [new DateTime(2024, 2, 1), 1.6]]));
        MappingChosen? chosen = null;
        var wizard = RenderWizard(bytes, "book.xlsx", c => chosen = c);
        wizard.WaitForElement("[data-testid=wizard-sheet]");
        Assert.Empty(wizard.FindAll("[data-testid=wizard-encoding]"));

        wizard.Find("[data-testid=wizard-sheet]").Change("Savings");

        Assert.Equal(["Booked", "Interest"], wizard.FindAll("[data-testid=wizard-column-name]").Select(c => c.TextContent));
        Assert.Equal(2, wizard.FindAll("[data-testid=wizard-row]").Count);
        Map(wizard, 1, "Amount");
        wizard.Find("[data-testid=wizard-continue]").Click();
        wizard.WaitForAssertion(() => Assert.Equal("Savings", chosen?.Options.SheetName));
        Assert.Equal(2, StatementReaders.Read(bytes, "book.xlsx", chosen!.Options).AllEntries.Count());
    }

    [Fact]
    public void BinaryJunkIsRefusedInPlainWords()
    {
        var junk = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7 % 256)).ToArray();

        var wizard = RenderWizard(junk, "x.csv", _ => { });

        Assert.Contains("binary", wizard.Find("[data-testid=wizard-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(wizard.FindAll("[data-testid=wizard-continue]"));
    }
}
