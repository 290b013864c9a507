using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>A registered user's household with its default categories and Cash account, plus helpers to act in it.</summary>
public sealed class TestHousehold
{
    private TestHousehold(TestApp app, long id, long ownerMemberId, string ownerUserId, IReadOnlyDictionary<string, long> categories, long cashAccountId)
    {
        App = app;
        Id = id;
        OwnerMemberId = ownerMemberId;
        OwnerUserId = ownerUserId;
        Categories = categories;
        CashAccountId = cashAccountId;
    }

    public TestApp App { get; }
    public long Id { get; }
    public long OwnerMemberId { get; }
    public string OwnerUserId { get; }
    public IReadOnlyDictionary<string, long> Categories { get; }
    public long CashAccountId { get; }

    public static async Task<TestHousehold> CreateAsync(TestApp app, string email, string currency = "EUR")
    {
        var (user, household, memberId) = await app.CreateUserWithHouseholdAsync(email, currency);
        await using var scope = app.ScopeFor(household.Id, memberId, MemberRole.Owner, user.Id);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var categories = await db.Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);
        var cash = await db.Accounts.Where(a => a.Kind == AccountKind.Cash).Select(a => a.Id).SingleAsync();
        return new TestHousehold(app, household.Id, memberId, user.Id, categories, cash);
    }

    /// <summary>A request or circuit of the owner (or, with <paramref name="role"/>, of someone with that role).</summary>
    public AsyncServiceScope Scope(MemberRole role = MemberRole.Owner, long? memberId = null) =>
        App.ScopeFor(Id, memberId ?? OwnerMemberId, role, OwnerUserId);

    public async Task<T> AsOwnerAsync<T>(Func<ExpenseService, Task<T>> action)
    {
        await using var scope = Scope();
        return await action(scope.ServiceProvider.GetRequiredService<ExpenseService>());
    }

    public Task<long> AddExpenseAsync(ExpenseInput input) => AsOwnerAsync(s => s.CreateAsync(input));

    public async Task<long> AddAccountAsync(string name, AccountKind kind)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var account = new PaymentAccount { Name = name, Kind = kind, Currency = "EUR" };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        return account.Id;
    }

    /// <summary>A second member without a sign-in (Member.UserId null), as the demo's "Sam".</summary>
    public async Task<long> AddMemberAsync(string name, MemberRole role = MemberRole.Member)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var member = new Member { DisplayName = name, Role = role, Color = "#D81B60", JoinedAt = App.Time.GetUtcNow().UtcDateTime };
        db.Members.Add(member);
        await db.SaveChangesAsync();
        return member.Id;
    }

    /// <summary>An ordinary one-category expense paid in cash.</summary>
    public ExpenseInput Expense(long amountMinor, string category = "Groceries", DateOnly? date = null, string? payee = "Corner shop") => new()
    {
        AmountMinor = amountMinor,
        Date = date ?? new DateOnly(2026, 11, 3),
        AccountId = CashAccountId,
        Payee = payee,
        Lines = [new LineInput(Categories[category], amountMinor)],
    };
}
