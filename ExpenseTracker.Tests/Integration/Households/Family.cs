using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Households;

/// <summary>
/// A household with one person per role, all joined through real invitations: Ana (owner), Olga (a second owner),
/// Ben (member), Vic (viewer), Kim (child) and Max (member, the one roles are changed on).
/// </summary>
internal sealed class Family
{
    public static readonly Uri BaseUri = new("http://localhost/");

    private Family(TestApp app, long householdId, string householdName)
    {
        App = app;
        HouseholdId = householdId;
        HouseholdName = householdName;
    }

    public TestApp App { get; }
    public long HouseholdId { get; }
    public string HouseholdName { get; }
    public Dictionary<string, (long MemberId, string UserId, MemberRole Role)> People { get; } = new(StringComparer.Ordinal);
    public long CashAccountId { get; private set; }
    public long GroceriesId { get; private set; }

    public long Id(string name) => People[name].MemberId;

    /// <summary>The acting person for each role in the role-matrix tests.</summary>
    public static string NameFor(MemberRole role) => role switch
    {
        MemberRole.Owner => "Ana",
        MemberRole.Member => "Ben",
        MemberRole.Viewer => "Vic",
        _ => "Kim",
    };

    public static async Task<Family> CreateAsync(TestApp app, string prefix = "")
    {
        var (owner, household, ownerId) = await app.CreateUserWithHouseholdAsync(prefix + "ana@example.com");
        var family = new Family(app, household.Id, household.Name);
        family.People["Ana"] = (ownerId, owner.Id, MemberRole.Owner);
        await using (var scope = family.As("Ana"))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            family.CashAccountId = await db.Accounts.Select(a => a.Id).SingleAsync();
            family.GroceriesId = await db.Categories.Where(c => c.Name == "Groceries").Select(c => c.Id).SingleAsync();
        }

        foreach (var (name, role) in new[] { ("Olga", MemberRole.Owner), ("Ben", MemberRole.Member), ("Vic", MemberRole.Viewer), ("Kim", MemberRole.Child), ("Max", MemberRole.Member) })
        {
            var inviteAs = role == MemberRole.Owner ? MemberRole.Member : role;
            await family.JoinAsync(prefix + name.ToLowerInvariant() + "@example.com", name, inviteAs);
            if (role == MemberRole.Owner)
            {
                await using var scope = family.As("Ana");
                await scope.ServiceProvider.GetRequiredService<MembershipService>().ChangeRoleAsync(family.Id(name), MemberRole.Owner);
                family.People[name] = family.People[name] with { Role = MemberRole.Owner };
            }
        }

        return family;
    }

    /// <summary>Ana invites, a new account accepts: returns the new member id.</summary>
    public async Task<long> JoinAsync(string email, string name, MemberRole role)
    {
        string link;
        await using (var scope = As("Ana"))
        {
            link = (await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync(email, role, BaseUri)).Link;
        }

        await using var anonymous = App.Services.CreateAsyncScope();
        var users = anonymous.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = App.Time.GetUtcNow().UtcDateTime };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        var joined = await anonymous.ServiceProvider.GetRequiredService<InvitationService>().AcceptAsync(TokenOf(link), user.Id, name);
        People[name] = (joined.MemberId, user.Id, role);
        return joined.MemberId;
    }

    public static string TokenOf(string link) => link[(link.LastIndexOf('/') + 1)..];

    public AsyncServiceScope As(string name)
    {
        var (memberId, userId, role) = People[name];
        return App.ScopeFor(HouseholdId, memberId, role, userId);
    }

    public T Service<T>(AsyncServiceScope scope)
        where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    /// <summary>Writes a transaction straight into the household, logged by <paramref name="author"/>.</summary>
    public async Task<long> AddAsync(
        string author, long amountMinor, string? paidBy = null, bool isPrivate = false,
        TransactionKind kind = TransactionKind.Expense, DateOnly? date = null)
    {
        await using var scope = As(author);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = App.Time.GetUtcNow().UtcDateTime;
        var transaction = new Transaction
        {
            Kind = kind,
            AmountMinor = amountMinor,
            Currency = "EUR",
            Date = date ?? new DateOnly(2026, 11, 10),
            AccountId = CashAccountId,
            PaidByMemberId = Id(paidBy ?? author),
            CreatedByMemberId = Id(author),
            CreatedAt = now,
            UpdatedAt = now,
            IsPrivate = isPrivate,
            Lines = [new TransactionLine { CategoryId = GroceriesId, AmountMinor = amountMinor }],
        };
        db.Transactions.Add(transaction);
        await db.SaveChangesAsync();
        return transaction.Id;
    }
}
