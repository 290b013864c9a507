using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.BankSync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.BankSync;

/// <summary>
/// The app (http access URLs allowed for the loopback fake), a household with a "Checking" account, and the fake Bridge with one
/// account holding posted transactions of the last months, one older than 90 days and one pending. The app's clock is
/// 2026-11-15 10:00 UTC.
/// </summary>
internal sealed class BankSyncSetup : IAsyncDisposable
{
    private BankSyncSetup(TestApp app, FakeSimpleFinServer bank)
    {
        App = app;
        Bank = bank;
    }

    public TestApp App { get; }
    public FakeSimpleFinServer Bank { get; }
    public long HouseholdId { get; private set; }
    public long OwnerId { get; private set; }
    public string OwnerUserId { get; private set; } = "";
    public long CheckingId { get; private set; }
    public FakeAccount BankAccount { get; } = new("ACT-1001", "Everyday Checking", balance: "1234.56");

    public static async Task<BankSyncSetup> CreateAsync(TestApp? app = null)
    {
        app ??= new TestApp();
        app.With("BankSync:AllowInsecureHttp", "true");
        var setup = new BankSyncSetup(app, await FakeSimpleFinServer.StartAsync());
        setup.Bank.Accounts.Add(setup.BankAccount);
        setup.BankAccount.Transactions.AddRange(
        [
            new("TRN-old", FakeSimpleFinServer.Utc(2026, 6, 1), "-99.00", "Too old"),
            new("TRN-1", FakeSimpleFinServer.Utc(2026, 9, 20), "-15.00", "KIOSK 44 BERLIN"),
            new("TRN-2", FakeSimpleFinServer.Utc(2026, 11, 1), "-42.50", "REWE MARKT 123 BERLIN", "REWE", "Card 1234"),
            new("TRN-3", FakeSimpleFinServer.Utc(2026, 11, 3), "2500.00", "SALARY ACME GMBH"),
            new("TRN-P", null, "-9.99", "NETFLIX.COM"),
        ]);
        var (user, household, memberId) = await app.CreateUserWithHouseholdAsync("bank-owner@example.com");
        setup.HouseholdId = household.Id;
        setup.OwnerId = memberId;
        setup.OwnerUserId = user.Id;
        await using var scope = setup.Owner();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var checking = new PaymentAccount { Name = "Checking", Kind = AccountKind.Checking, Currency = "EUR" };
        db.Accounts.Add(checking);
        await db.SaveChangesAsync();
        setup.CheckingId = checking.Id;
        return setup;
    }

    public AsyncServiceScope Owner() => App.ScopeFor(HouseholdId, OwnerId, MemberRole.Owner, OwnerUserId);

    /// <summary>Adds the connection from the fake's setup token and maps its one account to Checking (no sync yet beyond the account list).</summary>
    public async Task<long> ConnectAsync(int historyDays = 90)
    {
        await using var scope = Owner();
        var service = scope.ServiceProvider.GetRequiredService<BankConnectionService>();
        var id = await service.AddAsync("Example Bank", Bank.SetupToken, historyDays);
        var link = (await service.ListAsync()).Single(c => c.Id == id).Accounts.Single();
        await service.SaveMappingAsync(id, new Dictionary<long, long?> { [link.Id] = CheckingId });
        return id;
    }

    public async Task<BankSyncOutcome> SyncNowAsync(long connectionId)
    {
        await using var scope = Owner();
        return await scope.ServiceProvider.GetRequiredService<BankConnectionService>().SyncNowAsync(connectionId);
    }

    public async Task<int> RunSchedulerAsync() =>
        await App.Services.GetRequiredService<BankSyncScheduler>().RunDueAsync(CancellationToken.None);

    public async Task<BankConnection> ConnectionAsync(long id)
    {
        await using var scope = Owner();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().BankConnections.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    public async Task<List<(string? Payee, long Amount, TransactionKind Kind, DateOnly Date, TransactionSource Source)>> TransactionsAsync()
    {
        await using var scope = Owner();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = await db.Transactions.AsNoTracking().Where(t => t.AccountId == CheckingId).OrderBy(t => t.Date).ThenBy(t => t.Id)
            .Select(t => new { Payee = t.Payee == null ? null : t.Payee.Name, t.AmountMinor, t.Kind, t.Date, t.Source }).ToListAsync();
        return [.. rows.Select(r => (r.Payee, r.AmountMinor, r.Kind, r.Date, r.Source))];
    }

    /// <summary>In-app notifications about failing bank connections, for every owner.</summary>
    public async Task<int> FailureNotificationsAsync()
    {
        await using var scope = Owner();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages
            .CountAsync(m => m.Rule == "bank-sync-failing" && m.Channel == NotificationChannel.InApp);
    }

    public async ValueTask DisposeAsync()
    {
        await Bank.DisposeAsync();
        await App.DisposeAsync();
    }
}
