using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Bills;

/// <summary>Bills over a real SQLite file: schedule, paying, auto-create, roles and household isolation. Today is 2026-11-15.</summary>
public sealed class BillServiceTests : IAsyncLifetime
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

    private BillInput Rent(int day = 20, bool autoCreate = false, DateOnly? start = null) => new()
    {
        Name = "Rent",
        Payee = "Landlord Ltd",
        CategoryId = home.Categories["Housing"],
        AmountMinor = 900_00,
        Kind = BillScheduleKind.MonthlyOnDay,
        DayOfMonth = day,
        Start = start ?? new DateOnly(2026, 1, 1),
        AutoCreate = autoCreate,
        AccountId = home.CashAccountId,
    };

    private async Task<T> AsAsync<T>(MemberRole role, long memberId, Func<BillService, Task<T>> action)
    {
        await using var scope = home.Scope(role, memberId);
        return await action(scope.ServiceProvider.GetRequiredService<BillService>());
    }

    private Task<T> AsOwnerAsync<T>(Func<BillService, Task<T>> action) => AsAsync(MemberRole.Owner, home.OwnerMemberId, action);

    private async Task<List<Transaction>> BillTransactionsAsync()
    {
        await using var scope = home.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Transactions.AsNoTracking()
            .Include(t => t.Lines).Include(t => t.Payee).Where(t => t.Source == TransactionSource.Bill).OrderBy(t => t.Date).ToListAsync();
    }

    [ProviderTheory]
    public async Task ANewBillStartingInThePastIsDueNextOnItsDayNotOverdue(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await AsOwnerAsync(b => b.AddAsync(Rent(day: 10)));

        var overview = await AsOwnerAsync(b => b.GetOverviewAsync(30));

        var upcoming = Assert.Single(overview.Upcoming);
        Assert.Equal(id, upcoming.Bill.Id);
        Assert.Equal(new DateOnly(2026, 12, 10), upcoming.Due);
        Assert.False(upcoming.IsOverdue);
        Assert.Equal(25, upcoming.DaysUntil);
    }

    [ProviderTheory]
    public async Task MarkingPaidRecordsABillExpenseWithTheAdjustedAmountAndAdvancesTheBill(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await AsOwnerAsync(b => b.AddAsync(Rent(day: 20)));

        var transactionId = await AsOwnerAsync(b => b.MarkPaidAsync(id, 912_34, new DateOnly(2026, 11, 19)));

        var transaction = Assert.Single(await BillTransactionsAsync());
        Assert.Equal(transactionId, transaction.Id);
        Assert.Equal(id, transaction.BillId);
        Assert.Equal(912_34, transaction.AmountMinor);
        Assert.Equal(new DateOnly(2026, 11, 19), transaction.Date);
        Assert.Equal("Landlord Ltd", transaction.Payee?.Name);
        Assert.Equal(home.Categories["Housing"], Assert.Single(transaction.Lines).CategoryId);
        var bill = Assert.Single(await AsOwnerAsync(b => b.ListAsync()));
        Assert.Equal(new DateOnly(2026, 12, 20), bill.NextDue);
    }

    [ProviderTheory]
    public async Task ABadAmountRecordsNothingAndLeavesTheBillDue(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await AsOwnerAsync(b => b.AddAsync(Rent(day: 20)));

        await Assert.ThrowsAsync<ExpenseValidationException>(() => AsOwnerAsync(b => b.MarkPaidAsync(id, 0)));

        Assert.Empty(await BillTransactionsAsync());
        Assert.Equal(new DateOnly(2026, 11, 20), Assert.Single(await AsOwnerAsync(b => b.ListAsync())).NextDue);
    }

    [ProviderTheory]
    public async Task AnUnpaidBillBecomesOverdueWhenTheDayPasses(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await AsOwnerAsync(b => b.AddAsync(Rent(day: 20)));
        app.Time.Advance(TimeSpan.FromDays(7));

        var overview = await AsOwnerAsync(b => b.GetOverviewAsync(7));
        var month = await AsOwnerAsync(b => b.MonthAsync(2026, 11));

        Assert.True(Assert.Single(overview.Upcoming).IsOverdue);
        Assert.True(Assert.Single(month).Overdue);
    }

    [ProviderTheory]
    public async Task AutoCreateRecordsEveryDueOccurrenceOnceAndASecondRunNothing(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await AsOwnerAsync(b => b.AddAsync(Rent(day: 16, autoCreate: true) with { Name = "Gym", Kind = BillScheduleKind.Weekly, Start = new DateOnly(2026, 11, 16) }));
        await AsOwnerAsync(b => b.AddAsync(Rent(day: 20)));
        app.Time.Advance(TimeSpan.FromDays(15));

        var first = await AsOwnerAsync(b => b.CreateDueAsync());
        var second = await AsOwnerAsync(b => b.CreateDueAsync());

        Assert.Equal(3, first);
        Assert.Equal(0, second);
        Assert.Equal([new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 30)],
            (await BillTransactionsAsync()).Select(t => t.Date));
    }

    [ProviderTheory]
    public async Task TheSameOccurrenceCannotBePaidTwiceFromTwoCircuits(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await AsOwnerAsync(b => b.AddAsync(Rent(day: 20)));
        await using var one = home.Scope();
        await using var two = home.Scope();
        var dbOne = one.ServiceProvider.GetRequiredService<AppDbContext>();
        var stale = await dbOne.Bills.SingleAsync();
        await AsOwnerAsync(b => b.MarkPaidAsync(id));

        stale.NextDue = new DateOnly(2027, 1, 1);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => dbOne.SaveChangesAsync());
        Assert.Single(await BillTransactionsAsync());
    }

    [ProviderTheory]
    public async Task InvalidBillsAreRefusedByFieldAndNothingIsSaved(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var error = await Assert.ThrowsAsync<ExpenseValidationException>(() =>
            AsOwnerAsync(b => b.AddAsync(Rent() with { Name = " ", AmountMinor = -1, DayOfMonth = 40, CategoryId = 999_999 })));

        Assert.Contains(nameof(BillInput.Name), error.Errors.Keys);
        Assert.Contains(nameof(BillInput.AmountMinor), error.Errors.Keys);
        Assert.Contains(nameof(BillInput.DayOfMonth), error.Errors.Keys);
        Assert.Contains(nameof(BillInput.CategoryId), error.Errors.Keys);
        Assert.Empty(await AsOwnerAsync(b => b.ListAsync(includeArchived: true)));
    }

    [ProviderTheory]
    public async Task EditingTheScheduleMovesTheNextDueAndArchivingHidesTheBill(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await AsOwnerAsync(b => b.AddAsync(Rent(day: 20)));

        await AsOwnerAsync(async b => { await b.EditAsync(id, Rent(day: 31) with { AmountMinor = 950_00 }); return 0; });
        var edited = Assert.Single(await AsOwnerAsync(b => b.ListAsync()));
        await AsOwnerAsync(async b => { await b.SetArchivedAsync(id, true); return 0; });

        Assert.Equal(new DateOnly(2026, 11, 30), edited.NextDue);
        Assert.Equal(950_00, edited.AmountMinor);
        Assert.Empty(await AsOwnerAsync(b => b.ListAsync()));
        Assert.True(Assert.Single(await AsOwnerAsync(b => b.ListAsync(includeArchived: true))).Archived);
    }

    [ProviderTheory]
    public async Task AViewerReadsBillsButCannotChangeOrPayThem(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var viewer = await home.AddMemberAsync("Vic", MemberRole.Viewer);
        var id = await AsOwnerAsync(b => b.AddAsync(Rent()));

        var overview = await AsAsync(MemberRole.Viewer, viewer, b => b.GetOverviewAsync());

        Assert.Single(overview.Bills);
        Assert.False(overview.CanEdit);
        await Assert.ThrowsAsync<HouseholdAccessException>(() => AsAsync(MemberRole.Viewer, viewer, b => b.AddAsync(Rent())));
        await Assert.ThrowsAsync<HouseholdAccessException>(() => AsAsync(MemberRole.Viewer, viewer, b => b.MarkPaidAsync(id)));
        Assert.Empty(await BillTransactionsAsync());
    }

    [ProviderTheory]
    public async Task AMemberManagesBillsAndAChildSeesOnlyTheirOwnPersonalBills(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var member = await home.AddMemberAsync("Ben");
        var kid = await home.AddMemberAsync("Kim", MemberRole.Child);
        await AsAsync(MemberRole.Member, member, b => b.AddAsync(Rent()));
        await AsAsync(MemberRole.Member, member, b => b.AddAsync(Rent() with { Name = "Ben's phone", OwnerMemberId = member }));
        await AsAsync(MemberRole.Member, member, b => b.AddAsync(Rent() with { Name = "Kim's phone", OwnerMemberId = kid, AmountMinor = 10_00 }));

        var childBills = await AsAsync(MemberRole.Child, kid, b => b.ListAsync());

        Assert.Equal(["Kim's phone"], childBills.Select(b => b.Name));
        Assert.Equal(3, (await AsOwnerAsync(b => b.ListAsync())).Count);
        await Assert.ThrowsAsync<HouseholdAccessException>(() => AsAsync(MemberRole.Child, kid, b => b.MarkPaidAsync(childBills[0].Id)));
    }

    [ProviderTheory]
    public async Task AnotherHouseholdNeitherSeesNorPaysNorAutoCreatesTheseBills(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await AsOwnerAsync(b => b.AddAsync(Rent(day: 16, autoCreate: true)));
        var other = await TestHousehold.CreateAsync(app, "zoe@example.com");
        app.Time.Advance(TimeSpan.FromDays(2));
        await using var scope = other.Scope();
        var bills = scope.ServiceProvider.GetRequiredService<BillService>();

        Assert.Empty(await bills.ListAsync(includeArchived: true));
        await Assert.ThrowsAsync<NotFoundException>(() => bills.MarkPaidAsync(id));
        Assert.Equal(0, await bills.CreateDueAsync());
        await Assert.ThrowsAsync<ExpenseValidationException>(() => bills.AddAsync(Rent() with { CategoryId = home.Categories["Housing"] }));
        Assert.Empty(await BillTransactionsAsync());
    }

    [ProviderTheory]
    public async Task RecurringExpensesAreOfferedUntilTheyBecomeABill(DatabaseProvider provider)
    {
        await StartAsync(provider);
        foreach (var month in new[] { 8, 9, 10, 11 })
        {
            await home.AddExpenseAsync(home.Expense(45_00, "Utilities", new DateOnly(2026, month, 5), "Telco Mobile"));
            await home.AddExpenseAsync(home.Expense(12_00, "Groceries", new DateOnly(2026, month, 2), "Corner shop"));
            await home.AddExpenseAsync(home.Expense(12_00, "Groceries", new DateOnly(2026, month, 16), "Corner shop"));
        }

        var candidate = Assert.Single(await AsOwnerAsync(b => b.DetectRecurringAsync()));
        Assert.Equal(("Telco Mobile", new DateOnly(2026, 12, 5), home.Categories["Utilities"]), (candidate.PayeeName, candidate.NextDue, candidate.CategoryId));
        var viewer = await home.AddMemberAsync("Vic", MemberRole.Viewer);
        Assert.Empty(await AsAsync(MemberRole.Viewer, viewer, b => b.DetectRecurringAsync()));

        await AsOwnerAsync(b => b.AddAsync(candidate.ToBillInput()));

        Assert.Empty(await AsOwnerAsync(b => b.DetectRecurringAsync()));
        Assert.Equal(new DateOnly(2026, 12, 5), Assert.Single(await AsOwnerAsync(b => b.ListAsync())).NextDue);
    }
}
