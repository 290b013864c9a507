using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ExpenseTracker.Tests.Integration.Database;

/// <summary>The test infrastructure itself: the app runs on either provider, each PostgreSQL app on a database of its own.</summary>
public sealed class ProviderInfrastructureTests
{
    [ProviderTheory]
    public async Task TheAppStartsMigratedOnTheProviderAndAnExpenseRoundTripsWithUtcTimes(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await TestHousehold.CreateAsync(app, "ana@example.com");
        app.Time.Advance(TimeSpan.FromMinutes(90));
        var id = await home.AddExpenseAsync(home.Expense(1_234, payee: "Bäckerei Müller") with { Tags = ["bread"] });

        await using var scope = home.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(provider == DatabaseProvider.Postgres, db.Database.IsNpgsql());
        Assert.Equal(provider == DatabaseProvider.Sqlite, db.Database.IsSqlite());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());

        var saved = await db.Transactions.AsNoTracking().Include(t => t.Payee).Include(t => t.Lines).SingleAsync(t => t.Id == id);
        Assert.Equal((1_234L, "Bäckerei Müller", new DateOnly(2026, 11, 3)), (saved.AmountMinor, saved.Payee!.Name, saved.Date));
        Assert.Equal(1_234L, Assert.Single(saved.Lines).AmountMinor);
        Assert.Equal(new DateTime(2026, 11, 15, 11, 30, 0, DateTimeKind.Utc), saved.CreatedAt);
        // timestamptz comes back as UTC; SQLite's text has no kind (Unspecified), read as UTC by the app.
        DateTimeKind[] kinds = provider == DatabaseProvider.Postgres ? [DateTimeKind.Utc] : [DateTimeKind.Utc, DateTimeKind.Unspecified];
        Assert.Contains(saved.CreatedAt.Kind, kinds);

        // A UTC instant compared in SQL (parameter against the stored column) matches on both engines.
        var later = app.Time.GetUtcNow().UtcDateTime.AddSeconds(1);
        Assert.Equal(id, await db.Transactions.Where(t => t.CreatedAt < later && t.CreatedAt >= saved.CreatedAt).Select(t => t.Id).SingleAsync());
        var household = await db.Households.AsNoTracking().SingleAsync(h => h.Id == home.Id);
        Assert.Equal(new DateTime(2026, 11, 15, 10, 0, 0, DateTimeKind.Utc), household.CreatedAt);
    }

    [SkippableFact]
    public async Task EachPostgresAppHasAFreshDatabaseThatIsDroppedWhenItIsDisposed()
    {
        PostgresServer.Require();
        string first, second;
        await using (var one = new TestApp(DatabaseProvider.Postgres))
        await using (var two = new TestApp(DatabaseProvider.Postgres))
        {
            await TestHousehold.CreateAsync(one, "ana@example.com");
            first = new NpgsqlConnectionStringBuilder(one.PostgresConnectionString).Database!;
            second = new NpgsqlConnectionStringBuilder(two.PostgresConnectionString).Database!;
            Assert.NotEqual(first, second);

            await using var scope = two.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.False(await db.Households.IgnoreQueryFilters().AnyAsync());
            Assert.Contains(first, await DatabasesAsync());
        }

        var remaining = await DatabasesAsync();
        Assert.DoesNotContain(first, remaining);
        Assert.DoesNotContain(second, remaining);
    }

    private static async Task<List<string>> DatabasesAsync()
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
