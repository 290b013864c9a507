using Bunit;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components;

/// <summary>The bills page over the real app: upcoming and overdue, paying with an adjusted amount, the calendar, candidates. Today is 2026-11-15.</summary>
public sealed class BillsPageTests : MudComponentTest
{
    public override async Task InitializeAsync()
    {
        // Registered first: the base class resolves services (ending registration), and AppServices exists only after it.
        Services.AddSingleton(_ => AppServices.GetRequiredService<BillService>());
        await base.InitializeAsync();
    }

    private async Task<Dictionary<string, long>> CategoriesAsync() =>
        await AppServices.GetRequiredService<AppDbContext>().Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);

    private async Task<long> AddBillAsync(string name, int day, long amount = 50_00)
    {
        var categories = await CategoriesAsync();
        return await AppServices.GetRequiredService<BillService>().AddAsync(new BillInput
        {
            Name = name, Payee = name, CategoryId = categories["Utilities"], AmountMinor = amount, DayOfMonth = day, Start = new DateOnly(2026, 11, 1),
        });
    }

    [Fact]
    public async Task AnOverdueBillStandsOutAndPayingItRecordsTheAdjustedAmount()
    {
        await AddBillAsync("Water", 16, 40_00);
        await AddBillAsync("Phone", 20);
        App.Time.Advance(TimeSpan.FromDays(2));

        var dialogs = Render<MudDialogProvider>();
        var page = Render<BillsPage>(p => p.AddCascadingValue(Household));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=upcoming-bill]").Count));

        var overdue = page.Find("[data-testid=upcoming-bill][data-overdue=true]");
        Assert.Contains("Water", overdue.TextContent, StringComparison.Ordinal);
        Assert.NotNull(overdue.QuerySelector("[data-testid=overdue-chip]"));
        Assert.Single(page.FindAll("[data-testid=overdue-chip]"));
        Assert.Single(page.FindAll(".bill-day.has-overdue"));

        overdue.QuerySelector("[data-testid=bill-pay]")!.Click();
        dialogs.WaitForElement("#pay-amount").Change(Money.FormatPlain(43_21, Household.BaseCurrency, Household.CultureInfo));
        dialogs.Find("#pay-form").Submit();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=overdue-chip]")));
        var db = AppServices.GetRequiredService<AppDbContext>();
        var paid = await db.Transactions.AsNoTracking().SingleAsync(t => t.Source == TransactionSource.Bill);
        Assert.Equal((43_21, new DateOnly(2026, 11, 17)), (paid.AmountMinor, paid.Date));
    }

    [Fact]
    public async Task TheCalendarShowsTheMonthsBillsAndTheArrowsMoveIt()
    {
        await AddBillAsync("Rent", 31);

        var page = Render<BillsPage>(p => p.AddCascadingValue(Household));
        page.WaitForElement("[data-testid=calendar-month]");
        Assert.Equal("2026-11-30", page.Find("[data-testid=calendar-day-with-bills]").GetAttribute("data-date"));

        page.Find("[data-testid=calendar-prev]").Click();
        page.Find("[data-testid=calendar-prev]").Click();
        page.Find("[data-testid=calendar-prev]").Click();
        page.Find("[data-testid=calendar-next]").Click();
        page.Find("[data-testid=calendar-next]").Click();
        page.Find("[data-testid=calendar-next]").Click();
        page.Find("[data-testid=calendar-next]").Click();
        page.Find("[data-testid=calendar-next]").Click();
        page.Find("[data-testid=calendar-next]").Click();

        page.WaitForAssertion(() => Assert.Contains("February", page.Find("[data-testid=calendar-month]").TextContent, StringComparison.Ordinal));
        Assert.Equal("2027-02-28", page.Find("[data-testid=calendar-day-with-bills]").GetAttribute("data-date"));
    }

    [Fact]
    public async Task ARecurringExpenseIsOfferedAndCreateBillFillsTheDialog()
    {
        var categories = await CategoriesAsync();
        var expenses = AppServices.GetRequiredService<ExpenseService>();
        var account = await AppServices.GetRequiredService<AppDbContext>().Accounts.Select(a => a.Id).FirstAsync();
        foreach (var month in new[] { 8, 9, 10, 11 })
        {
            await expenses.CreateAsync(new ExpenseInput
            {
                AmountMinor = 19_99, Date = new DateOnly(2026, month, 3), Payee = "Gym Pro", AccountId = account,
                Lines = [new LineInput(categories["Health"], 19_99)],
            });
        }

        var dialogs = Render<MudDialogProvider>();
        var page = Render<BillsPage>(p => p.AddCascadingValue(Household));
        page.WaitForElement("[data-testid=bill-candidate]").QuerySelector("[data-testid=candidate-create]")!.Click();
        dialogs.WaitForElement("#bill-form").Submit();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=bill-candidate]")));
        var bill = Assert.Single(await AppServices.GetRequiredService<BillService>().ListAsync());
        Assert.Equal(("Gym Pro", 19_99, new DateOnly(2026, 12, 3)), (bill.Name, bill.AmountMinor, bill.NextDue));
    }

    [Fact]
    public async Task AViewerSeesBillsWithoutAddPayOrEditButtons()
    {
        await AddBillAsync("Water", 16);
        var viewer = Household with { Role = MemberRole.Viewer };
        AppServices.GetRequiredService<HouseholdScope>().Set(Household.Id, Household.MemberId, null, MemberRole.Viewer);

        var page = Render<BillsPage>(p => p.AddCascadingValue(viewer));

        page.WaitForElement("[data-testid=upcoming-bill]");
        Assert.Empty(page.FindAll("[data-testid=bill-add]"));
        Assert.Empty(page.FindAll("[data-testid=bill-pay]"));
        Assert.Empty(page.FindAll("[data-testid=bill-edit]"));
    }
}
