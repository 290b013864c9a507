using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Import;

public sealed class ImportPipelineTests
{
    private static readonly string[] November =
    [
        "2026-11-02,-3.50,Corner Coffee,latte",
        "2026-11-03,-42.10,Supermarket,weekly shop",
        "2026-11-04,-15.00,Cinema,",
        "2026-11-05,2500.00,Employer Ltd,salary",
    ];

    [ProviderTheory]
    public async Task ReimportingTheSameStatementAddsNothing(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var first = await home.CommitCsvAsync(home.CheckingId, November);
        var again = await home.CommitCsvAsync(home.CheckingId, November);

        Assert.Equal(4, first.Added);
        Assert.Equal(0, again.Added);
        Assert.Equal(4, again.DuplicatesSkipped);
        Assert.Equal(4, await home.LiveTransactionsAsync());
        var preview = await home.PreviewAsync(ImportHousehold.Request("statement.csv", ImportHousehold.Csv(November), home.CheckingId));
        Assert.All(preview.Statements.Single().Rows, r => Assert.Equal(PreviewRowStatus.Duplicate, r.Status));
    }

    [ProviderTheory]
    public async Task AnOverlappingStatementAddsOnlyTheNewRows(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        await home.CommitCsvAsync(home.CheckingId, November[..3]);

        var result = await home.CommitCsvAsync(home.CheckingId, [.. November[1..], "2026-11-06,-8.20,Bakery,"]);

        Assert.Equal(2, result.Added);
        Assert.Equal(2, result.DuplicatesSkipped);
        var payees = await home.QueryAsync(db => db.Transactions.OrderBy(t => t.Date).Select(t => t.Payee!.Name).ToListAsync());
        Assert.Equal(["Corner Coffee", "Supermarket", "Cinema", "Employer Ltd", "Bakery"], payees);
    }

    [ProviderTheory]
    public async Task ImportUndoAndImportAgainBringsTheRowsBack(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var first = await home.CommitCsvAsync(home.CheckingId, November);
        var batch = Assert.Single(first.BatchIds);

        await home.UndoAsync(batch);

        var afterUndo = await home.FootprintAsync();
        Assert.Equal((0, 0, 0), (afterUndo.Transactions, afterUndo.Lines, afterUndo.Keys));
        var history = await home.QueryAsync(db => db.ImportBatches.SingleAsync());
        Assert.NotNull(history.UndoneAt);
        await Assert.ThrowsAsync<ImportRefusedException>(() => home.UndoAsync(batch));

        var again = await home.CommitCsvAsync(home.CheckingId, November);
        Assert.Equal(4, again.Added);
        Assert.Equal(4, await home.LiveTransactionsAsync());
    }

    [ProviderTheory]
    public async Task TwoIdenticalCoffeesOnOneDayAreTwoRows(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        string[] rows = ["2026-11-02,-3.50,Corner Coffee,", "2026-11-02,-3.50,Corner Coffee,"];

        var result = await home.CommitCsvAsync(home.CheckingId, rows);
        var again = await home.CommitCsvAsync(home.CheckingId, [.. rows, "2026-11-02,-3.50,Corner Coffee,"]);

        Assert.Equal(2, result.Added);
        Assert.Equal(1, again.Added);
        Assert.Equal(3, await home.LiveTransactionsAsync());
    }

    [ProviderTheory]
    public async Task AnImportedRowDeletedByHandIsNotImportedAgain(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        await home.CommitCsvAsync(home.CheckingId, November);
        await using (var scope = home.Scope())
        {
            var cinema = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Transactions.Where(t => t.Payee!.Name == "Cinema").Select(t => t.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<ExpenseService>().DeleteAsync(cinema);
        }

        var again = await home.CommitCsvAsync(home.CheckingId, November);

        Assert.Equal(0, again.Added);
        Assert.Equal(3, await home.LiveTransactionsAsync());
    }

    [ProviderTheory]
    public async Task ANearDuplicateIsFlaggedButStillImported(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        await using (var scope = home.Scope())
        {
            var groceries = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Categories.Where(c => c.Name == "Groceries").Select(c => c.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
            {
                AmountMinor = 42_10, Date = new DateOnly(2026, 11, 1), Payee = "supermarket", AccountId = home.CashId, Lines = [new LineInput(groceries, 42_10)],
            });
        }

        var request = ImportHousehold.Request("statement.csv", ImportHousehold.Csv(November), home.CheckingId);
        var preview = await home.PreviewAsync(request);
        var result = await home.CommitAsync(request);

        var rows = preview.Statements.Single().Rows;
        Assert.Equal(PreviewRowStatus.NearDuplicate, rows.Single(r => r.Payee == "Supermarket").Status);
        Assert.All(rows.Where(r => r.Payee != "Supermarket"), r => Assert.Equal(PreviewRowStatus.New, r.Status));
        Assert.Equal(4, result.Added);
    }

    [ProviderTheory]
    public async Task UntickedRowsAndChosenCategoriesAreRespected(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var request = ImportHousehold.Request("statement.csv", ImportHousehold.Csv(November), home.CheckingId);
        var travel = await home.QueryAsync(db => db.Categories.Where(c => c.Name == "Travel").Select(c => c.Id).SingleAsync());

        await home.CommitAsync(request, new ImportChoices { Excluded = new HashSet<(int, int)> { (0, 0) }, Categories = new Dictionary<(int, int), long> { [(0, 2)] = travel } });

        var saved = await home.QueryAsync(db => db.Transactions.Select(t => new { Payee = t.Payee!.Name, t.Kind, Categories = t.Lines.Select(l => l.Category!.Name).ToList() }).ToListAsync());
        Assert.DoesNotContain(saved, t => t.Payee == "Corner Coffee");
        Assert.Equal(["Travel"], saved.Single(t => t.Payee == "Cinema").Categories);
        Assert.Equal(["Other"], saved.Single(t => t.Payee == "Supermarket").Categories);
        Assert.Equal(TransactionKind.Income, saved.Single(t => t.Payee == "Employer Ltd").Kind);
        Assert.Empty(saved.Single(t => t.Payee == "Employer Ltd").Categories);
    }

    [ProviderTheory]
    public async Task ATransferBetweenTwoOwnAccountsIsNotSpending(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        // The card statement first: the payment received is money in; then the checking statement pays it.
        await home.CommitCsvAsync(home.VisaId, "2026-11-10,500.00,Payment received,", "2026-11-11,-20.00,Bookshop,");
        var request = ImportHousehold.Request("checking.csv", ImportHousehold.Csv("2026-11-09,-500.00,VISA card payment,", "2026-11-12,-9.99,Streaming,"), home.CheckingId);

        var preview = await home.PreviewAsync(request);
        var result = await home.CommitAsync(request);

        var row = preview.Statements.Single().Rows.Single(r => r.AmountMinor == -500_00);
        Assert.Equal((PreviewRowStatus.Transfer, home.VisaId), (row.Status, row.TransferAccountId));
        Assert.Equal(1, result.Transfers);
        var transfers = await home.QueryAsync(db => db.Transactions.Where(t => t.Kind == TransactionKind.Transfer).ToListAsync());
        var transfer = Assert.Single(transfers);
        Assert.Equal((home.CheckingId, home.VisaId, 500_00L), (transfer.AccountId, transfer.ToAccountId!.Value, transfer.AmountMinor));
        Assert.Equal(3, await home.LiveTransactionsAsync());
        Assert.Equal(0, await home.QueryAsync(db => db.TransactionLines.CountAsync(l => l.TransactionId == transfer.Id)));

        // Importing the card statement again finds everything known.
        var again = await home.CommitCsvAsync(home.VisaId, "2026-11-10,500.00,Payment received,", "2026-11-11,-20.00,Bookshop,");
        Assert.Equal(0, again.Added);
    }

    [ProviderTheory]
    public async Task AMultiAccountOfxIsSplitPerAccountAndItsTransferRecordedOnce(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var result = await home.CommitAsync(new ImportRequest("both.ofx", System.Text.Encoding.ASCII.GetBytes(TwoAccountOfx), ReaderOptions.Default));

        Assert.Equal(2, result.BatchIds.Count);
        var batches = await home.QueryAsync(db => db.ImportBatches.OrderBy(b => b.AccountId).Select(b => new { b.AccountId, b.RowCount }).ToListAsync());
        Assert.Equal([(home.CheckingId, 2), (home.VisaId, 2)], batches.Select(b => (b.AccountId, b.RowCount)));
        var saved = await home.QueryAsync(db => db.Transactions.Select(t => new { t.AccountId, t.Kind, t.AmountMinor, t.ToAccountId }).ToListAsync());
        Assert.Equal(3, saved.Count);
        Assert.Contains(saved, t => t.Kind == TransactionKind.Transfer && t.AccountId == home.CheckingId && t.ToAccountId == home.VisaId && t.AmountMinor == 300_00);
        Assert.Contains(saved, t => t.Kind == TransactionKind.Expense && t.AccountId == home.VisaId && t.AmountMinor == 61_25);
        Assert.Equal(4, await home.QueryAsync(db => db.ImportKeys.CountAsync()));

        var again = await home.CommitAsync(new ImportRequest("both.ofx", System.Text.Encoding.ASCII.GetBytes(TwoAccountOfx), ReaderOptions.Default));
        Assert.Equal(0, again.Added);
    }

    [ProviderTheory]
    public async Task AForeignStatementNeedsOneRateAndFlagsRounding(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var csv = "Date,Amount,Payee,Currency\n2026-11-02,-10.005,Diner,USD\n2026-11-03,-20.000,Taxi,USD\n";
        var preview = await home.PreviewAsync(ImportHousehold.Request("usd.csv", csv, home.CheckingId));

        var statement = preview.Statements.Single();
        Assert.True(statement.NeedsRate);
        Assert.Equal("USD", statement.Currency);
        Assert.Equal([true, false], statement.Rows.Select(r => r.RoundingFlag));
        await Assert.ThrowsAsync<ImportRefusedException>(() => home.CommitAsync(ImportHousehold.Request("usd.csv", csv, home.CheckingId)));
        Assert.Equal(0, await home.LiveTransactionsAsync());

        await home.CommitAsync(ImportHousehold.Request("usd.csv", csv, home.CheckingId, rate: 0.9m));

        var saved = await home.QueryAsync(db => db.Transactions.OrderBy(t => t.Date).Select(t => new { t.AmountMinor, t.Currency, t.OriginalAmountMinor, t.OriginalCurrency, t.ExchangeRate }).ToListAsync());
        Assert.Equal((9_00L, "EUR", 10_01L, "USD", 0.9m), (saved[0].AmountMinor, saved[0].Currency, saved[0].OriginalAmountMinor!.Value, saved[0].OriginalCurrency!, saved[0].ExchangeRate!.Value));
        Assert.Equal((18_00L, 20_00L), (saved[1].AmountMinor, saved[1].OriginalAmountMinor!.Value));
        var batch = await home.QueryAsync(db => db.ImportBatches.SingleAsync());
        Assert.Equal(("USD", 0.9m), (batch.Currency!, batch.ExchangeRate!.Value));
    }

    [ProviderTheory]
    public async Task RowErrorsAreReportedWithLineAndColumn(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var preview = await home.PreviewAsync(ImportHousehold.Request("statement.csv", ImportHousehold.Csv(["2026-11-02,-3.50,Coffee,", "2026-11-03,lots,Shop,", "2026-11-04,0.00,Nothing,", .. November]), home.CheckingId));

        Assert.Equal(5, preview.Statements.Single().Rows.Count);
        Assert.Contains(preview.Errors, e => e.SourceLine == 3 && e.Message.Contains("lots", StringComparison.Ordinal));
        Assert.Contains(preview.Errors, e => e.SourceLine == 4 && e.Column == "Amount");
    }

    [ProviderTheory]
    public async Task AStatementIsMatchedToTheAccountByItsNumber(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var preview = await home.PreviewAsync(new ImportRequest("both.ofx", System.Text.Encoding.ASCII.GetBytes(TwoAccountOfx), ReaderOptions.Default));

        Assert.Equal([home.CheckingId, home.VisaId], preview.Statements.Select(s => s.AccountId!.Value));
    }

    [ProviderTheory]
    public async Task EachBatchWritesOneChangeLogEntryAndAnnouncesTheChange(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var notifier = app.Services.GetRequiredService<HouseholdChangeNotifier>();
        var announced = new TaskCompletionSource<HouseholdChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = notifier.Subscribe(home.HouseholdId, change =>
        {
            // Setting the household up announced its accounts; delivery is asynchronous, so that may still arrive.
            if (change.Kind.HasFlag(HouseholdChangeKind.Transactions))
            {
                announced.TrySetResult(change);
            }

            return Task.CompletedTask;
        });
        var before = (await home.FootprintAsync()).ChangeLog;

        var result = await home.CommitAsync(new ImportRequest("both.ofx", System.Text.Encoding.ASCII.GetBytes(TwoAccountOfx), ReaderOptions.Default));

        var change = await announced.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(home.HouseholdId, change.HouseholdId);
        var entries = await home.QueryAsync(db => db.ChangeLog.Where(c => c.HouseholdId == home.HouseholdId).OrderBy(c => c.Id).Skip(before).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(("ImportBatch", "Bulk"), (e.Entity, e.Action)));
        Assert.Equal(result.BatchIds.Order().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)), entries.Select(e => e.EntityId).Order());

        await home.UndoAsync(result.BatchIds[0]);
        Assert.Equal(before + 3, (await home.FootprintAsync()).ChangeLog);
    }

    [ProviderTheory]
    public async Task HistoryListsBatchesNewestFirst(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        await home.CommitCsvAsync(home.CheckingId, November[..2]);
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await home.CommitAsync(ImportHousehold.Request("visa.csv", ImportHousehold.Csv(November), home.VisaId));

        await using var scope = home.Scope();
        var history = await scope.ServiceProvider.GetRequiredService<IImportService>().HistoryAsync();

        Assert.Equal(["visa.csv", "statement.csv"], history.Select(h => h.FileName));
        Assert.Equal((second.BatchIds[0], "Visa", 4, 0, "ana"), (history[0].Id, history[0].AccountName, history[0].RowCount, history[0].DuplicateCount, history[0].CreatedBy!));
    }

    [ProviderTheory]
    public async Task CancellingMidCommitLeavesTheDatabaseAsItWas(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        await home.CommitCsvAsync(home.CheckingId, November);
        var before = await home.FootprintAsync();
        var rows = Enumerable.Range(0, 3_000).Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"2026-10-{1 + (i % 28):00},-{1 + i}.25,Shop {i},"));
        using var cancellation = new CancellationTokenSource();
        var progress = new CancelAt(cancellation, percent: 30);

        await using (var scope = home.Scope())
        {
            var service = scope.ServiceProvider.GetRequiredService<IImportService>();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                service.CommitAsync(ImportHousehold.Request("big.csv", ImportHousehold.Csv([.. rows]), home.VisaId), new ImportChoices(), progress, cancellation.Token));
        }

        Assert.True(progress.Reached);
        Assert.Equal(before, await home.FootprintAsync());
    }

    /// <summary>Cancels once the writer reported the given percentage; reports come on the writer's thread.</summary>
    private sealed class CancelAt(CancellationTokenSource cancellation, int percent) : IProgress<ImportProgress>
    {
        public bool Reached { get; private set; }

        public void Report(ImportProgress value)
        {
            if (value.Stage == "Saving" && value.Percent >= percent)
            {
                Reached = true;
                cancellation.Cancel();
            }
        }
    }

    internal const string TwoAccountOfx = """
        OFXHEADER:100
        DATA:OFXSGML
        VERSION:102
        SECURITY:NONE
        ENCODING:USASCII
        CHARSET:1252
        COMPRESSION:NONE
        OLDFILEUID:NONE
        NEWFILEUID:NONE

        <OFX>
        <SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20261130<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>
        <BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
        <STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>10020030<ACCTID>DE89370400440532011234<ACCTTYPE>CHECKING</BANKACCTFROM>
        <BANKTRANLIST><DTSTART>20261101<DTEND>20261130
        <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261105<TRNAMT>-300.00<FITID>CHK-1<NAME>Credit card payment</STMTTRN>
        <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261106<TRNAMT>-12.40<FITID>CHK-2<NAME>Pharmacy</STMTTRN>
        </BANKTRANLIST><LEDGERBAL><BALAMT>1000.00<DTASOF>20261130</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1>
        <CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>2<STATUS><CODE>0<SEVERITY>INFO</STATUS>
        <CCSTMTRS><CURDEF>EUR<CCACCTFROM><ACCTID>4111111111119876</CCACCTFROM>
        <BANKTRANLIST><DTSTART>20261101<DTEND>20261130
        <STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261107<TRNAMT>300.00<FITID>CC-1<NAME>Payment thank you</STMTTRN>
        <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261108<TRNAMT>-61.25<FITID>CC-2<NAME>Restaurant</STMTTRN>
        </BANKTRANLIST><LEDGERBAL><BALAMT>-61.25<DTASOF>20261130</LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1>
        </OFX>
        """;
}
