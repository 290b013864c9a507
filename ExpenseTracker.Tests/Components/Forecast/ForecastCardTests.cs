using Bunit;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Forecast;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Data;

namespace ExpenseTracker.Tests.Components.Forecast;

/// <summary>The dashboard's month-end card, with money in the household's culture.</summary>
public sealed class ForecastCardTests : MudComponentTest
{
    private MonthEndView View(bool lowConfidence, params MonthEndRow[] rows) =>
        new(new BudgetMonth(2026, 11), new DateOnly(2026, 11, 15), 16, Household.BaseCurrency,
            new MonthEndRow(null, "Total", null, rows.Sum(r => r.SpentMinor), rows.Sum(r => r.BillsDueMinor), rows.Sum(r => r.ExpectedVariableMinor),
                rows.Sum(r => r.ProjectedMinor), 1_000_00),
            rows, lowConfidence, lowConfidence ? 10 : 84);

    [Fact]
    public void ACategoryHeadingOverItsBudgetSaysByHowMuch()
    {
        var groceries = new MonthEndRow(1, "Groceries", "#2E7D32", 400_00, 0, 240_00, 640_00, 550_00);
        var transport = new MonthEndRow(2, "Transport", "#1565C0", 50_00, 30_00, 20_00, 100_00, 200_00);

        var card = Render<ForecastCardView>(p => p.Add(c => c.View, View(false, groceries, transport)).Add(c => c.Household, Household));

        var rows = card.FindAll("[data-testid=forecast-row]");
        Assert.Equal("true", rows[0].GetAttribute("data-over"));
        Assert.Contains($"{Household.FormatMoney(640_00)} of {Household.FormatMoney(550_00)} — {Household.FormatMoney(90_00)} over", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains($"{Household.FormatMoney(100_00)} under", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains(Household.FormatMoney(740_00), card.Find("[data-testid=forecast-projected]").TextContent, StringComparison.Ordinal);
        Assert.Contains(Household.FormatMoney(30_00) + " in bills still due", card.Find("[data-testid=forecast-parts]").TextContent, StringComparison.Ordinal);
        Assert.Empty(card.FindAll("[data-testid=forecast-low-confidence]"));
    }

    [Fact]
    public void LittleHistoryShowsALowConfidenceMarker()
    {
        var card = Render<ForecastCardView>(p => p.Add(c => c.View, View(true, new MonthEndRow(1, "Groceries", "#2E7D32", 10_00, 0, 5_00, 15_00, null)))
            .Add(c => c.Household, Household));

        Assert.Contains("Low confidence", card.Find("[data-testid=forecast-low-confidence]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCardProjectsTheHouseholdsRealSpending()
    {
        var db = AppServices.GetRequiredService<AppDbContext>();
        var groceries = await db.Categories.Where(c => c.Name == "Groceries").Select(c => c.Id).SingleAsync();
        var cash = await db.Accounts.Select(a => a.Id).FirstAsync();
        await AppServices.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
        {
            AmountMinor = 42_00, Date = new DateOnly(2026, 11, 2), AccountId = cash, Payee = "Market", Lines = [new LineInput(groceries, 42_00)],
        });

        var card = Render<ForecastCard>(p => p.AddCascadingValue(Household));

        card.WaitForAssertion(() => Assert.Contains(Household.FormatMoney(42_00) + " spent", card.Find("[data-testid=forecast-parts]").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(card.FindAll("[data-testid=forecast-low-confidence]"));
    }
}
