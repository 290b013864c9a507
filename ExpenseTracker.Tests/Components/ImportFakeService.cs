using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Tests.Components;

/// <summary>A stand-in for the import pipeline: answers previews from a function, records what it was asked, and
/// lets a test hold a commit half-way (after reporting progress) until it releases it.</summary>
internal sealed class ImportFakeService : IImportService
{
    public Func<ImportRequest, ImportPreview> Preview { get; set; } = r => throw new ImportRefusedException("No preview configured.");

    public List<ImportRequest> Previews { get; } = [];

    public List<(ImportRequest Request, ImportChoices Choices)> Commits { get; } = [];

    /// <summary>When set, a commit reports 2 of 5 rows done and waits for this before finishing.</summary>
    public TaskCompletionSource? HoldCommit { get; set; }

    public ImportResult Result { get; set; } = new([1], 0, 0, 0);

    public Task<ImportPreview> PreviewAsync(ImportRequest request, CancellationToken cancellationToken = default)
    {
        Previews.Add(request);
        return Task.FromResult(Preview(request));
    }

    public async Task<ImportResult> CommitAsync(ImportRequest request, ImportChoices choices, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Commits.Add((request, choices));
        progress?.Report(new ImportProgress(2, 5, "Saving"));
        if (HoldCommit is not null)
        {
            await HoldCommit.Task;
        }

        progress?.Report(new ImportProgress(5, 5, "Saving"));
        return Result;
    }

    public Task UndoAsync(long batchId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<ImportBatchSummary>> HistoryAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ImportBatchSummary>>([]);

    public static PreviewRow Row(int index, string payee, long amountMinor, PreviewRowStatus status = PreviewRowStatus.New, long? categoryId = null) =>
        new(index, index + 2, new DateOnly(2026, 11, 1).AddDays(index % 28), amountMinor, null, payee, null, null, $"key{index}", status,
            status == PreviewRowStatus.New ? null : "Imported on 1 Nov", categoryId is null ? CategorySuggestion.None : new CategorySuggestion(categoryId, [], null, null, SuggestionSource.History), false, null);

    public static ImportPreview OneStatement(string fileName, IReadOnlyList<PreviewRow> rows, long? accountId, string format = "OFX",
        IReadOnlyList<PreviewError>? errors = null, bool needsRate = false, string currency = "EUR") =>
        new(fileName, format, [new PreviewStatement(0, "DE89 3704", accountId, currency, needsRate, rows)], errors ?? [], [], null);
}
