using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Identity;

public sealed class AccountDeletionTests : IAsyncLifetime
{
    private const string DeletePage = "/Identity/Account/Manage/DeletePersonalData";
    private TestApp app = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    [ProviderTheory]
    public async Task DeletingAnAccountKeepsTheExpensesTheyLoggedAndShowsThemAsAFormerMember(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        var (_, anasHousehold, _) = await app.CreateUserWithHouseholdAsync("ana@example.com");
        var (ben, bensHousehold, _) = await app.CreateUserWithHouseholdAsync("ben@example.com", password: AccountForms.Password);
        var benInAnas = await AddMemberAsync(anasHousehold.Id, ben.Id, "Ben");
        await LogExpenseAsync(anasHousehold.Id, benInAnas, 4200, "Bakery");
        var forms = new AccountForms(app);
        await forms.SignInAsync("ben@example.com");

        var page = await forms.GetTextAsync(DeletePage);
        Assert.Contains("Type " + bensHousehold.Name, page.Replace("<strong>", string.Empty).Replace("</strong>", string.Empty));
        var response = await forms.PostAsync(DeletePage, new Dictionary<string, string>
        {
            ["Input.Password"] = AccountForms.Password,
            [$"Input.ConfirmHousehold[{bensHousehold.Id}]"] = bensHousehold.Name,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = app.ScopeFor(anasHousehold.Id);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Null(await db.Users.FirstOrDefaultAsync(u => u.Email == "ben@example.com"));
        var former = await db.Members.SingleAsync(m => m.Id == benInAnas);
        Assert.Null(former.UserId);
        Assert.Equal("Ben", former.DisplayName);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, former.LeftAt);
        var expense = await db.Transactions.SingleAsync();
        Assert.Equal((4200L, benInAnas), (expense.AmountMinor, expense.PaidByMemberId));
        Assert.False(await db.Households.IgnoreQueryFilters().AnyAsync(h => h.Id == bensHousehold.Id), "Ben's own household went with him, as he confirmed.");
    }

    [ProviderTheory]
    public async Task TheOnlyOwnersAccountIsNotDeletedUnlessTheyTypeTheHouseholdsNameExactly(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        var (ana, household, memberId) = await app.CreateUserWithHouseholdAsync("ana@example.com", password: AccountForms.Password);
        await LogExpenseAsync(household.Id, memberId, 1250, "Café Zürich", tag: "holiday");
        var forms = new AccountForms(app);
        await forms.SignInAsync("ana@example.com");

        foreach (var typed in new[] { string.Empty, household.Name.ToUpperInvariant(), "something else" })
        {
            var refused = await forms.PostAsync(DeletePage, new Dictionary<string, string>
            {
                ["Input.Password"] = AccountForms.Password,
                [$"Input.ConfirmHousehold[{household.Id}]"] = typed,
            });
            var text = await AccountForms.TextOf(refused);
            Assert.Contains("Your account was not deleted", text);
            Assert.Contains("only owner of “" + household.Name + "”", text);
        }

        Assert.Equal(1, await CountAsync<Transaction>(household.Id));

        var confirmed = await forms.PostAsync(DeletePage, new Dictionary<string, string>
        {
            ["Input.Password"] = AccountForms.Password,
            [$"Input.ConfirmHousehold[{household.Id}]"] = household.Name,
        });

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Null(await db.Users.FirstOrDefaultAsync(u => u.Id == ana.Id));
        Assert.False(await db.Households.IgnoreQueryFilters().AnyAsync());
        Assert.Equal(0, await CountAsync<Transaction>(household.Id) + await CountAsync<TransactionLine>(household.Id)
            + await CountAsync<TransactionTag>(household.Id) + await CountAsync<Tag>(household.Id) + await CountAsync<Payee>(household.Id)
            + await CountAsync<Category>(household.Id) + await CountAsync<PaymentAccount>(household.Id) + await CountAsync<Member>(household.Id));
    }

    [ProviderTheory]
    public async Task AWrongPasswordDeletesNothing(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        var (_, household, _) = await app.CreateUserWithHouseholdAsync("ana@example.com", password: AccountForms.Password);
        var forms = new AccountForms(app);
        await forms.SignInAsync("ana@example.com");

        var response = await forms.PostAsync(DeletePage, new Dictionary<string, string>
        {
            ["Input.Password"] = "not my password at all",
            [$"Input.ConfirmHousehold[{household.Id}]"] = household.Name,
        });

        Assert.Contains("That password is not right", await AccountForms.TextOf(response));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("ana@example.com"));
    }

    [ProviderTheory]
    public async Task DeletingOneHouseholdLeavesEveryOtherHouseholdUntouched(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        var (_, doomed, doomedMember) = await app.CreateUserWithHouseholdAsync("ana@example.com");
        var (_, kept, keptMember) = await app.CreateUserWithHouseholdAsync("ben@example.com");
        await LogExpenseAsync(doomed.Id, doomedMember, 500, "Kiosk", tag: "snacks");
        await LogExpenseAsync(kept.Id, keptMember, 700, "Kiosk", tag: "snacks");

        await using (var scope = app.ScopeFor(doomed.Id))
        {
            await scope.ServiceProvider.GetRequiredService<HouseholdDeletion>().DeleteAsync(doomed.Id);
        }

        Assert.Equal(0, await CountAsync<Transaction>(doomed.Id) + await CountAsync<Category>(doomed.Id) + await CountAsync<Member>(doomed.Id));
        Assert.Equal(1, await CountAsync<Transaction>(kept.Id));
        Assert.Equal(1, await CountAsync<TransactionTag>(kept.Id));
        Assert.Equal(12, await CountAsync<Category>(kept.Id));
        Assert.Equal(1, await CountAsync<Member>(kept.Id));
    }

    private async Task<long> AddMemberAsync(long householdId, string userId, string name)
    {
        await using var scope = app.ScopeFor(householdId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var member = new Member
        {
            HouseholdId = householdId,
            UserId = userId,
            Role = MemberRole.Member,
            DisplayName = name,
            Color = "#43A047",
            JoinedAt = app.Time.GetUtcNow().UtcDateTime,
        };
        db.Members.Add(member);
        await db.SaveChangesAsync();
        return member.Id;
    }

    private async Task LogExpenseAsync(long householdId, long memberId, long amountMinor, string payee, string? tag = null)
    {
        await using var scope = app.ScopeFor(householdId, memberId);
        var expenses = scope.ServiceProvider.GetRequiredService<ExpenseService>();
        var lookups = await expenses.GetLookupsAsync();
        await expenses.CreateAsync(new ExpenseInput
        {
            AmountMinor = amountMinor,
            Date = new DateOnly(2026, 11, 3),
            AccountId = lookups.Accounts.First().Id,
            Payee = payee,
            PaidByMemberId = memberId,
            Tags = tag is null ? [] : [tag],
            Lines = [new LineInput(lookups.Categories.First().Id, amountMinor)],
        });
    }

    private async Task<int> CountAsync<T>(long householdId)
        where T : class, IHouseholdOwned
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<T>().IgnoreQueryFilters().CountAsync(x => x.HouseholdId == householdId);
    }
}
