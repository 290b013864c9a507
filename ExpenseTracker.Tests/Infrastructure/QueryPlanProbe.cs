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
    /// <summary>Asserts that every statement reading <paramref name="table"/> reads it through an index whose name starts with <paramref name="indexPrefix"/>.</summary>
    public static async Task AssertReadThroughAsync(IReadOnlyList<Command> commands, string table, string indexPrefix, int atLeast = 1)
    {
        var reading = commands.Where(c => c.Text.Contains($"\"{table}\"", StringComparison.Ordinal)).ToList();
        Assert.True(reading.Count >= atLeast, $"expected at least {atLeast} statements reading {table}, saw {reading.Count}");
        foreach (var command in reading)
        {
            var plan = await PlanAsync(command);
            var steps = plan.Where(step => step.Contains($"IX_{table}_", StringComparison.Ordinal)).ToList();
            Assert.True(steps.Count > 0 && steps.All(step => step.Contains(indexPrefix, StringComparison.Ordinal)),
                $"{table} not read through {indexPrefix}:\n{command.Text}\n{string.Join('\n', plan)}");
        }
    }

    /// <summary>Asserts that statements read <paramref name="table"/> and that none of their plans uses one of <paramref name="indexes"/>.</summary>
    public static async Task AssertNotReadThroughAsync(IReadOnlyList<Command> commands, string table, params string[] indexes)
    {
        var reading = commands.Where(c => c.Text.Contains($"\"{table}\"", StringComparison.Ordinal)).ToList();
        Assert.True(reading.Count > 0, $"expected statements reading {table}, saw none");
        foreach (var command in reading)
        {
            var plan = await PlanAsync(command);
            Assert.False(plan.Any(step => indexes.Any(index => step.Contains(index + " ", StringComparison.Ordinal))),
                $"{table} read through {string.Join(" or ", indexes)}:\n{command.Text}\n{string.Join('\n', plan)}");
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

    public static async Task<List<string>> PlanAsync(Command command)
    {
        await using var connection = new SqliteConnection(command.ConnectionString);
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Text;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var steps = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            steps.Add(reader.GetString(3));
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
