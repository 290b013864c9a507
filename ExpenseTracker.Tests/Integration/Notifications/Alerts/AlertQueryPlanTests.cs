using System.Diagnostics;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Alerts;

/// <summary>
/// The unusual-expense pass runs after every save, so its history queries must not grow with the square of the household.
/// SQLite (no ANALYZE statistics) chose, for "the latest 100 lines of this category before the expense", to walk the
/// transactions by date and, for each, every line of the category through a category index: 40–130 ms a pass on the
/// 6,000-row demo household. Every query of the pass must reach lines through their transaction.
/// </summary>
public sealed class AlertQueryPlanTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    [Fact]
    public async Task ThePassReadsEveryLineThroughItsTransactionNotThroughACategoryIndex()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var family = await Family.CreateAsync(app, Unique.Prefix());
        var (memberId, userId, role) = family.People["Ana"];
        for (var i = 0; i < 6; i++)
        {
            await using var scope = app.ScopeFor(family.HouseholdId, memberId, role, userId);
            await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
            {
                AmountMinor = 10_00 + (i * 100),
                Date = new DateOnly(2026, 11, 1 + i),
                AccountId = family.CashAccountId,
                Payee = "Corner shop",
                PaidByMemberId = memberId,
                Lines = [new LineInput(family.GroceriesId, 10_00 + (i * 100))],
            });
        }

        var commands = await CommandsOfAsync(() => AlertProbe.ProcessAsync(app, family.HouseholdId));

        var reading = commands.Where(c => c.Text.Contains("\"TransactionLines\"", StringComparison.Ordinal)).ToList();
        Assert.True(reading.Count >= 3, $"expected the main-line query and the category's two history queries, saw {reading.Count}");
        foreach (var command in reading)
        {
            var plan = await PlanAsync(command);
            var lineSteps = plan.Where(step => step.Contains("IX_TransactionLines_", StringComparison.Ordinal)).ToList();
            Assert.True(lineSteps.Count > 0 && lineSteps.All(step => step.Contains("IX_TransactionLines_TransactionId", StringComparison.Ordinal)),
                $"lines not read by TransactionId:\n{command.Text}\n{string.Join('\n', plan)}");
        }
    }

    private sealed record Command(string ConnectionString, string Text, List<(string Name, object? Value)> Parameters);

    private static readonly AsyncLocal<List<Command>?> Recording = new();

    /// <summary>The SELECTs the action runs in this async flow, with their parameters.</summary>
    private static async Task<List<Command>> CommandsOfAsync(Func<Task> action)
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

    private static async Task<List<string>> PlanAsync(Command command)
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
