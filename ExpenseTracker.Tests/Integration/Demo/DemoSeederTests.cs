using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Demo;

public sealed class DemoSeederTests : IAsyncLifetime
{
    private TestApp app = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<long> DemoHouseholdIdAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Households.IgnoreQueryFilters().Where(h => h.Name == DemoSeeder.HouseholdName).Select(h => h.Id).SingleAsync();
    }

    [ProviderTheory]
    public async Task TheDemoUserCanSignInWithThePrintedPasswordAndSeesTwoYearsOfHistory(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        var output = new StringWriter();
        await DemoSeeder.SeedOnceAsync(app.Services, output);

        Assert.Contains(DemoSeeder.Email, output.ToString(), StringComparison.Ordinal);
        Assert.Contains(DemoSeeder.Password, output.ToString(), StringComparison.Ordinal);

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(DemoSeeder.Email);
        Assert.NotNull(user);
        Assert.True(user.EmailConfirmed);
        Assert.True(await users.CheckPasswordAsync(user, DemoSeeder.Password));

        var householdId = await DemoHouseholdIdAsync();
        Assert.Equal(householdId, user.CurrentHouseholdId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var members = await db.Members.IgnoreQueryFilters().Where(m => m.HouseholdId == householdId).OrderBy(m => m.Id).ToListAsync();
        Assert.Collection(members,
            alex => { Assert.Equal("Alex", alex.DisplayName); Assert.Equal(user.Id, alex.UserId); Assert.Equal(MemberRole.Owner, alex.Role); },
            sam => { Assert.Equal("Sam", sam.DisplayName); Assert.Null(sam.UserId); });
        var accounts = await db.Accounts.IgnoreQueryFilters().Where(a => a.HouseholdId == householdId).OrderBy(a => a.Name).Select(a => new { a.Name, a.Kind }).ToListAsync();
        Assert.Equal(
            [new { Name = "Cash", Kind = AccountKind.Cash }, new { Name = "Joint checking", Kind = AccountKind.Checking }, new { Name = "Visa", Kind = AccountKind.CreditCard }],
            accounts);

        // TestApp's clock says 15 November 2026: two whole years, November 2024 to October 2026.
        var expected = DemoDataGenerator.Generate(DemoDataGenerator.DefaultSeed, new DateOnly(2026, 11, 15));
        await using var member = app.ScopeFor(householdId, members[0].Id, MemberRole.Owner, user.Id);
        var expenses = member.ServiceProvider.GetRequiredService<ExpenseService>();
        var everything = await expenses.ListAsync(new ExpensePageRequest(new ExpenseFilter(), 0, 1));
        Assert.Equal(expected.Transactions.Count, everything.TotalCount);
        Assert.Equal(new DateOnly(2026, 10, 31), everything.Items[0].Date);

        var spending = expected.Transactions.Sum(t => t.Kind switch { TransactionKind.Expense => t.AmountMinor, TransactionKind.Refund => -t.AmountMinor, _ => 0 });
        Assert.Equal(spending, everything.SpendingMinor);

        var christmas = await db.Tags.IgnoreQueryFilters().SingleAsync(t => t.HouseholdId == householdId && t.Name == "christmas");
        var gifts = await expenses.ListAsync(new ExpensePageRequest(new ExpenseFilter { TagIds = [christmas.Id] }, 0, 1));
        Assert.Equal(2 * DemoDataGenerator.DecemberGifts, gifts.TotalCount);
        Assert.True(await db.ChangeLog.CountAsync(c => c.HouseholdId == householdId && c.Action == "BulkInsert") >= 3);

        // The monthly bills the history pays are bills from this month on, to the same payees: none overdue, the 15th's
        // due today, the 1st's next month (an occurrence before the day a bill is added counts as paid).
        var bills = await db.Bills.IgnoreQueryFilters().Where(b => b.HouseholdId == householdId)
            .OrderBy(b => b.DayOfMonth).ThenBy(b => b.Name)
            .Select(b => new { b.Name, Payee = b.Payee!.Name, b.DayOfMonth, b.AmountMinor, b.IsEstimate, b.NextDue, b.StartDate })
            .ToListAsync();
        Assert.Equal(DemoDataGenerator.Bills.Count, bills.Count);
        Assert.Equal(DemoDataGenerator.Bills.Select(b => b.Payee).Order(StringComparer.Ordinal), bills.Select(b => b.Payee).Order(StringComparer.Ordinal));
        Assert.All(bills, b => Assert.Equal(new DateOnly(2026, 11, 1), b.StartDate));
        Assert.All(bills, b => Assert.True(b.NextDue >= new DateOnly(2026, 11, 15), $"{b.Name} is due {b.NextDue}."));
        var rent = Assert.Single(bills, b => b.Name == "Rent");
        Assert.Equal((1, 165_000L, false, new DateOnly(2026, 12, 1)), (rent.DayOfMonth!.Value, rent.AmountMinor, rent.IsEstimate, rent.NextDue!.Value));
        var power = Assert.Single(bills, b => b.Name == "Power and water");
        Assert.Equal((15, true, new DateOnly(2026, 11, 15)), (power.DayOfMonth!.Value, power.IsEstimate, power.NextDue!.Value));
    }

    [ProviderTheory]
    public async Task SeedingASecondTimeAddsNothingAndPrintsTheSignInAgain(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        await DemoSeeder.SeedOnceAsync(app.Services, new StringWriter());
        var householdId = await DemoHouseholdIdAsync();
        var before = await CountsAsync(householdId);

        var output = new StringWriter();
        await DemoSeeder.SeedOnceAsync(app.Services, output);

        Assert.Contains("already exists", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(DemoSeeder.Password, output.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(householdId));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.Users.CountAsync(u => u.Email == DemoSeeder.Email));
        Assert.Equal(1, await db.Households.IgnoreQueryFilters().CountAsync());
    }

    private async Task<(int Transactions, int Lines, int Payees, int Members, int Accounts)> CountsAsync(long householdId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (
            await db.Transactions.IgnoreQueryFilters().CountAsync(t => t.HouseholdId == householdId),
            await db.TransactionLines.IgnoreQueryFilters().CountAsync(t => t.HouseholdId == householdId),
            await db.Payees.IgnoreQueryFilters().CountAsync(t => t.HouseholdId == householdId),
            await db.Members.IgnoreQueryFilters().CountAsync(t => t.HouseholdId == householdId),
            await db.Accounts.IgnoreQueryFilters().CountAsync(t => t.HouseholdId == householdId));
    }
}
