using System.Text;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.BankSync;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.BankSync;

public sealed class BankSyncTests
{
    [Fact]
    public async Task ClaimingTheSetupTokenStoresTheConnectionAndListsTheBankAccounts()
    {
        await using var setup = await BankSyncSetup.CreateAsync();
        await using var scope = setup.Owner();
        var service = scope.ServiceProvider.GetRequiredService<BankConnectionService>();

        var id = await service.AddAsync("Example Bank", setup.Bank.SetupToken, 90);

        var connection = (await service.ListAsync()).Single();
        Assert.Equal(id, connection.Id);
        Assert.Equal(BankConnectionStatus.Ok, connection.Status);
        var account = Assert.Single(connection.Accounts);
        Assert.Equal("Everyday Checking", account.ExternalName);
        Assert.Equal("Example Bank", account.Institution);
        Assert.Null(account.AccountId);
        Assert.Equal(123_456, account.BalanceMinor);
        Assert.Empty(await setup.TransactionsAsync());

        // A setup token works once: the Bridge refuses it the second time, and nothing is stored.
        var again = await Assert.ThrowsAsync<FieldValidationException>(() => service.AddAsync("Twice", setup.Bank.SetupToken, 90));
        Assert.Equal("setupToken", again.Field);
        Assert.Single(await service.ListAsync());
    }

    [ProviderTheory]
    public async Task FirstSyncImportsPostedTransactionsOfTheHistoryWindowAndSkipsPendingOnes(DatabaseProvider provider)
    {
        await using var setup = await BankSyncSetup.CreateAsync(new TestApp(provider));
        var id = await setup.ConnectAsync(historyDays: 90);

        var outcome = await setup.SyncNowAsync(id);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(3, outcome.Added);
        var rows = await setup.TransactionsAsync();
        Assert.Equal(
        [
            ("KIOSK 44 BERLIN", 1_500L, TransactionKind.Expense, new DateOnly(2026, 9, 20), TransactionSource.BankSync),
            ("REWE", 4_250L, TransactionKind.Expense, new DateOnly(2026, 11, 1), TransactionSource.BankSync),
            ("SALARY ACME GMBH", 250_000L, TransactionKind.Income, new DateOnly(2026, 11, 3), TransactionSource.BankSync),
        ], rows);
        // The 90 days are read in windows the Bridge accepts (it refuses longer ranges).
        Assert.True(setup.Bank.Requests.Count >= 2);
        Assert.All(setup.Bank.Requests, r => Assert.True(r.End - r.Start <= TimeSpan.FromDays(90)));

        await using var scope = setup.Owner();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var batch = await db.ImportBatches.AsNoTracking().SingleAsync();
        Assert.Equal(id, batch.BankConnectionId);
        Assert.Equal("SimpleFIN", batch.Format);
        Assert.Equal("SimpleFIN sync 2026-11-15 11:00", batch.FileName); // the household's time (Berlin)
        Assert.Equal(3, batch.RowCount);
        Assert.Equal("Card 1234", await db.Transactions.Where(t => t.Payee!.Name == "REWE").Select(t => t.Notes).SingleAsync());
        var connection = await setup.ConnectionAsync(id);
        Assert.Equal(setup.App.Time.GetUtcNow().UtcDateTime, connection.LastSuccessAt);
        Assert.Equal(setup.App.Time.GetUtcNow().UtcDateTime.AddHours(6), connection.NextAttemptAt);
        Assert.Equal(new DateOnly(2026, 11, 3), (await db.BankAccountLinks.SingleAsync()).SyncedThrough);
    }

    [ProviderTheory]
    public async Task IncrementalSyncReadsFromAWeekBeforeTheLastDateAndAPendingTransactionLandsOnceWhenPosted(DatabaseProvider provider)
    {
        await using var setup = await BankSyncSetup.CreateAsync(new TestApp(provider));
        var id = await setup.ConnectAsync();
        Assert.Equal(3, (await setup.SyncNowAsync(id)).Added);

        // Two days later the pending payment posts (same id) and a new one arrives.
        setup.App.Time.Advance(TimeSpan.FromDays(2));
        var transactions = setup.BankAccount.Transactions;
        transactions[transactions.FindIndex(t => t.Id == "TRN-P")] = new("TRN-P", FakeSimpleFinServer.Utc(2026, 11, 16), "-9.99", "NETFLIX.COM");
        transactions.Add(new("TRN-4", FakeSimpleFinServer.Utc(2026, 11, 17, 8), "-3.20", "BAKERY"));
        setup.Bank.Requests.Clear();

        var second = await setup.SyncNowAsync(id);

        Assert.Equal(2, second.Added);
        Assert.Equal(2, second.Duplicates); // the overlap re-read REWE and the salary, and added neither twice
        Assert.Equal(new DateTimeOffset(2026, 10, 27, 0, 0, 0, TimeSpan.Zero), setup.Bank.Requests.Min(r => r.Start));
        var rows = await setup.TransactionsAsync();
        Assert.Equal(5, rows.Count);
        Assert.Single(rows, r => r.Payee == "NETFLIX.COM" && r.Amount == 999 && r.Date == new DateOnly(2026, 11, 16));

        // Nothing new: no batch is written.
        Assert.Equal(0, (await setup.SyncNowAsync(id)).Added);
        await using var scope = setup.Owner();
        Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<AppDbContext>().ImportBatches.CountAsync());
    }

    [Fact]
    public async Task AnExpiredConnectionNeedsReconnectingAndTheOwnerIsToldOnce()
    {
        await using var setup = await BankSyncSetup.CreateAsync();
        var id = await setup.ConnectAsync();
        setup.Bank.Revoked = true;

        var outcome = await setup.SyncNowAsync(id);

        Assert.False(outcome.Succeeded);
        var connection = await setup.ConnectionAsync(id);
        Assert.Equal(BankConnectionStatus.NeedsReconnect, connection.Status);
        Assert.Equal("The bank connection expired — reconnect with a new setup token.", connection.LastError);
        Assert.Null(connection.NextAttemptAt);
        Assert.Equal(1, await setup.FailureNotificationsAsync());

        await setup.SyncNowAsync(id);
        setup.App.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await setup.RunSchedulerAsync()); // not retried on its own
        Assert.Equal(1, await setup.FailureNotificationsAsync());
    }

    [Fact]
    public async Task ServerErrorsBackOffNotifyOnceAndRecover()
    {
        await using var setup = await BankSyncSetup.CreateAsync();
        var id = await setup.ConnectAsync();
        var start = setup.App.Time.GetUtcNow().UtcDateTime;
        setup.Bank.Failures.Enqueue((500, null));
        setup.Bank.Failures.Enqueue((502, null));
        setup.Bank.Failures.Enqueue((503, null));

        await setup.SyncNowAsync(id);
        var first = await setup.ConnectionAsync(id);
        Assert.Equal(BankConnectionStatus.Failing, first.Status);
        Assert.Equal(start.AddMinutes(15), first.NextAttemptAt);
        Assert.Equal("The bank is not answering; will retry at 2026-11-15 11:15.", first.LastError);
        Assert.Equal(0, await setup.FailureNotificationsAsync()); // one blip is not worth a message

        setup.App.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await setup.RunSchedulerAsync()); // not due yet
        setup.App.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await setup.RunSchedulerAsync());
        var second = await setup.ConnectionAsync(id);
        Assert.Equal(2, second.ConsecutiveFailures);
        Assert.Equal(start.AddMinutes(15 + 30), second.NextAttemptAt);
        Assert.Equal(1, await setup.FailureNotificationsAsync());

        setup.App.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, await setup.RunSchedulerAsync());
        Assert.Equal(start.AddMinutes(45 + 60), (await setup.ConnectionAsync(id)).NextAttemptAt);
        Assert.Equal(1, await setup.FailureNotificationsAsync());

        setup.App.Time.Advance(TimeSpan.FromMinutes(60));
        Assert.Equal(1, await setup.RunSchedulerAsync());
        var recovered = await setup.ConnectionAsync(id);
        Assert.Equal(BankConnectionStatus.Ok, recovered.Status);
        Assert.Null(recovered.LastError);
        Assert.Equal(0, recovered.ConsecutiveFailures);
        Assert.False(recovered.FailureNotified);
        Assert.Equal(3, (await setup.TransactionsAsync()).Count);
        Assert.Equal(1, await setup.FailureNotificationsAsync());
    }

    [Fact]
    public async Task RateLimitingWaitsAsLongAsTheBridgeAsks()
    {
        await using var setup = await BankSyncSetup.CreateAsync();
        var id = await setup.ConnectAsync();
        setup.Bank.Failures.Enqueue((429, 7200));

        await setup.SyncNowAsync(id);

        var connection = await setup.ConnectionAsync(id);
        Assert.Equal(BankConnectionStatus.Failing, connection.Status);
        Assert.Equal(setup.App.Time.GetUtcNow().UtcDateTime.AddHours(2), connection.NextAttemptAt);
        Assert.StartsWith("The bank asked us to slow down", connection.LastError, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task ASyncBatchCanBeUndoneFromImportHistoryAndRemovingTheConnectionKeepsTransactions(DatabaseProvider provider)
    {
        await using var setup = await BankSyncSetup.CreateAsync(new TestApp(provider));
        var id = await setup.ConnectAsync();
        var batchId = Assert.Single((await setup.SyncNowAsync(id)).BatchIds);
        await using var scope = setup.Owner();
        var imports = scope.ServiceProvider.GetRequiredService<IImportService>();
        var history = Assert.Single(await imports.HistoryAsync());
        Assert.Equal("SimpleFIN", history.Format);
        Assert.Equal("Checking", history.AccountName);

        await imports.UndoAsync(batchId);
        Assert.Empty(await setup.TransactionsAsync());

        // The undone rows' bank ids are free again: the next sync brings back what its window (a week before 3 Nov) covers.
        Assert.Equal(2, (await setup.SyncNowAsync(id)).Added);
        await scope.ServiceProvider.GetRequiredService<BankConnectionService>().RemoveAsync(id);
        Assert.Equal(2, (await setup.TransactionsAsync()).Count);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Empty(await db.BankConnections.ToListAsync());
        Assert.Empty(await db.BankAccountLinks.ToListAsync());
        Assert.All(await db.ImportBatches.ToListAsync(), b => Assert.Null(b.BankConnectionId));
    }

    [ProviderTheory]
    public async Task TheSchedulerSyncsEverySixHoursOnTheClock(DatabaseProvider provider)
    {
        await using var setup = await BankSyncSetup.CreateAsync(new TestApp(provider));
        var id = await setup.ConnectAsync();
        Assert.Equal(3, (await setup.SyncNowAsync(id)).Added);

        setup.App.Time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(0, await setup.RunSchedulerAsync());

        setup.BankAccount.Transactions.Add(new("TRN-5", FakeSimpleFinServer.Utc(2026, 11, 15, 13), "-12.00", "PHARMACY"));
        setup.App.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await setup.RunSchedulerAsync());
        Assert.Contains(await setup.TransactionsAsync(), r => r.Payee == "PHARMACY" && r.Amount == 1_200);

        // Paused connections are left alone.
        await using (var scope = setup.Owner())
        {
            await scope.ServiceProvider.GetRequiredService<BankConnectionService>().PauseAsync(id);
        }

        setup.App.Time.Advance(TimeSpan.FromHours(7));
        Assert.Equal(0, await setup.RunSchedulerAsync());
    }

    [Fact]
    public async Task TheAccessUrlIsStoredOnlyEncrypted()
    {
        await using var setup = await BankSyncSetup.CreateAsync();
        var id = await setup.ConnectAsync();
        await setup.SyncNowAsync(id);

        await using (var scope = setup.Owner())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var raw = await db.Database.SqlQueryRaw<string>("""SELECT "ProtectedSecret" AS "Value" FROM "BankConnections" """).SingleAsync();
            Assert.DoesNotContain(FakeSimpleFinServer.Password, raw, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", raw, StringComparison.Ordinal);
            Assert.Equal(setup.Bank.AccessUrl, scope.ServiceProvider.GetRequiredService<BankSecretProtector>().Unprotect(raw));
        }

        // Nowhere in the data folder either (database, WAL, anything else), in plain text.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var password = Encoding.UTF8.GetBytes(FakeSimpleFinServer.Password);
        // instance.lock is held exclusively by the running app (InstanceLock) and holds nothing.
        foreach (var file in Directory.EnumerateFiles(setup.App.DataDirectory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "instance.lock"))
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                bytes = copy.ToArray();
            }
            catch (FileNotFoundException)
            {
                // The -wal and -shm files go when SQLite's last connection closes, maybe between the listing and here.
                continue;
            }

            Assert.True(bytes.AsSpan().IndexOf(password) < 0, $"{file} holds the access URL's password in plain text.");
        }
    }

    [Fact]
    public async Task AnotherHouseholdCannotSeeOrSyncTheConnection()
    {
        await using var setup = await BankSyncSetup.CreateAsync();
        var id = await setup.ConnectAsync();
        var (user, other, memberId) = await setup.App.CreateUserWithHouseholdAsync("stranger@example.com");
        var requests = setup.Bank.Requests.Count;
        await using var scope = setup.App.ScopeFor(other.Id, memberId, MemberRole.Owner, user.Id);
        var service = scope.ServiceProvider.GetRequiredService<BankConnectionService>();

        Assert.Empty(await service.ListAsync());
        await Assert.ThrowsAsync<NotFoundException>(() => service.SyncNowAsync(id));
        await Assert.ThrowsAsync<NotFoundException>(() => service.PauseAsync(id));
        await Assert.ThrowsAsync<NotFoundException>(() => service.RemoveAsync(id));
        await Assert.ThrowsAsync<NotFoundException>(() => scope.ServiceProvider.GetRequiredService<BankSyncRunner>().SyncAsync(id));
        Assert.Equal(requests, setup.Bank.Requests.Count);
        Assert.Equal(BankConnectionStatus.Ok, (await setup.ConnectionAsync(id)).Status);
    }

    [Fact]
    public async Task ViewersSeeConnectionsButCannotAddOrSyncAndChildrenSeeNothing()
    {
        await using var setup = await BankSyncSetup.CreateAsync();
        var id = await setup.ConnectAsync();
        await using (var viewer = setup.App.ScopeFor(setup.HouseholdId, setup.OwnerId, MemberRole.Viewer))
        {
            var service = viewer.ServiceProvider.GetRequiredService<BankConnectionService>();
            Assert.Single(await service.ListAsync());
            await Assert.ThrowsAsync<HouseholdAccessException>(() => service.AddAsync("Mine", setup.Bank.SetupToken, 30));
            await Assert.ThrowsAsync<HouseholdAccessException>(() => service.SyncNowAsync(id));
            await Assert.ThrowsAsync<HouseholdAccessException>(() => service.RemoveAsync(id));
        }

        await using (var child = setup.App.ScopeFor(setup.HouseholdId, setup.OwnerId, MemberRole.Child))
        {
            await Assert.ThrowsAsync<HouseholdAccessException>(() => child.ServiceProvider.GetRequiredService<BankConnectionService>().ListAsync());
        }

        Assert.Single(setup.Bank.Requests); // only the owner's account listing reached the bank
    }

    [Fact]
    public async Task AccountsInAnotherCurrencyCannotBeMapped()
    {
        await using var setup = await BankSyncSetup.CreateAsync();
        setup.Bank.Accounts.Add(new FakeAccount("ACT-USD", "Travel USD", "USD"));
        await using var scope = setup.Owner();
        var service = scope.ServiceProvider.GetRequiredService<BankConnectionService>();
        var id = await service.AddAsync("Example Bank", setup.Bank.SetupToken, 30);
        var usd = (await service.ListAsync()).Single().Accounts.Single(a => a.Currency == "USD");

        var error = await Assert.ThrowsAsync<FieldValidationException>(() => service.SaveMappingAsync(id, new Dictionary<long, long?> { [usd.Id] = setup.CheckingId }));

        Assert.Equal("link-" + usd.Id, error.Field);
        Assert.Contains("only accounts in EUR", error.Message, StringComparison.Ordinal);
    }
}
