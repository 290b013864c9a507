using ExpenseTracker.Web.Features.Live;

namespace ExpenseTracker.Web.Features.Notifications.Alerts;

/// <summary>
/// Listens to every household's transaction changes and runs <see cref="SpendingAlerts"/> for them in a fresh scope.
/// Cheap for the writer: the notifier's call only records the change; one worker per household runs at a time and
/// coalesces a burst (an import's batches, a quick series of edits) into one pass over the merged date range. A change
/// to a quiet household is judged at once; while changes keep coming (scripts writing through the API), passes are at
/// least <see cref="PassGap"/> apart, so the judging does not compete with every write. Never throws into the notifier:
/// failures are logged, and the next change (or the outbox key) makes up for them.
/// </summary>
public sealed partial class SpendingAlertListener(
    HouseholdChangeNotifier notifier,
    IServiceScopeFactory scopes,
    ILogger<SpendingAlertListener> logger) : IHostedService, IDisposable
{
    /// <summary>
    /// The least time between two passes for one household. Real time on purpose: it paces work, it is no business
    /// date, and a test's fake clock must not hold alerts back.
    /// </summary>
    public static readonly TimeSpan PassGap = TimeSpan.FromSeconds(1);

    private readonly Dictionary<long, Pending> pending = [];
    private readonly HashSet<Task> running = [];
    private readonly CancellationTokenSource stopping = new();
    private IDisposable? subscription;
    private bool disposed;

    /// <summary>What is waiting for a household's worker: the merged transaction date range (Unknown: any date).</summary>
    private sealed class Pending
    {
        public bool Waiting { get; set; }
        public bool Unknown { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }

        public void Add(HouseholdChange change)
        {
            Waiting = true;
            if (change.From is not { } from || change.To is not { } to)
            {
                Unknown = true;
                return;
            }

            From = From is { } f && f < from ? f : from;
            To = To is { } t && t > to ? t : to;
        }

        public (DateOnly? From, DateOnly? To) Take()
        {
            var range = Unknown ? (null, null) : (From, To);
            Waiting = Unknown = false;
            From = To = null;
            return range;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = notifier.SubscribeAll(OnChangeAsync);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        subscription?.Dispose();
        Task[] workers;
        lock (pending)
        {
            if (disposed)
            {
                return;
            }

            stopping.Cancel();
            workers = [.. running];
        }

        await Task.WhenAll(workers).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>The host may dispose its services without stopping them first (a failed start, a test host torn down).</summary>
    public void Dispose()
    {
        subscription?.Dispose();
        lock (pending)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            stopping.Cancel();
        }

        stopping.Dispose();
    }

    private Task OnChangeAsync(HouseholdChange change)
    {
        if (!change.Kind.HasFlag(HouseholdChangeKind.Transactions))
        {
            return Task.CompletedTask;
        }

        lock (pending)
        {
            if (disposed || stopping.IsCancellationRequested)
            {
                return Task.CompletedTask;
            }

            if (pending.TryGetValue(change.HouseholdId, out var waiting))
            {
                waiting.Add(change); // a worker runs for this household: it picks the change up when its pass ends
                return Task.CompletedTask;
            }

            var work = new Pending();
            work.Add(change);
            pending[change.HouseholdId] = work;
            var token = stopping.Token;
            var worker = Task.Run(() => WorkAsync(change.HouseholdId, work, token));
            running.Add(worker);
            _ = worker.ContinueWith(t => { lock (pending) { running.Remove(t); } }, TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    private async Task WorkAsync(long householdId, Pending work, CancellationToken token)
    {
        for (var pass = 0; ; pass++)
        {
            (DateOnly? From, DateOnly? To) range;
            lock (pending)
            {
                if (!work.Waiting || token.IsCancellationRequested)
                {
                    pending.Remove(householdId);
                    return;
                }
            }

            if (pass > 0)
            {
                // Changes came in during the last pass: let more gather before judging them together.
                await Task.Delay(PassGap, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            lock (pending)
            {
                if (token.IsCancellationRequested)
                {
                    pending.Remove(householdId);
                    return;
                }

                range = work.Take();
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SpendingAlerts>().ProcessAsync(householdId, range.From, range.To, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Shutting down; the outbox key lets the next start redo this pass safely.
            }
#pragma warning disable CA1031 // A failed pass must not take the listener down; the next change retries.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogFailed(exception, householdId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spending alerts for household {HouseholdId} failed.")]
    private partial void LogFailed(Exception exception, long householdId);
}
