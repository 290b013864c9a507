using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Readers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Hardening.Fuzz;

public enum FuzzOutcome
{
    Refused,
    Imported,
    Failed,
}

public sealed record FuzzResult(MutatedFile File, FuzzOutcome Outcome, string Detail)
{
    public override string ToString() => $"{File}: {Outcome} — {Detail}";
}

/// <summary>
/// Runs one mutated file through the real <see cref="IImportService"/> of a household: Preview, then (when it found
/// rows) Commit and Undo. A case passes when it is refused with <see cref="ImportRefusedException"/> and leaves the
/// household's transactions, import keys and batches as they were, or when it imports and they grow by exactly the
/// batch's rows. Any other exception, a timeout or a count that does not add up is a failure.
/// </summary>
public sealed class FuzzHarness(Func<AsyncServiceScope> scopeForOwner, long accountId, TimeSpan timeout, Func<IServiceProvider, IImportService>? importer = null)
{
    private readonly Func<IServiceProvider, IImportService> importer = importer ?? (services => services.GetRequiredService<IImportService>());

    private sealed record Footprint(int Transactions, int Keys, int Batches, int UndoneBatches);

    public async Task<FuzzResult> RunAsync(MutatedFile file)
    {
        var before = await FootprintAsync();
        try
        {
            var request = new ImportRequest(file.FileName, file.Content, ReaderOptions.Default) { AccountId = accountId };
            var preview = await WithinTimeoutAsync(service => service.PreviewAsync(request, CancellationToken.None), "preview");
            if (preview.Statements.All(s => s.Rows.Count == 0))
            {
                return await Unchanged(file, before, FuzzOutcome.Imported, "preview without rows");
            }

            if (preview.Statements.Any(s => s.NeedsRate))
            {
                request = request with { ExchangeRate = 1.25m };
            }

            var result = await WithinTimeoutAsync(service => service.CommitAsync(request, new ImportChoices(), null, CancellationToken.None), "commit");
            var after = await FootprintAsync();
            var rows = await BatchRowsAsync(result.BatchIds);
            if (after.Transactions - before.Transactions != rows || after.Batches - before.Batches != result.BatchIds.Count
                || after.Keys - before.Keys != rows || result.Added != rows)
            {
                return new FuzzResult(file, FuzzOutcome.Failed,
                    $"counts do not add up: {before} -> {after}, batches {result.BatchIds.Count} holding {rows} rows, added {result.Added}");
            }

            foreach (var batch in result.BatchIds)
            {
                await using var scope = scopeForOwner();
                await importer(scope.ServiceProvider).UndoAsync(batch);
            }

            var undone = await FootprintAsync();
            return undone.Transactions == before.Transactions && undone.Keys == before.Keys
                ? new FuzzResult(file, FuzzOutcome.Imported, $"{rows} rows in {result.BatchIds.Count} batches")
                : new FuzzResult(file, FuzzOutcome.Failed, $"undo left {undone} after {before}");
        }
        catch (ImportRefusedException refused) when (!string.IsNullOrWhiteSpace(refused.Message))
        {
            return await Unchanged(file, before, FuzzOutcome.Refused, refused.Message);
        }
        catch (TimeoutException timedOut)
        {
            return new FuzzResult(file, FuzzOutcome.Failed, timedOut.Message);
        }
        catch (Exception other)
        {
            // The top frames name the reader line; the rest is the pipeline and the harness.
            var frames = string.Join("\n", (other.StackTrace ?? string.Empty).Split('\n').Take(3));
            return new FuzzResult(file, FuzzOutcome.Failed, $"{other.GetType().Name}: {other.Message}\n{frames}");
        }
    }

    private async Task<FuzzResult> Unchanged(MutatedFile file, Footprint before, FuzzOutcome outcome, string detail)
    {
        var after = await FootprintAsync();
        return after == before
            ? new FuzzResult(file, outcome, detail)
            : new FuzzResult(file, FuzzOutcome.Failed, $"{outcome} ({detail}) but counts changed: {before} -> {after}");
    }

    /// <summary>The readers are synchronous CPU work that no token interrupts, so a hang is caught by waiting with a limit.</summary>
    private async Task<T> WithinTimeoutAsync<T>(Func<IImportService, Task<T>> action, string stage)
    {
        var scope = scopeForOwner();
        var work = Task.Run(async () =>
        {
            await using (scope)
            {
                return await action(importer(scope.ServiceProvider));
            }
        });
        try
        {
            return await work.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{stage} did not finish within {timeout.TotalSeconds:0} s");
        }
    }

    private async Task<Footprint> FootprintAsync()
    {
        await using var scope = scopeForOwner();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return new Footprint(
            await db.Transactions.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).CountAsync(),
            await db.ImportKeys.CountAsync(),
            await db.ImportBatches.CountAsync(),
            await db.ImportBatches.CountAsync(b => b.UndoneAt != null));
    }

    private async Task<int> BatchRowsAsync(IReadOnlyList<long> batches)
    {
        await using var scope = scopeForOwner();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.ImportBatches.Where(b => batches.Contains(b.Id)).SumAsync(b => b.RowCount);
    }
}
