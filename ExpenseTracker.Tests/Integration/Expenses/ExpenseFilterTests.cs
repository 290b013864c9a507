using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Expenses;

/// <summary>One household with a small, varied history, shared by the read-only filter tests.</summary>
public sealed class FilterHousehold : IAsyncLifetime
{
    private readonly TestApp app;

    public FilterHousehold()
        : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same household on another engine (the search tests keep one per engine).</summary>
    internal FilterHousehold(DatabaseProvider provider) => app = new TestApp(provider);

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

/// <summary>
/// Each filter of the expense list must pick exactly the expected rows, and the spending total must count
/// Expense − Refund (never income or transfers). These tests only read, so they share one household.
/// </summary>
public sealed class ExpenseFilterTests(FilterHousehold data) : IClassFixture<FilterHousehold>
{
    private readonly TestHousehold home = data.Home;
    private readonly long visa = data.Visa;
    private readonly long sam = data.Sam;
    private readonly Dictionary<string, long> ids = data.Ids;

    private async Task<(string[] Names, long Spending, int Count)> ListAsync(ExpenseFilter filter)
    {
        var page = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(filter, 0, 50)));
        var names = page.Items.Select(i => ids.Single(x => x.Value == i.Id).Key).Order(StringComparer.Ordinal).ToArray();
        return (names, page.SpendingMinor, page.TotalCount);
    }

    [Fact]
    public async Task WithoutFiltersSpendingIsExpensesMinusRefundsAndIgnoresIncomeAndTransfers()
    {
        var (names, spending, count) = await ListAsync(new ExpenseFilter());
        Assert.Equal(7, count);
        Assert.Equal(7, names.Length);
        Assert.Equal(1_000 + 5_000 - 800 + 6_000 + 1_500, spending);
    }

    [Fact]
    public async Task ADateRangeKeepsOnlyExpensesOnOrBetweenItsDays()
    {
        var (names, spending, _) = await ListAsync(new ExpenseFilter { From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 10, 31) });
        Assert.Equal(["cafe", "dinner", "refund", "salary", "transfer"], names);
        Assert.Equal(1_000 + 5_000 - 800, spending);
    }

    [Fact]
    public async Task ACategoryFilterTotalsOnlyTheMatchingLinesOfASplit()
    {
        var (names, spending, _) = await ListAsync(new ExpenseFilter { CategoryIds = [home.Categories["Groceries"]] });
        Assert.Equal(["cafe", "refund", "split"], names);
        Assert.Equal(1_000 - 800 + 4_000, spending);

        var (shopping, shoppingSpending, _) = await ListAsync(new ExpenseFilter { CategoryIds = [home.Categories["Shopping"]] });
        Assert.Equal(["split"], shopping);
        Assert.Equal(2_000, shoppingSpending);
    }

    [Fact]
    public async Task SeveralCategoriesTogetherCountEachMatchingLineOnce()
    {
        var (names, spending, _) = await ListAsync(new ExpenseFilter { CategoryIds = [home.Categories["Groceries"], home.Categories["Shopping"]] });
        Assert.Equal(["cafe", "refund", "split"], names);
        Assert.Equal(1_000 - 800 + 6_000, spending);
    }

    [Fact]
    public async Task ATagFilterKeepsTheTaggedExpenses()
    {
        var (names, spending, _) = await ListAsync(new ExpenseFilter { TagIds = [await TagIdAsync("weekly")] });
        Assert.Equal(["cafe"], names);
        Assert.Equal(1_000, spending);
    }

    [Fact]
    public async Task AMemberFilterKeepsWhatThatMemberPaid()
    {
        var (names, _, _) = await ListAsync(new ExpenseFilter { MemberIds = [sam] });
        Assert.Equal(["dinner"], names);
        var (owner, _, _) = await ListAsync(new ExpenseFilter { MemberIds = [home.OwnerMemberId] });
        Assert.Equal(6, owner.Length);
    }

    [Fact]
    public async Task AnAccountFilterIncludesTransfersIntoThatAccount()
    {
        var (names, spending, _) = await ListAsync(new ExpenseFilter { AccountIds = [visa] });
        Assert.Equal(["dinner", "split", "transfer"], names);
        Assert.Equal(5_000 + 6_000, spending);
    }

    [Fact]
    public async Task AKindFilterShowsOnlyThatKind()
    {
        var (refunds, refundTotal, _) = await ListAsync(new ExpenseFilter { Kinds = [TransactionKind.Refund] });
        Assert.Equal(["refund"], refunds);
        Assert.Equal(-800, refundTotal);

        var (income, incomeSpending, _) = await ListAsync(new ExpenseFilter { Kinds = [TransactionKind.Income, TransactionKind.Transfer] });
        Assert.Equal(["salary", "transfer"], income);
        Assert.Equal(0, incomeSpending);
    }

    [Theory]
    [InlineData("cafe zurich", "cafe")]
    [InlineData("CAFÉ", "cafe")]
    [InlineData("zür", "cafe")]
    [InlineData("creme brulee", "dinner")]
    [InlineData("BIRTHDAY", "dinner")]
    [InlineData("supersave", "split")]
    public async Task TextSearchFindsPayeesAndNotesIgnoringAccentsAndCase(string text, string expected)
    {
        var (names, _, _) = await ListAsync(new ExpenseFilter { Text = text });
        Assert.Equal([expected], names);
    }

    [Fact]
    public async Task TextThatMatchesNothingShowsNothing()
    {
        var (names, spending, count) = await ListAsync(new ExpenseFilter { Text = "no such shop" });
        Assert.Empty(names);
        Assert.Equal((0L, 0), (spending, count));
    }

    [Fact]
    public async Task AnAmountRangeIncludesItsBounds()
    {
        var (names, _, _) = await ListAsync(new ExpenseFilter { MinAmountMinor = 1_000, MaxAmountMinor = 5_000 });
        Assert.Equal(["bus", "cafe", "dinner"], names);
    }

    [Fact]
    public async Task FiltersCombine()
    {
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

    [Fact]
    public async Task TheListIsNewestFirstAndPagesWithoutOverlap()
    {
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

    [Fact]
    public async Task SortingByAmountAscendingPutsTheSmallestFirst()
    {
        var page = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50, ExpenseSort.Amount, Descending: false)));
        Assert.Equal(800, page.Items[0].AmountMinor);
        Assert.Equal(300_000, page.Items[^1].AmountMinor);
    }

    [Fact]
    public async Task ATransferShowsBothAccountsInTheList()
    {
        var page = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter { Kinds = [TransactionKind.Transfer] }, 0, 50)));
        var row = Assert.Single(page.Items);
        Assert.Equal(("Checking", "Visa"), (row.Account, row.ToAccount!));
        Assert.Empty(row.Categories);
    }

    [Fact]
    public async Task AListRowShowsItsSplitCategoriesLargestFirstAndItsTags()
    {
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
