using System.Text;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Import;

/// <summary>
/// A household with three accounts (Cash, Checking ****1234, Visa ****9876) for import tests, and short ways to
/// preview, commit and count what landed. Statements are written as CSV text with a header.
/// </summary>
internal sealed class ImportHousehold
{
    private ImportHousehold(TestApp app, long householdId, long ownerId, string ownerUserId)
    {
        App = app;
        HouseholdId = householdId;
        OwnerId = ownerId;
        OwnerUserId = ownerUserId;
    }

    public TestApp App { get; }
    public long HouseholdId { get; }
    public long OwnerId { get; }
    public string OwnerUserId { get; }
    public long CashId { get; private set; }
    public long CheckingId { get; private set; }
    public long VisaId { get; private set; }

    public static async Task<ImportHousehold> CreateAsync(TestApp app, string email = "ana@example.com", string currency = "EUR")
    {
        var (user, household, memberId) = await app.CreateUserWithHouseholdAsync(email, currency);
        var result = new ImportHousehold(app, household.Id, memberId, user.Id);
        await using var scope = result.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var checking = new PaymentAccount { Name = "Checking", Kind = AccountKind.Checking, Currency = currency, MaskedNumber = "****1234" };
        var visa = new PaymentAccount { Name = "Visa", Kind = AccountKind.CreditCard, Currency = currency, MaskedNumber = "****9876" };
        db.Accounts.AddRange(checking, visa);
        await db.SaveChangesAsync();
        result.CheckingId = checking.Id;
        result.VisaId = visa.Id;
        result.CashId = await db.Accounts.Where(a => a.Name == "Cash").Select(a => a.Id).SingleAsync();
        return result;
    }

    public AsyncServiceScope Scope(MemberRole role = MemberRole.Owner, long? memberId = null, string? userId = null) =>
        App.ScopeFor(HouseholdId, memberId ?? OwnerId, role, userId ?? OwnerUserId);

    /// <summary>A second person in the household with the given role.</summary>
    public async Task<(long MemberId, string UserId)> AddMemberAsync(string email, MemberRole role)
    {
        await using var scope = Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, "correct horse battery staple")).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var member = new Member { UserId = user.Id, Role = role, DisplayName = email.Split('@')[0], Color = "#1E88E5" };
        db.Members.Add(member);
        await db.SaveChangesAsync();
        return (member.Id, user.Id);
    }

    public static ImportRequest Request(string fileName, string content, long? accountId = null, decimal? rate = null) =>
        new(fileName, Encoding.UTF8.GetBytes(content), ReaderOptions.Default) { AccountId = accountId, ExchangeRate = rate };

    public static string Csv(params string[] rows) => "Date,Amount,Payee,Memo\n" + string.Join("\n", rows) + "\n";

    public async Task<ImportPreview> PreviewAsync(ImportRequest request)
    {
        await using var scope = Scope();
        return await scope.ServiceProvider.GetRequiredService<IImportService>().PreviewAsync(request);
    }

    public async Task<ImportResult> CommitAsync(ImportRequest request, ImportChoices? choices = null, AsyncServiceScope? asScope = null)
    {
        await using var scope = asScope ?? Scope();
        return await scope.ServiceProvider.GetRequiredService<IImportService>().CommitAsync(request, choices ?? new ImportChoices());
    }

    public Task<ImportResult> CommitCsvAsync(long accountId, params string[] rows) =>
        CommitAsync(Request("statement.csv", Csv(rows), accountId));

    public async Task UndoAsync(long batchId)
    {
        await using var scope = Scope();
        await scope.ServiceProvider.GetRequiredService<IImportService>().UndoAsync(batchId);
    }

    /// <summary>Runs a query as the owner (household filter on, soft-deleted rows hidden unless ignored).</summary>
    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Scope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public Task<int> LiveTransactionsAsync() => QueryAsync(db => db.Transactions.CountAsync());

    /// <summary>Everything an import writes, counted for the household (soft-deleted rows included).</summary>
    public Task<(int Transactions, int Lines, int Keys, int Batches, int Payees, int ChangeLog)> FootprintAsync() => QueryAsync(async db => (
        await db.Transactions.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).CountAsync(),
        await db.TransactionLines.CountAsync(),
        await db.ImportKeys.CountAsync(),
        await db.ImportBatches.CountAsync(),
        await db.Payees.CountAsync(),
        await db.ChangeLog.CountAsync(c => c.HouseholdId == HouseholdId)));
}
