using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using ExpenseTracker.Web.Infrastructure;
using Npgsql;

namespace ExpenseTracker.Web.Features.Live;

/// <summary>
/// Live updates across app instances on PostgreSQL. As the app's <see cref="IHouseholdChangePublisher"/> it publishes every
/// change in-process first (this instance's pages and listeners, exactly as on SQLite), then queues it for a
/// <c>NOTIFY et_household_changes</c> with a small JSON payload (household, kinds, time, date range, origin instance).
/// Changes reach the publisher after their commit, so a NOTIFY never announces rows other instances cannot read yet.
/// A dedicated long-lived connection LISTENs on the channel and hands changes from other instances to
/// <see cref="HouseholdChangeNotifier.DeliverFromOtherInstanceAsync"/>; its own are ignored (already delivered). A dropped
/// connection is reopened with backoff (1 s doubling to 30 s). Notifications sent while it was down are lost, so once it
/// listens again this instance treats everything as changed (<see cref="HouseholdChangeNotifier.DeliverMissedAsync"/>): its
/// caches of derived figures are dropped and every open page reloads. On SQLite this service does nothing.
/// </summary>
public sealed partial class PostgresChangeBackplane(
    HouseholdChangeNotifier notifier,
    DatabaseOptions database,
    TimeProvider time,
    ILogger<PostgresChangeBackplane> logger) : BackgroundService, IHouseholdChangePublisher
{
    public const string ChannelName = "et_household_changes";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Channel<HouseholdChange> outgoing = Channel.CreateBounded<HouseholdChange>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private NpgsqlDataSource? dataSource;

    /// <summary>This instance's id in the payloads (a fresh one per process start).</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Completes when the listener has issued its LISTEN (for tests and diagnostics); reset when it reconnects.</summary>
    public Task Listening => listening.Task;

    private TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The listener connection's application_name.</summary>
    public string ListenerApplicationName => "et-live " + InstanceId;

    /// <summary>How many times the listener listened again after losing its connection (for tests and diagnostics).</summary>
    public int Reconnects { get; private set; }

    public void Publish(HouseholdChange change)
    {
        notifier.Publish(change);
        if (database.IsPostgres)
        {
            outgoing.Writer.TryWrite(change);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgres)
        {
            return;
        }

        // No pooling for the listener's connection, keepalives so a dead peer is noticed; named, so an operator (or a test)
        // can tell each instance's listener apart in pg_stat_activity.
        var builder = new NpgsqlConnectionStringBuilder(database.PostgresConnectionString)
        {
            KeepAlive = 15,
            Pooling = false,
            ApplicationName = ListenerApplicationName,
        };
        dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            await Task.WhenAll(SendLoopAsync(stoppingToken), ListenLoopAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await dataSource.DisposeAsync();
        }
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (await outgoing.Reader.WaitToReadAsync(stoppingToken))
        {
            try
            {
                await using var connection = await dataSource!.OpenConnectionAsync(stoppingToken);
                while (outgoing.Reader.TryPeek(out var change))
                {
                    await using var command = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
                    command.Parameters.Add(new NpgsqlParameter { Value = ChannelName });
                    command.Parameters.Add(new NpgsqlParameter { Value = Serialize(change, InstanceId) });
                    await command.ExecuteNonQueryAsync(stoppingToken);
                    outgoing.Reader.TryRead(out _);
                }

                backoff = TimeSpan.FromSeconds(1);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogSendFailed(e, backoff);
                await Task.Delay(backoff, stoppingToken);
                backoff = Next(backoff);
            }
        }
    }

    private async Task ListenLoopAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource!.OpenConnectionAsync(stoppingToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand("LISTEN " + ChannelName, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                LogListening(ChannelName);
                backoff = TimeSpan.FromSeconds(1);
                if (lost)
                {
                    // Listening again: what other instances announced in between is gone, so assume anything changed.
                    lost = false;
                    Reconnects++;
                    LogCatchUp();
                    await notifier.DeliverMissedAsync(time.GetUtcNow());
                }

                listening.TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                if (listening.Task.IsCompleted)
                {
                    listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    lost = true;
                }

                LogListenFailed(e, backoff);
                await Task.Delay(backoff, stoppingToken);
                backoff = Next(backoff);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs args)
    {
        if (args.Channel != ChannelName || Deserialize(args.Payload) is not { } received || received.Origin == InstanceId)
        {
            return;
        }

        // Off the connection's thread: WaitAsync resumes at once, whatever the pages do with the change.
        _ = Task.Run(() => notifier.DeliverFromOtherInstanceAsync(received.Change));
    }

    private static TimeSpan Next(TimeSpan backoff) => backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;

    /// <summary>The NOTIFY payload (well under PostgreSQL's 8000-byte limit).</summary>
    internal sealed record Payload(
        [property: JsonPropertyName("o")] string Origin,
        [property: JsonPropertyName("h")] long HouseholdId,
        [property: JsonPropertyName("k")] int Kind,
        [property: JsonPropertyName("a")] DateTimeOffset At,
        [property: JsonPropertyName("f")] string? From,
        [property: JsonPropertyName("t")] string? To);

    internal static string Serialize(HouseholdChange change, string origin) => JsonSerializer.Serialize(new Payload(
        origin, change.HouseholdId, (int)change.Kind, change.At,
        change.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), change.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>The change and its origin, or null for a payload this version does not understand.</summary>
    internal static (HouseholdChange Change, string Origin)? Deserialize(string payload)
    {
        try
        {
            var p = JsonSerializer.Deserialize<Payload>(payload);
            if (p is null || string.IsNullOrEmpty(p.Origin))
            {
                return null;
            }

            return (new HouseholdChange(p.HouseholdId, (HouseholdChangeKind)p.Kind, p.At, ParseDate(p.From), ParseDate(p.To)), p.Origin);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateOnly? ParseDate(string? value) =>
        value is not null && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public override void Dispose()
    {
        outgoing.Writer.TryComplete();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for household changes of other instances on channel {Channel}.")]
    private partial void LogListening(string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The live-update listener lost its database connection; reconnecting in {Backoff}.")]
    private partial void LogListenFailed(Exception exception, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening again after a lost connection: open pages reload and cached figures are dropped, since changes of other instances may have been missed.")]
    private partial void LogCatchUp();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send a live-update NOTIFY; retrying in {Backoff}.")]
    private partial void LogSendFailed(Exception exception, TimeSpan backoff);
}
