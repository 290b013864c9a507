using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>
/// The SELECTs an action runs against a SQLite app (in this async flow only), and SQLite's plan for each, with the app's
/// own SQLite library. Plans, not timings: a query that reads a transaction's lines through a household-wide index is
/// fast on a test's ten rows and takes seconds on a real household.
/// </summary>
internal static class QueryPlanProbe
{
    /// <summary>
    /// Asserts that statements read <paramref name="table"/> through an index, and only through one of
    /// <paramref name="allowed"/> (an index name or its prefix): never through a household-wide one.
    /// </summary>
    public static async Task AssertReadOnlyThroughAsync(IReadOnlyList<Command> commands, string table, params string[] allowed)
    {
        var reading = commands.Where(c => c.Text.Contains($"\"{table}\"", StringComparison.Ordinal)).ToList();
        Assert.True(reading.Count > 0, $"expected statements reading {table}, saw none");
        var indexed = 0;
        foreach (var command in reading)
        {
            var plan = (await PlanStepsAsync(command)).Select(s => s.Detail).ToList();
            var steps = plan.Where(step => step.Contains($"IX_{table}_", StringComparison.Ordinal) || step.Contains($"sqlite_autoindex_{table}_", StringComparison.Ordinal)).ToList();
            indexed += steps.Count;
            Assert.True(steps.All(step => allowed.Any(index => step.Contains(index, StringComparison.Ordinal))),
                $"{table} read through an index other than {string.Join(" or ", allowed)}:\n{command.Text}\n{string.Join('\n', plan)}");
        }

        Assert.True(indexed > 0, $"no statement read {table} through an index");
    }

    /// <summary>
    /// Asserts that no statement searches a household-wide range (an index step constrained by <c>HouseholdId=?</c> alone)
    /// once per row of something else: as the inner loop of a join, or inside a correlated subquery.
    /// </summary>
    public static async Task AssertNoHouseholdWideInnerLoopAsync(IReadOnlyList<Command> commands)
    {
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var steps = await PlanStepsAsync(command);
            var byId = steps.ToDictionary(s => s.Id);
            var loops = new HashSet<int>();
            foreach (var step in steps.Where(s => s.Detail.StartsWith("SEARCH ", StringComparison.Ordinal) || s.Detail.StartsWith("SCAN ", StringComparison.Ordinal)))
            {
                var correlated = byId.TryGetValue(step.Parent, out var parent) && parent.Detail.StartsWith("CORRELATED", StringComparison.Ordinal);
                var inner = !loops.Add(step.Parent) || correlated;
                Assert.False(inner && step.Detail.Contains("(HouseholdId=?)", StringComparison.Ordinal),
                    $"a household-wide search per row:\n{command.Text}\n{string.Join('\n', steps.Select(s => s.Detail))}");
            }
        }
    }

    internal sealed record Command(string ConnectionString, string Text, List<(string Name, object? Value)> Parameters);

    private static readonly AsyncLocal<List<Command>?> Recording = new();

    /// <summary>The SELECTs the action runs in this async flow, with their parameters.</summary>
    public static async Task<List<Command>> CommandsOfAsync(Func<Task> action)
    {
        var recorded = new List<Command>();
        using var listener = new Listener();
        using var subscription = DiagnosticListener.AllListeners.Subscribe(listener);
        Recording.Value = recorded;
        try
        {
            await action();
        }
        finally
        {
            Recording.Value = null;
        }

        return recorded;
    }

    private static async Task<List<(int Id, int Parent, string Detail)>> PlanStepsAsync(Command command)
    {
        await using var connection = new SqliteConnection(command.ConnectionString);
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Text;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var steps = new List<(int Id, int Parent, string Detail)>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            steps.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetString(3)));
        }

        return steps;
    }

    private sealed class Listener : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly List<IDisposable> subscriptions = [];

        public void Dispose()
        {
            lock (subscriptions)
            {
                subscriptions.ForEach(s => s.Dispose());
            }
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (subscriptions)
                {
                    subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Recording.Value is { } recorded
                && value.Key == RelationalEventId.CommandExecuting.Name
                && value.Value is CommandEventData { Command: var command }
                && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                var parameters = command.Parameters.Cast<System.Data.Common.DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList();
                lock (recorded)
                {
                    recorded.Add(new Command(command.Connection!.ConnectionString, command.CommandText, parameters));
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
