using System.Globalization;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Import;

/// <summary>
/// The writer sends rows in chunks of one INSERT each, with ids it gives itself: a file larger than one chunk lands
/// whole, every row searchable, every line on its own transaction, and the ids after it are new.
/// </summary>
public sealed class ImportChunkedWriteTests
{
    private const int Rows = 450;

    private static string[] Statement() =>
        [.. Enumerable.Range(0, Rows).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"2026-10-{1 + i % 28:00},-{1 + i}.25,{(i % 3 == 0 ? "Trattoria Roma" : "Kiosk " + (i % 7))},ticket {i}"))];

    [ProviderTheory]
    public async Task EveryRowOfAFileLargerThanAChunkIsFoundBySearchAndUndoTakesThemOut(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var result = await home.CommitCsvAsync(home.CheckingId, Statement());

        Assert.Equal(Rows, result.Added);
        var trattoria = await home.QueryAsync(db => db.Transactions.Where(t => t.Payee!.Name == "Trattoria Roma").Select(t => t.Id).OrderBy(id => id).ToListAsync());
        Assert.Equal(Rows / 3, trattoria.Count);
        Assert.Equal(trattoria, await MatchAsync(home, "trattoria"));
        Assert.Equal(Rows, (await MatchAsync(home, "ticket")).Count);
        var ticket = await home.QueryAsync(db => db.Transactions.Where(t => t.Notes == "ticket 449").Select(t => t.Id).SingleAsync());
        Assert.Equal([ticket], await MatchAsync(home, "\"ticket 449\""));

        await home.UndoAsync(Assert.Single(result.BatchIds));

        Assert.Empty(await MatchAsync(home, "trattoria"));
        Assert.Empty(await MatchAsync(home, "ticket"));
        Assert.Equal(0, await home.QueryAsync(db => db.TransactionSearch.CountAsync()));
    }

    [ProviderTheory]
    public async Task EachLinePointsAtItsOwnTransactionAndLaterIdsAreNew(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);

        var result = await home.CommitCsvAsync(home.CheckingId, Statement());
        var rows = await home.QueryAsync(db => db.Transactions.Where(t => t.ImportBatchId == result.BatchIds[0]).Select(t => new { t.Id, t.AmountMinor, t.Notes, Lines = t.Lines.Select(l => l.AmountMinor).ToList() }).ToListAsync());

        Assert.Equal(Rows, rows.Count);
        Assert.All(rows, r => Assert.Equal([r.AmountMinor], r.Lines));
        Assert.All(rows, r => Assert.Equal(int.Parse(r.Notes!["ticket ".Length..], CultureInfo.InvariantCulture) + 1, r.AmountMinor / 100));
        Assert.Equal(Rows, await home.QueryAsync(db => db.ImportKeys.CountAsync(k => k.TransactionId != null && k.ImportBatchId == result.BatchIds[0])));

        long later;
        await using (var scope = home.Scope())
        {
            var groceries = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Categories.Where(c => c.Name == "Groceries").Select(c => c.Id).SingleAsync();
            later = await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
            {
                AmountMinor = 9_99, Date = new DateOnly(2026, 11, 1), Payee = "After", AccountId = home.CashId, Lines = [new LineInput(groceries, 9_99)],
            });
        }

        Assert.True(later > rows.Max(r => r.Id));

        // Undo removes the ids' rows; a new import still gets ids no row ever had.
        await home.UndoAsync(result.BatchIds[0]);
        var again = await home.CommitCsvAsync(home.CheckingId, Statement());
        var ids = await home.QueryAsync(db => db.Transactions.Where(t => t.ImportBatchId == again.BatchIds[0]).Select(t => t.Id).ToListAsync());
        Assert.Equal(Rows, ids.Count);
        Assert.All(ids, id => Assert.True(id > later));
    }

    /// <summary>Full-text matches: FTS5's MATCH on SQLite, the tsvector document with a phrase query on PostgreSQL.</summary>
    private static Task<List<long>> MatchAsync(ImportHousehold home, string query) =>
        home.QueryAsync(db => (db.Database.IsNpgsql()
                ? db.TransactionSearch.Where(s => s.Document!.Matches(EF.Functions.PhraseToTsQuery("simple", query.Trim('"'))))
                : db.TransactionSearch.Where(s => s.Match == query))
            .Select(s => s.RowId).OrderBy(id => id).ToListAsync());
}
