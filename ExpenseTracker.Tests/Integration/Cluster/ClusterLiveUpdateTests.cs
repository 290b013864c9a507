using System.Collections.Concurrent;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Live;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ExpenseTracker.Tests.Integration.Cluster;

/// <summary>
/// Two app instances on one PostgreSQL database: a change saved on one reaches the other's subscribers through
/// LISTEN/NOTIFY, once, and the saving instance hears its own change once (in-process, not again from the database).
/// </summary>
public sealed class ClusterLiveUpdateTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static async Task<PostgresChangeBackplane> ListeningAsync(TestApp app)
    {
        var backplane = app.Services.GetRequiredService<PostgresChangeBackplane>();
        await backplane.Listening.WaitAsync(Generous);
        return backplane;
    }

    /// <summary>Collects a household's changes on one instance; <see cref="Next"/> completes with the first of a kind.</summary>
    private sealed class Heard
    {
        public ConcurrentQueue<HouseholdChange> All { get; } = new();

        private readonly ConcurrentQueue<(HouseholdChangeKind Kind, long? Household, TaskCompletionSource<HouseholdChange> Done)> waiting = new();

        public Task Handle(HouseholdChange change)
        {
            All.Enqueue(change);
            foreach (var (kind, household, done) in waiting)
            {
                if (change.Kind.HasFlag(kind) && (household is null || household == change.HouseholdId))
                {
                    done.TrySetResult(change);
                }
            }

            return Task.CompletedTask;
        }

        public Task<HouseholdChange> Next(HouseholdChangeKind kind)
        {
            var done = new TaskCompletionSource<HouseholdChange>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting.Enqueue((kind, null, done));
            foreach (var change in All.Where(c => c.Kind.HasFlag(kind)))
            {
                done.TrySetResult(change);
            }

            return done.Task;
        }
    }

    [SkippableFact]
    public async Task AnExpenseSavedOnOneInstanceReachesTheOthersSubscribersOnce()
    {
        await using var database = await SharedPostgres.CreateAsync();
        var a = database.Instance();
        var b = database.Instance();
        var home = await TestHousehold.CreateAsync(a, "ana@example.com");
        await ListeningAsync(a);
        await ListeningAsync(b);

        var onA = new Heard();
        var onB = new Heard();
        using var subscriptionA = a.Services.GetRequiredService<HouseholdChangeNotifier>().Subscribe(home.Id, onA.Handle);
        using var subscriptionB = b.Services.GetRequiredService<HouseholdChangeNotifier>().Subscribe(home.Id, onB.Handle);
        var reachedB = onB.Next(HouseholdChangeKind.Transactions);

        var day = new DateOnly(2026, 11, 14);
        await home.AddExpenseAsync(home.Expense(12_34, date: day));

        var change = await reachedB.WaitAsync(Generous);
        Assert.Equal(home.Id, change.HouseholdId);
        Assert.Equal(a.Time.GetUtcNow(), change.At);
        Assert.Equal(day, change.From);
        Assert.Equal(day, change.To);

        // A change published on B afterwards reaches A; NOTIFYs arrive in order, so by then A has seen (and must have
        // ignored) its own expense's NOTIFY.
        var reachedA = onA.Next(HouseholdChangeKind.Budgets);
        b.Services.GetRequiredService<IHouseholdChangePublisher>().Publish(new HouseholdChange(home.Id, HouseholdChangeKind.Budgets, b.Time.GetUtcNow()));
        await reachedA.WaitAsync(Generous);

        Assert.Single(onA.All, c => c.Kind.HasFlag(HouseholdChangeKind.Transactions));
        Assert.Single(onB.All, c => c.Kind.HasFlag(HouseholdChangeKind.Transactions));
        Assert.Single(onB.All, c => c.Kind.HasFlag(HouseholdChangeKind.Budgets));
    }

    [SkippableFact]
    public async Task BackgroundListenersOfTheOtherInstanceDoNotRunAgainForARemoteChange()
    {
        await using var database = await SharedPostgres.CreateAsync();
        var a = database.Instance();
        var b = database.Instance();
        await ListeningAsync(a);
        await ListeningAsync(b);

        var notifierB = b.Services.GetRequiredService<HouseholdChangeNotifier>();
        var pageOnB = new Heard();
        var everyHouseholdOnB = new Heard();
        using var page = notifierB.Subscribe(4242, pageOnB.Handle);
        using var all = notifierB.SubscribeAll(everyHouseholdOnB.Handle);
        var reached = pageOnB.Next(HouseholdChangeKind.Categories);

        a.Services.GetRequiredService<IHouseholdChangePublisher>().Publish(new HouseholdChange(4242, HouseholdChangeKind.Categories, a.Time.GetUtcNow()));
        await reached.WaitAsync(Generous);

        // B's own change does reach its every-household listener, and after it (same delivery path) nothing from A did.
        var local = everyHouseholdOnB.Next(HouseholdChangeKind.Accounts);
        b.Services.GetRequiredService<IHouseholdChangePublisher>().Publish(new HouseholdChange(4242, HouseholdChangeKind.Accounts, b.Time.GetUtcNow()));
        await local.WaitAsync(Generous);
        Assert.DoesNotContain(everyHouseholdOnB.All, c => c.Kind.HasFlag(HouseholdChangeKind.Categories));
    }

    /// <summary>
    /// NOTIFYs sent while an instance's listener is disconnected are gone. Once it listens again the instance assumes anything
    /// changed: its cached monthly figures are dropped (they would otherwise stay stale until the household's next change)
    /// and every open page of every household reloads; background listeners do not run (the saving instance ran them).
    /// </summary>
    [SkippableFact]
    public async Task AfterTheListenerLostItsConnectionCachedFiguresAreDroppedAndOpenPagesReload()
    {
        await using var database = await SharedPostgres.CreateAsync();
        var a = database.Instance();
        var b = database.Instance();
        var home = await TestHousehold.CreateAsync(a, "ana@example.com");
        await ListeningAsync(a);
        var backplaneB = await ListeningAsync(b);

        // B holds October's figures of the household, as after showing its dashboard.
        var cache = b.Services.GetRequiredService<MonthlyAggregateCache>();
        var october = new BudgetMonth(2026, 10);
        await cache.GetAsync(home.Id, 1, MonthlyAggregateCache.ByCategory, october, october,
            (_, _) => Task.FromResult(new List<KeyedTotal> { new() { Key = 1, AmountMinor = 10_00, Count = 1, Month = october.Index } }));
        Assert.Equal(1, cache.Count(home.Id));

        var notifierB = b.Services.GetRequiredService<HouseholdChangeNotifier>();
        var pageOnB = new Heard();
        var everyHouseholdOnB = new Heard();
        using var page = notifierB.Subscribe(home.Id, pageOnB.Handle);
        using var all = notifierB.SubscribeAll(everyHouseholdOnB.Handle);
        var caughtUp = pageOnB.Next(HouseholdChangeKind.Any);

        // The server ends B's listener session (as a restart or a dropped network would); A's stays.
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", connection);
            terminate.Parameters.Add(new NpgsqlParameter { Value = backplaneB.ListenerApplicationName });
            Assert.Equal(1L, await terminate.ExecuteScalarAsync());
        }

        var change = await caughtUp.WaitAsync(Generous);
        Assert.Equal(home.Id, change.HouseholdId);
        Assert.Equal(HouseholdChangeKind.Any, change.Kind);
        Assert.Null(change.From);
        Assert.Null(change.To);
        Assert.Equal(0, cache.Count(home.Id));
        Assert.Equal(1, backplaneB.Reconnects);
        Assert.Equal(0, a.Services.GetRequiredService<PostgresChangeBackplane>().Reconnects);

        // Listening again: A's next change reaches B's page, and the catch-up never reached B's background listeners.
        var next = pageOnB.Next(HouseholdChangeKind.Budgets);
        a.Services.GetRequiredService<IHouseholdChangePublisher>().Publish(new HouseholdChange(home.Id, HouseholdChangeKind.Budgets, a.Time.GetUtcNow()));
        await next.WaitAsync(Generous);
        Assert.DoesNotContain(everyHouseholdOnB.All, c => c.Kind == HouseholdChangeKind.Any);
    }

    [Fact]
    public void ThePayloadCarriesTheChangeAndItsOrigin()
    {
        var change = new HouseholdChange(7, HouseholdChangeKind.Transactions | HouseholdChangeKind.Budgets,
            new DateTimeOffset(2026, 11, 15, 10, 0, 0, TimeSpan.Zero), new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 15));

        var payload = PostgresChangeBackplane.Serialize(change, "node-a");
        var (back, origin) = PostgresChangeBackplane.Deserialize(payload)!.Value;

        Assert.Equal(change, back);
        Assert.Equal("node-a", origin);
        Assert.True(payload.Length < 200, payload);
        Assert.Null(PostgresChangeBackplane.Deserialize("not json"));
        Assert.Null(PostgresChangeBackplane.Deserialize("{\"h\":1}"));
    }
}
