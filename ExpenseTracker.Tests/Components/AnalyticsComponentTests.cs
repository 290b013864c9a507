using Bunit;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Interop;

namespace ExpenseTracker.Tests.Components;

/// <summary>The analytics page's charts: the trend's average over its bars, clicks that drill down, tables made of links.</summary>
public sealed class AnalyticsComponentTests : MudComponentTest
{
    private Dictionary<string, long> categories = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        categories = await AppServices.GetRequiredService<AppDbContext>().Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);
        await AddAsync("Groceries", 80_00, new DateOnly(2026, 10, 4));
        await AddAsync("Transport", 20_00, new DateOnly(2026, 10, 9));
        await AddAsync("Groceries", 42_10, new DateOnly(2026, 11, 2));
        await AddAsync("Transport", 55_00, new DateOnly(2026, 11, 3));
        await AddAsync(null, 1_000_00, new DateOnly(2026, 11, 5), TransactionKind.Income);
    }

    /// <summary>
    /// Renders the page; the axis charts fill their box and draw once the browser reports its size, which (as over a
    /// circuit) comes after the first renders.
    /// </summary>
    private async Task<IRenderedComponent<AnalyticsPage>> RenderPageAsync()
    {
        var size = JSInterop.Setup<ElementSize>("mudObserveElementSize", _ => true);
        Render<MudPopoverProvider>();
        var page = Render<AnalyticsPage>(p => p.AddCascadingValue(Household));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=analytics-charts]")), TimeSpan.FromSeconds(10));
        await page.InvokeAsync(() => size.SetResult(new ElementSize { Width = 700, Height = 300 }));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=chart-trend] .mud-charts-stackedbar-series path")), TimeSpan.FromSeconds(10));
        return page;
    }

    [Fact]
    public async Task TheTrendDrawsItsAverageAsALineInsideTheStackedBarChart()
    {
        var page = await RenderPageAsync();

        var svg = Assert.Single(page.FindAll("[data-testid=chart-trend] svg"), s => s.QuerySelector(".mud-charts-stackedbar-series") is not null);
        Assert.NotEmpty(svg.QuerySelectorAll(".mud-charts-stackedbar-series path"));
        var line = Assert.Single(svg.QuerySelectorAll(".mud-charts-line-series path.mud-chart-line"));
        Assert.Equal(AnalyticsView.TrendCharts.AverageColor, line.GetAttribute("stroke"), ignoreCase: true);
        Assert.Empty(page.FindAll("[data-testid=chart-trend] h3"));
        // Twelve months to November 2026; the eleven complete ones hold 100.00 (October): 9.09 a month.
        Assert.Contains(Household.FormatMoney(9_09), page.Find("[data-testid=trend-average-note]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClickingADonutSegmentOpensTheListOfThatCategory()
    {
        var page = await RenderPageAsync();
        var navigation = Services.GetRequiredService<NavigationManager>();

        // Segments follow the slices: the largest (Groceries, 122.10 over the period) first.
        var segments = page.FindAll("[data-testid=chart-by-category] svg path[fill]").Where(p => p.HasAttribute("blazor:onclick")).ToList();
        Assert.Equal(2, segments.Count);
        segments[0].Click();

        var uri = new Uri(navigation.Uri);
        Assert.EndsWith("/expenses", uri.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains($"cat={categories["Groceries"]}", uri.Query, StringComparison.Ordinal);
        Assert.Contains("kind=expense,refund", Uri.UnescapeDataString(uri.Query), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ClickingTheIncomeSeriesOpensThePeriodsIncome()
    {
        var page = await RenderPageAsync();
        var navigation = Services.GetRequiredService<NavigationManager>();

        // Find and click in one renderer turn: a re-render in between (the page's live updates) leaves a stale handler.
        await page.InvokeAsync(() =>
        {
            var bars = page.FindAll("[data-testid=chart-income] svg path.mud-chart-bar");
            Assert.NotEmpty(bars);
            bars.First(b => b.GetAttribute("fill") == "#43a047").Click();
        });

        var query = Uri.UnescapeDataString(new Uri(navigation.Uri).Query);
        Assert.Contains("kind=income", query, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cat=", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryNumberInEveryChartTableIsALinkToTheExpenseList()
    {
        var page = await RenderPageAsync();

        foreach (var card in page.FindAll("[data-testid=analytics-charts] > [data-testid^=chart-]").Select(c => c.GetAttribute("data-testid")!).ToList())
        {
            if (page.FindAll($"[data-testid={card}] [data-testid=table-toggle]").Count > 0)
            {
                await page.InvokeAsync(() => page.Find($"[data-testid={card}] [data-testid=table-toggle]").Click());
            }

            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-testid={card}] [data-testid=chart-table]")), TimeSpan.FromSeconds(10));
            var table = page.Find($"[data-testid={card}] [data-testid=chart-table]");
            var cells = table.QuerySelectorAll("td, tbody th");
            Assert.NotEmpty(cells);
            // "–" marks a day after today or a missing pace: no number, nothing to list.
            Assert.All(cells.Where(c => c.TextContent.Trim() != "–"), c => Assert.NotNull(c.QuerySelector("a[href^='expenses?']")));
        }
    }

    private async Task AddAsync(string? category, long amountMinor, DateOnly date, TransactionKind kind = TransactionKind.Expense)
    {
        var db = AppServices.GetRequiredService<AppDbContext>();
        var account = await db.Accounts.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        await AppServices.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
        {
            Kind = kind,
            AmountMinor = amountMinor,
            Date = date,
            AccountId = account,
            Payee = "Shop",
            Lines = category is null ? [] : [new LineInput(categories[category], amountMinor)],
        });
    }
}
