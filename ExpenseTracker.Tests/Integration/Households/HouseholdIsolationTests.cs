using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Households;

/// <summary>Ana's household (A) and Ben's (B) share one database; neither may see or change the other's data.</summary>
public sealed class HouseholdIsolationTests : IAsyncLifetime
{
    private TestApp app = null!;
    private TestHousehold ana = null!;
    private TestHousehold ben = null!;
    private long anasExpense;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        ana = await TestHousehold.CreateAsync(app, "ana@example.com");
        ben = await TestHousehold.CreateAsync(app, "ben@example.com");
        anasExpense = await ana.AddExpenseAsync(ana.Expense(4_200, payee: "Ana's bakery") with { Notes = "private" });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    public static TheoryData<string> ServiceMethods => ["Get", "Update", "Delete", "Restore", "Duplicate"];

    private static Task CallAsync(ExpenseService service, string method, long id, ExpenseInput input) => method switch
    {
        "Get" => service.GetAsync(id),
        "Update" => service.UpdateAsync(id, 1, input),
        "Delete" => service.DeleteAsync(id),
        "Restore" => service.RestoreAsync(id),
        "Duplicate" => service.DuplicateAsync(id, new DateOnly(2026, 11, 15)),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    [ProviderTheory]
#pragma warning disable xUnit1037 // [ProviderTheory] gives the provider, the rows give the rest
    [MemberData(nameof(ServiceMethods))]
#pragma warning restore xUnit1037
    public async Task AnotherHouseholdsExpenseIsNotFoundForEveryMethodThatTakesAnId(DatabaseProvider provider, string method)
    {
        await StartAsync(provider);
        await using var scope = ben.Scope();
        var service = scope.ServiceProvider.GetRequiredService<ExpenseService>();

        await Assert.ThrowsAsync<NotFoundException>(() => CallAsync(service, method, anasExpense, ben.Expense(1)));

        var untouched = await ana.AsOwnerAsync(s => s.GetAsync(anasExpense));
        Assert.Equal((4_200L, "Ana's bakery", 1L), (untouched.AmountMinor, untouched.Payee!, untouched.Version));
        Assert.Equal(0, (await ben.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50)))).TotalCount);
    }

    [ProviderTheory]
    public async Task AnotherHouseholdsDeletedExpenseCannotBeRestored(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await ana.AsOwnerAsync(async s => { await s.DeleteAsync(anasExpense); return 0; });

        await using var scope = ben.Scope();
        await Assert.ThrowsAsync<NotFoundException>(() => scope.ServiceProvider.GetRequiredService<ExpenseService>().RestoreAsync(anasExpense));

        await Assert.ThrowsAsync<NotFoundException>(() => ana.AsOwnerAsync(s => s.GetAsync(anasExpense)));
    }

    [ProviderTheory]
    public async Task AnotherHouseholdsExpensesNeverAppearInTheListOrTotalsEvenWhenSearchedFor(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await ben.AddExpenseAsync(ben.Expense(100, payee: "Ben's kiosk"));

        var page = await ben.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter { Text = "bakery" }, 0, 50)));
        Assert.Empty(page.Items);
        var all = await ben.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50)));
        Assert.Equal((1, 100L), (all.TotalCount, all.SpendingMinor));
        var lookups = await ben.AsOwnerAsync(s => s.GetLookupsAsync());
        Assert.DoesNotContain(lookups.Accounts, a => a.Id == ana.CashAccountId);
        Assert.DoesNotContain(lookups.Categories, c => ana.Categories.Values.Contains(c.Id));
    }

    [ProviderTheory]
    public async Task AnExpenseCannotUseAnotherHouseholdsAccount(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await AssertRefusedAsync(ben.Expense(500) with { AccountId = ana.CashAccountId }, nameof(ExpenseInput.AccountId));
    }

    [ProviderTheory]
    public async Task AnExpenseCannotUseAnotherHouseholdsCategory(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await AssertRefusedAsync(ben.Expense(500) with { Lines = [new LineInput(ana.Categories["Groceries"], 500)] }, nameof(ExpenseInput.Lines));
    }

    [ProviderTheory]
    public async Task AnExpenseCannotBePaidByAnotherHouseholdsMember(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await AssertRefusedAsync(ben.Expense(500) with { PaidByMemberId = ana.OwnerMemberId }, nameof(ExpenseInput.PaidByMemberId));
    }

    [ProviderTheory]
    public async Task ATransferCannotGoIntoAnotherHouseholdsAccount(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await AssertRefusedAsync(new ExpenseInput
        {
            Kind = TransactionKind.Transfer,
            AmountMinor = 500,
            Date = new DateOnly(2026, 11, 1),
            AccountId = ben.CashAccountId,
            ToAccountId = ana.CashAccountId,
        }, nameof(ExpenseInput.AccountId));
    }

    [ProviderTheory]
    public async Task AnEditCannotMoveAnExpenseOntoAnotherHouseholdsAccount(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var bens = await ben.AddExpenseAsync(ben.Expense(500));
        await using var scope = ben.Scope();
        var service = scope.ServiceProvider.GetRequiredService<ExpenseService>();
        var error = await Assert.ThrowsAsync<ExpenseValidationException>(() => service.UpdateAsync(bens, 1, ben.Expense(500) with { AccountId = ana.CashAccountId }));
        Assert.Contains(nameof(ExpenseInput.AccountId), error.Errors.Keys);
        Assert.Equal(ben.CashAccountId, (await service.GetAsync(bens)).AccountId);
    }

    private async Task AssertRefusedAsync(ExpenseInput input, string field)
    {
        var before = await CountAllRowsAsync();
        await using var scope = ben.Scope();
        var error = await Assert.ThrowsAsync<ExpenseValidationException>(() => scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(input));
        Assert.Contains(field, error.Errors.Keys);
        Assert.Equal(before, await CountAllRowsAsync());
    }

    [ProviderTheory]
    public async Task WritingAnotherHouseholdsRowThroughTheDbContextIsRefused(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var scope = ben.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var foreign = await db.Transactions.IgnoreQueryFilters().SingleAsync(t => t.Id == anasExpense);
        foreign.Notes = "hijacked";

        await Assert.ThrowsAsync<HouseholdAccessException>(() => db.SaveChangesAsync());

        Assert.Equal("private", (await ana.AsOwnerAsync(s => s.GetAsync(anasExpense))).Notes);
    }

    [ProviderTheory]
    public async Task AddingARowForAnotherHouseholdThroughTheDbContextIsRefused(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var scope = ben.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Categories.Add(new Category { HouseholdId = ana.Id, Name = "Planted", Color = "#000000", Icon = "Category" });

        await Assert.ThrowsAsync<HouseholdAccessException>(() => db.SaveChangesAsync());

        Assert.Equal(12, (await ana.AsOwnerAsync(s => s.GetLookupsAsync())).Categories.Count);
    }

    [ProviderTheory]
    public async Task DeletingOrMovingAnotherHouseholdsRowThroughTheDbContextIsRefused(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using (var scope = ben.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Categories.Remove(await db.Categories.IgnoreQueryFilters().FirstAsync(c => c.HouseholdId == ana.Id));
            await Assert.ThrowsAsync<HouseholdAccessException>(() => db.SaveChangesAsync());
        }

        await using (var scope = ben.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var stolen = await db.Accounts.IgnoreQueryFilters().SingleAsync(a => a.Id == ana.CashAccountId);
            stolen.HouseholdId = ben.Id;
            await Assert.ThrowsAsync<HouseholdAccessException>(() => db.SaveChangesAsync());
        }

        Assert.Equal(12, (await ana.AsOwnerAsync(s => s.GetLookupsAsync())).Categories.Count);
        Assert.Contains((await ana.AsOwnerAsync(s => s.GetLookupsAsync())).Accounts, a => a.Id == ana.CashAccountId);
    }

    [ProviderTheory]
    public async Task WithNoCurrentHouseholdNothingIsListedAndNothingCanBeWritten(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var scope = app.Services.CreateAsyncScope();
        var householdScope = scope.ServiceProvider.GetRequiredService<HouseholdScope>();
        householdScope.Set(ana.Id, ana.OwnerMemberId, ana.OwnerUserId, MemberRole.Owner);
        householdScope.Clear();
        var service = scope.ServiceProvider.GetRequiredService<ExpenseService>();

        var page = await service.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50));
        Assert.Equal((0, 0L), (page.TotalCount, page.SpendingMinor));
        Assert.Empty(page.Items);
        Assert.Empty((await service.GetLookupsAsync()).Categories);
        await Assert.ThrowsAsync<NotFoundException>(() => service.GetAsync(anasExpense));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.CreateAsync(ana.Expense(100)));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.UpdateAsync(anasExpense, 1, ana.Expense(100)));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.DeleteAsync(anasExpense));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.RestoreAsync(anasExpense));

        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(0, await db.Transactions.CountAsync());
        db.Payees.Add(new Payee { HouseholdId = ana.Id, Name = "Sneaky", Key = "sneaky" });
        await Assert.ThrowsAsync<HouseholdAccessException>(() => db.SaveChangesAsync());
        Assert.Equal(1, (await ana.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50)))).TotalCount);
    }

    [ProviderTheory]
    public async Task AViewerCanReadButNotWrite(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var viewer = await ana.AddMemberAsync("Grandpa", MemberRole.Viewer);
        await using var scope = ana.Scope(MemberRole.Viewer, viewer);
        var service = scope.ServiceProvider.GetRequiredService<ExpenseService>();

        Assert.Equal(1, (await service.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50))).TotalCount);
        Assert.Equal(4_200, (await service.GetAsync(anasExpense)).AmountMinor);
        var refused = await Assert.ThrowsAsync<HouseholdAccessException>(() => service.CreateAsync(ana.Expense(100)));
        Assert.Contains("Viewers", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.UpdateAsync(anasExpense, 1, ana.Expense(100)));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.DeleteAsync(anasExpense));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.RestoreAsync(anasExpense));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => service.DuplicateAsync(anasExpense, new DateOnly(2026, 11, 15)));

        var unchanged = await ana.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 50)));
        Assert.Equal((1, 4_200L), (unchanged.TotalCount, unchanged.SpendingMinor));
    }

    private async Task<(int, int, int, int, int)> CountAllRowsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (
            await db.Transactions.IgnoreQueryFilters().CountAsync(),
            await db.TransactionLines.IgnoreQueryFilters().CountAsync(),
            await db.Payees.IgnoreQueryFilters().CountAsync(),
            await db.Tags.IgnoreQueryFilters().CountAsync(),
            await db.ChangeLog.CountAsync());
    }
}
