using System.Data.Common;
using System.Diagnostics;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Rules;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ExpenseTracker.Tests.Integration.Rules;

/// <summary>The suggester loads rules and history once per call: the number of SQL commands does not grow with the rows.</summary>
public sealed class SuggesterQueryCountTests(RulesAppFixture fixture, ITestOutputHelper output) : IClassFixture<RulesAppFixture>
{
    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Count;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Count);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private sealed class Factory(DbContextOptions<AppDbContext> options, HouseholdScope scope) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => new(options, scope);
    }

    [ProviderTheory]
    public async Task TenRowsAndFiftyThousandRowsCostTheSameFewQueries(DatabaseProvider provider)
    {
        var h = await TestHousehold.CreateAsync(fixture.For(provider), "count@example.com");
        for (var i = 0; i < 12; i++)
        {
            await h.AddExpenseAsync(h.Expense(100 + i, i % 2 == 0 ? "Dining out" : "Transport", payee: $"Shop {i % 6}"));
        }

        await using var scope = h.Scope();
        var rules = scope.ServiceProvider.GetRequiredService<CategoryRuleService>();
        for (var i = 0; i < 20; i++)
        {
            await rules.CreateAsync(new RuleInput(RuleField.PayeeOrNotes, i % 2 == 0 ? RuleOperator.Contains : RuleOperator.Regex, i % 2 == 0 ? $"merchant{i}" : $"merchant{i}\\b", CategoryId: h.Categories["Other"]));
        }

        var counter = new CommandCounter();
        // The app's own database, on its provider, with the counter as the only interceptor.
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        if (scope.ServiceProvider.GetRequiredService<DatabaseOptions>() is { IsPostgres: true } database)
        {
            DataServiceCollectionExtensions.UsePostgres(builder, database.PostgresConnectionString!);
        }
        else
        {
            DataServiceCollectionExtensions.UseSqlite(builder, scope.ServiceProvider.GetRequiredService<StorageOptions>().ConnectionString);
        }

        var options = builder.AddInterceptors(counter).Options;
        var householdScope = scope.ServiceProvider.GetRequiredService<HouseholdScope>();
        var suggester = new RuleCategorySuggester(new Factory(options, householdScope), householdScope);

        static CategorizeInput[] Rows(int n) =>
            [.. Enumerable.Range(0, n).Select(i => new CategorizeInput(i % 3 == 0 ? $"merchant{i % 40} online" : $"SHOP {i % 9}", null, -100 - i))];

        var few = await suggester.SuggestAsync(Rows(10));
        var commandsForFew = counter.Count;
        counter.Count = 0;
        var rows = Rows(50_000);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var many = await suggester.SuggestAsync(rows);
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        Assert.Equal(commandsForFew, counter.Count);
        Assert.InRange(counter.Count, 1, 3);
        Assert.Equal(SuggestionSource.Rule, few[0].Source);
        Assert.Equal((SuggestionSource.History, h.Categories["Transport"]), (few[1].Source, few[1].CategoryId!.Value));
        Assert.Equal(SuggestionSource.None, few[7].Source);
        Assert.Equal(50_000, many.Count);
        output.WriteLine($"SuggestAsync: 50,000 rows, 20 rules, {counter.Count} SQL commands, {clock.ElapsedMilliseconds} ms wall, {cpu.TotalMilliseconds:F0} ms CPU (process)");
    }
}
