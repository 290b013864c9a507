using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Expenses;

/// <summary>One household with a small, varied history, shared by the read-only filter tests (a SQLite class fixture).</summary>
public sealed class FilterHousehold : IAsyncLifetime
{
    private readonly TestApp app;

    public FilterHousehold()
        : this(new TestApp())
    {
    }

    /// <summary>The same household on another engine (the search tests keep one per engine).</summary>
    internal FilterHousehold(DatabaseProvider provider)
        : this(new TestApp(provider))
    {
    }

    private FilterHousehold(TestApp app) => this.app = app;

    /// <summary>The same household seeded in <paramref name="app"/>, which the caller disposes.</summary>
    public static async Task<FilterHousehold> SeedAsync(TestApp app)
    {
        var household = new FilterHousehold(app);
        await household.InitializeAsync();
        return household;
    }

    public TestHousehold Home { get; private set; } = null!;
    public long Visa { get; private set; }
    public long Checking { get; private set; }
    public long Sam { get; private set; }
    public Dictionary<string, long> Ids { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        var home = Home = await TestHousehold.CreateAsync(app, "ana@example.com");
        var visa = Visa = await home.AddAccountAsync("Visa", AccountKind.CreditCard);
        var checking = Checking = await home.AddAccountAsync("Checking", AccountKind.Checking);
        var sam = Sam = await home.AddMemberAsync("Sam");
        var ids = Ids;
        var groceries = home.Categories["Groceries"];

        ids["cafe"] = await home.AddExpenseAsync(home.Expense(1_000, date: new DateOnly(2026, 10, 1), payee: "Café Zürich") with { Tags = ["weekly"] });
        ids["dinner"] = await home.AddExpenseAsync(home.Expense(5_000, "Dining out", new DateOnly(2026, 10, 15), "Luigi's") with
        {
            AccountId = visa,
            PaidByMemberId = sam,
            Notes = "Birthday dinner with Crème brûlée",
        });
        ids["refund"] = await home.AddExpenseAsync(home.Expense(800, date: new DateOnly(2026, 10, 20), payee: "Corner shop") with { Kind = TransactionKind.Refund });
        ids["salary"] = await home.AddExpenseAsync(new ExpenseInput
        {
            Kind = TransactionKind.Income,
            AmountMinor = 300_000,
            Date = new DateOnly(2026, 10, 25),
            AccountId = checking,
            Payee = "Employer",
        });
        ids["transfer"] = await home.AddExpenseAsync(new ExpenseInput
        {
            Kind = TransactionKind.Transfer,
            AmountMinor = 20_000,
            Date = new DateOnly(2026, 10, 27),
            AccountId = checking,
            ToAccountId = visa,
        });
        ids["split"] = await home.AddExpenseAsync(new ExpenseInput
        {
            AmountMinor = 6_000,
            Date = new DateOnly(2026, 11, 2),
            AccountId = visa,
            Payee = "SuperSave",
            Lines = [new LineInput(home.Categories["Shopping"], 2_000), new LineInput(groceries, 4_000)],
        });
        ids["bus"] = await home.AddExpenseAsync(home.Expense(1_500, "Transport", new DateOnly(2026, 9, 30), "City Transit"));
    }

    public async Task DisposeAsync() => await app.DisposeAsync();
}

/// <summary>The <see cref="FilterHousehold"/> on each provider, for provider theories.</summary>
public sealed class FilterHouseholds : ProviderFixture<FilterHousehold>
{
    protected override Task<FilterHousehold> SeedAsync(TestApp app) => FilterHousehold.SeedAsync(app);
}

/// <summary>
/// Each filter of the expense list must pick exactly the expected rows, and the spending total must count
/// Expense − Refund (never income or transfers). These tests only read, so they share one household.
/// </summary>
public sealed class ExpenseFilterTests(FilterHouseholds households) : IClassFixture<FilterHouseholds>
{
    private FilterHousehold data = null!;
    private TestHousehold home = null!;
    private long visa;
    private long sam;
    private Dictionary<string, long> ids = null!;

    /// <summary>Picks the shared household on <paramref name="provider"/>; each test starts with it.</summary>
    private async Task OnAsync(DatabaseProvider provider)
    {
        data = await households.ForAsync(provider);
        (home, visa, sam, ids) = (data.Home, data.Visa, data.Sam, data.Ids);
    }

    private async Task<(string[] Names, long Spending, int Count)> ListAsync(ExpenseFilter filter)
    {
        var page = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(filter, 0, 50)));
        var names = page.Items.Select(i => ids.Single(x => x.Value == i.Id).Key).Order(StringComparer.Ordinal).ToArray();
        return (names, page.SpendingMinor, page.TotalCount);
    }

    [ProviderTheory]
    public async Task WithoutFiltersSpendingIsExpensesMinusRefundsAndIgnoresIncomeAndTransfers(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (names, spending, count) = await ListAsync(new ExpenseFilter());
        Assert.Equal(7, count);
        Assert.Equal(7, names.Length);
        Assert.Equal(1_000 + 5_000 - 800 + 6_000 + 1_500, spending);
    }

    [ProviderTheory]
    public async Task ADateRangeKeepsOnlyExpensesOnOrBetweenItsDays(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (names, spending, _) = await ListAsync(new ExpenseFilter { From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 10, 31) });
        Assert.Equal(["cafe", "dinner", "refund", "salary", "transfer"], names);
        Assert.Equal(1_000 + 5_000 - 800, spending);
    }

    [ProviderTheory]
    public async Task ACategoryFilterTotalsOnlyTheMatchingLinesOfASplit(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (names, spending, _) = await ListAsync(new ExpenseFilter { CategoryIds = [home.Categories["Groceries"]] });
        Assert.Equal(["cafe", "refund", "split"], names);
        Assert.Equal(1_000 - 800 + 4_000, spending);

        var (shopping, shoppingSpending, _) = await ListAsync(new ExpenseFilter { CategoryIds = [home.Categories["Shopping"]] });
        Assert.Equal(["split"], shopping);
        Assert.Equal(2_000, shoppingSpending);
    }

    [ProviderTheory]
    public async Task SeveralCategoriesTogetherCountEachMatchingLineOnce(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (names, spending, _) = await ListAsync(new ExpenseFilter { CategoryIds = [home.Categories["Groceries"], home.Categories["Shopping"]] });
        Assert.Equal(["cafe", "refund", "split"], names);
        Assert.Equal(1_000 - 800 + 6_000, spending);
    }

    [ProviderTheory]
    public async Task ATagFilterKeepsTheTaggedExpenses(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (names, spending, _) = await ListAsync(new ExpenseFilter { TagIds = [await TagIdAsync("weekly")] });
        Assert.Equal(["cafe"], names);
        Assert.Equal(1_000, spending);
    }

    [ProviderTheory]
    public async Task AMemberFilterKeepsWhatThatMemberPaid(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (names, _, _) = await ListAsync(new ExpenseFilter { MemberIds = [sam] });
        Assert.Equal(["dinner"], names);
        var (owner, _, _) = await ListAsync(new ExpenseFilter { MemberIds = [home.OwnerMemberId] });
        Assert.Equal(6, owner.Length);
    }

    [ProviderTheory]
    public async Task AnAccountFilterIncludesTransfersIntoThatAccount(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (names, spending, _) = await ListAsync(new ExpenseFilter { AccountIds = [visa] });
        Assert.Equal(["dinner", "split", "transfer"], names);
        Assert.Equal(5_000 + 6_000, spending);
    }

    [ProviderTheory]
    public async Task AKindFilterShowsOnlyThatKind(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (refunds, refundTotal, _) = await ListAsync(new ExpenseFilter { Kinds = [TransactionKind.Refund] });
        Assert.Equal(["refund"], refunds);
        Assert.Equal(-800, refundTotal);

        var (income, incomeSpending, _) = await ListAsync(new ExpenseFilter { Kinds = [TransactionKind.Income, TransactionKind.Transfer] });
        Assert.Equal(["salary", "transfer"], income);
        Assert.Equal(0, incomeSpending);
    }

    [ProviderTheory]
    [InlineData("cafe zurich", "cafe")]
    [InlineData("CAFÉ", "cafe")]
    [InlineData("zür", "cafe")]
    [InlineData("creme brulee", "dinner")]
    [InlineData("BIRTHDAY", "dinner")]
    [InlineData("supersave", "split")]
    public async Task TextSearchFindsPayeesAndNotesIgnoringAccentsAndCase(DatabaseProvider provider, string text, string expected)
    {
        await OnAsync(provider);
        var (names, _, _) = await ListAsync(new ExpenseFilter { Text = text });
        Assert.Equal([expected], names);
    }

    [ProviderTheory]
    public async Task TextThatMatchesNothingShowsNothing(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (names, spending, count) = await ListAsync(new ExpenseFilter { Text = "no such shop" });
        Assert.Empty(names);
        Assert.Equal((0L, 0), (spending, count));
    }

    [ProviderTheory]
    public async Task AnAmountRangeIncludesItsBounds(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (names, _, _) = await ListAsync(new ExpenseFilter { MinAmountMinor = 1_000, MaxAmountMinor = 5_000 });
        Assert.Equal(["bus", "cafe", "dinner"], names);
    }

    [ProviderTheory]
    public async Task FiltersCombine(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var (names, spending, _) = await ListAsync(new ExpenseFilter
        {
            From = new DateOnly(2026, 10, 1),
            To = new DateOnly(2026, 11, 30),
            AccountIds = [visa],
            Kinds = [TransactionKind.Expense],
            MinAmountMinor = 5_500,
        });
        Assert.Equal(["split"], names);
        Assert.Equal(6_000, spending);
    }

    [ProviderTheory]
    public async Task TheListIsNewestFirstAndPagesWithoutOverlap(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var first = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 3)));
        var second = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 3, 3)));
        var third = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 6, 3)));

        Assert.Equal(7, first.TotalCount);
        var dates = first.Items.Concat(second.Items).Concat(third.Items).Select(i => i.Date).ToList();
        Assert.Equal(7, dates.Count);
        Assert.Equal(dates.OrderDescending(), dates);
        Assert.Equal(7, first.Items.Concat(second.Items).Concat(third.Items).Select(i => i.Id).Distinct().Count());
        Assert.Equal(new DateOnly(2026, 11, 2), first.Items[0].Date);
    }

    [ProviderTheory]
    public async Task SortingByAmountAscendingPutsTheSmallestFirst(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var page = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50, ExpenseSort.Amount, Descending: false)));
        Assert.Equal(800, page.Items[0].AmountMinor);
        Assert.Equal(300_000, page.Items[^1].AmountMinor);
    }

    [ProviderTheory]
    public async Task ATransferShowsBothAccountsInTheList(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var page = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter { Kinds = [TransactionKind.Transfer] }, 0, 50)));
        var row = Assert.Single(page.Items);
        Assert.Equal(("Checking", "Visa"), (row.Account, row.ToAccount!));
        Assert.Empty(row.Categories);
    }

    [ProviderTheory]
    public async Task AListRowShowsItsSplitCategoriesLargestFirstAndItsTags(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var page = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50)));

        var split = page.Items.Single(i => i.Id == ids["split"]);
        Assert.Equal(["Groceries", "Shopping"], split.Categories.Select(c => c.Name));
        Assert.Equal(home.Categories["Groceries"], split.Categories[0].Id);
        Assert.False(string.IsNullOrEmpty(split.Categories[0].Color));
        Assert.Empty(split.Tags);
        Assert.Equal(["weekly"], page.Items.Single(i => i.Id == ids["cafe"]).Tags);
        Assert.Equal(("Luigi's", "Sam", "Visa"), (page.Items.Single(i => i.Id == ids["dinner"]).Payee!, page.Items.Single(i => i.Id == ids["dinner"]).PaidBy!, page.Items.Single(i => i.Id == ids["dinner"]).Account));
    }

    private async Task<long> TagIdAsync(string name) =>
        (await home.AsOwnerAsync(s => s.GetLookupsAsync())).Tags.Single(t => t.Name == name).Id;
}
