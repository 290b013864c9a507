using System.Globalization;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Import;

/// <summary>
/// The writer's guarantees on both databases: a failure after some chunks were written leaves nothing of the batch
/// (payees, transactions, lines, keys, batch, change log), and two imports of the same rows at once add them once.
/// </summary>
public sealed class ImportAllOrNothingTests
{
    /// <summary>Card payments in October; the last day's row (written in the last chunk, by date order) is the given amount.</summary>
    private static string[] Statement(int rows, string lastAmount = "-1.00") =>
        [.. Enumerable.Range(0, rows - 1).Select(i => string.Create(CultureInfo.InvariantCulture, $"2026-10-{1 + i % 27:00},-{1 + i}.25,Shop {i},row {i}")),
            $"2026-10-28,{lastAmount},Last Shop,the last row"];

    [ProviderTheory]
    public async Task AFailureWhileSavingLeavesNothingOfTheBatch(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);
        await home.CommitCsvAsync(home.CheckingId, "2026-09-01,-3.50,Corner Coffee,");
        var before = await home.FootprintAsync();

        await using (var scope = home.Scope())
        {
            var service = scope.ServiceProvider.GetRequiredService<IImportService>();
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => service.CommitAsync(
                ImportHousehold.Request("big.csv", ImportHousehold.Csv(Statement(2_000)), home.VisaId), new ImportChoices(), new FailAt(60)));
            Assert.Equal("Failed at 60%.", failure.Message);
        }

        Assert.Equal(before, await home.FootprintAsync());
    }

    [ProviderTheory]
    public async Task TwoImportsOfTheSameRowsAtOnceAddThemOnce(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app);
        var rows = Statement(300);
        var overlapping = rows[100..].Concat(Enumerable.Range(0, 50).Select(i => string.Create(CultureInfo.InvariantCulture, $"2026-11-{1 + i % 27:00},-{2 + i}.10,New Shop {i},"))).ToArray();

        // Both at once: on PostgreSQL the household's import lock, on SQLite the write lock, puts one after the other.
        var first = home.CommitCsvAsync(home.VisaId, rows);
        var second = home.CommitCsvAsync(home.VisaId, overlapping);
        var results = await Task.WhenAll(first, second);

        Assert.Equal(350, results.Sum(r => r.Added));
        Assert.Equal(200, results.Sum(r => r.DuplicatesSkipped));
        Assert.Equal(350, await home.QueryAsync(db => db.Transactions.CountAsync(t => t.AccountId == home.VisaId)));
        Assert.Equal(350, await home.QueryAsync(db => db.ImportKeys.CountAsync(k => k.AccountId == home.VisaId)));
        Assert.Equal(350, await home.QueryAsync(db => db.Transactions.Where(t => t.AccountId == home.VisaId)
            .Select(t => new { t.Date, t.AmountMinor, t.PayeeId }).Distinct().CountAsync()));
    }

    /// <summary>Throws from the writer's own progress report once it has saved the given share of the rows.</summary>
    private sealed class FailAt(int percent) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            if (value.Stage == "Saving" && value.Percent >= percent)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Failed at {percent}%."));
            }
        }
    }
}
