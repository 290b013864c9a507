using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Expenses;

public sealed class ExpenseRoundTripTests : IAsyncLifetime
{
    private TestApp app = null!;
    private TestHousehold home = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        home = await TestHousehold.CreateAsync(app, "ana@example.com");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    [ProviderTheory]
    public async Task EverythingEnteredOnAnExpenseComesBackWhenItIsOpenedAgain(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var sam = await home.AddMemberAsync("Sam");
        var input = new ExpenseInput
        {
            AmountMinor = 8_750,
            Date = new DateOnly(2026, 11, 7),
            Payee = "  Café Zürich ",
            Notes = "Lunch with the team",
            AccountId = home.CashAccountId,
            PaidByMemberId = sam,
            Tags = ["work", "lunch"],
            Lines = [new LineInput(home.Categories["Dining out"], 6_000, "Food"), new LineInput(home.Categories["Groceries"], 2_750)],
            OriginalAmountMinor = 9_800,
            OriginalCurrency = "CHF",
            ExchangeRate = 0.8929m,
        };

        var id = await home.AddExpenseAsync(input);
        var saved = await home.AsOwnerAsync(s => s.GetAsync(id));

        Assert.Equal(1, saved.Version);
        Assert.Equal("EUR", saved.Currency);
        Assert.Equal("Café Zürich", saved.Payee);
        Assert.Equal("Lunch with the team", saved.Notes);
        Assert.Equal(sam, saved.PaidByMemberId);
        Assert.Equal(["lunch", "work"], saved.Tags.Order(StringComparer.Ordinal));
        Assert.Equal(input.Lines, saved.Lines);
        Assert.Equal((9_800L, "CHF", 0.8929m), (saved.OriginalAmountMinor!.Value, saved.OriginalCurrency!, saved.ExchangeRate!.Value));
        Assert.Equal((TransactionKind.Expense, 8_750L, new DateOnly(2026, 11, 7), home.CashAccountId), (saved.Kind, saved.AmountMinor, saved.Date, saved.AccountId));
    }

    [ProviderTheory]
    public async Task AnEditIsSavedWithANewVersionAndShowsInTheList(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await home.AddExpenseAsync(home.Expense(1_250, payee: "Bakery") with { Tags = ["weekly"] });
        var opened = await home.AsOwnerAsync(s => s.GetAsync(id));

        var newVersion = await home.AsOwnerAsync(s => s.UpdateAsync(id, opened.Version, opened.ToInput() with
        {
            AmountMinor = 2_000,
            Payee = "Butcher",
            Tags = ["meat"],
            Lines = [new LineInput(home.Categories["Groceries"], 2_000)],
        }));

        Assert.Equal(2, newVersion);
        var edited = await home.AsOwnerAsync(s => s.GetAsync(id));
        Assert.Equal((2_000L, "Butcher", 2L), (edited.AmountMinor, edited.Payee!, edited.Version));
        Assert.Equal(["meat"], edited.Tags);
        var row = Assert.Single((await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50)))).Items);
        Assert.Equal((2_000L, "Butcher", "Cash", "ana"), (row.AmountMinor, row.Payee!, row.Account, row.PaidBy!));
        Assert.Equal("Groceries", Assert.Single(row.Categories).Name);
    }

    [ProviderTheory]
    public async Task TwoExpensesAtTheSamePayeeShareOnePayeeWhateverTheAccentsAndCase(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await home.AddExpenseAsync(home.Expense(100, payee: "Café Olé"));
        await home.AddExpenseAsync(home.Expense(200, payee: "CAFE OLE"));

        await using var scope = home.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var payee = Assert.Single(db.Payees);
        Assert.Equal("Café Olé", payee.Name);
    }

    [ProviderTheory]
    public async Task DuplicatingAnExpenseCopiesItToTheChosenDay(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await home.AddExpenseAsync(home.Expense(1_250, payee: "Bakery") with { Tags = ["weekly"], Notes = "Bread" });
        var copyId = await home.AsOwnerAsync(s => s.DuplicateAsync(id, new DateOnly(2026, 11, 15)));

        Assert.NotEqual(id, copyId);
        var copy = await home.AsOwnerAsync(s => s.GetAsync(copyId));
        Assert.Equal((new DateOnly(2026, 11, 15), 1_250L, "Bakery", "Bread"), (copy.Date, copy.AmountMinor, copy.Payee!, copy.Notes!));
        Assert.Equal(["weekly"], copy.Tags);
        Assert.Equal(new DateOnly(2026, 11, 3), (await home.AsOwnerAsync(s => s.GetAsync(id))).Date);
    }

    [ProviderTheory]
    public async Task AnInvalidExpenseIsRefusedWithFieldMessagesAndNothingIsSaved(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var error = await Assert.ThrowsAsync<ExpenseValidationException>(() =>
            home.AddExpenseAsync(home.Expense(1_000) with { Lines = [new LineInput(home.Categories["Groceries"], 900)] }));

        Assert.Contains(nameof(ExpenseInput.Lines), error.Errors.Keys);
        Assert.Equal(0, (await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50)))).TotalCount);
    }

    [ProviderTheory]
    public async Task LookupsListTheHouseholdsCategoriesAccountsMembersAndTags(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await home.AddAccountAsync("Visa", AccountKind.CreditCard);
        await home.AddMemberAsync("Sam");
        await home.AddExpenseAsync(home.Expense(100) with { Tags = ["weekly"] });

        var lookups = await home.AsOwnerAsync(s => s.GetLookupsAsync());

        Assert.Equal(12, lookups.Categories.Count);
        Assert.Equal("Groceries", lookups.Categories[0].Name);
        Assert.Equal(["Cash", "Visa"], lookups.Accounts.Select(a => a.Name));
        Assert.Equal(["ana", "Sam"], lookups.Members.Select(m => m.Name));
        Assert.Equal(["weekly"], lookups.Tags.Select(t => t.Name));
    }
}
