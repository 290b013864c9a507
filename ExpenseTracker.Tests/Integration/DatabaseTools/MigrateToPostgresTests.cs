using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Features.DatabaseTools;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Search;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ExpenseTracker.Tests.Integration.DatabaseTools;

/// <summary>
/// <c>migrate-to-postgres</c> on the demo household (plus a second household with a token and a saved search): every
/// row and every household's totals arrive, the demo user signs in on an app running on the migrated database, secrets
/// protected on SQLite stay readable (keys imported), and a second run refuses the now non-empty database.
/// </summary>
public sealed class MigrateToPostgresTests(ITestOutputHelper log)
{
    [SkippableFact]
    public async Task TheDemoHouseholdMovesToPostgresWithEveryRowAndTotalAndSignInStillWorks()
    {
        PostgresServer.Require();
        await using var target = await PostgresScratch.CreateAsync();
        await using var sqlite = new TestApp();
        await DemoSeeder.SeedOnceAsync(sqlite.Services, TextWriter.Null);
        var (other, otherHousehold, otherMember) = await sqlite.CreateUserWithHouseholdAsync("ana@example.com");
        await using (var scope = sqlite.ScopeFor(otherHousehold.Id, otherMember, MemberRole.Owner, other.Id))
        {
            await scope.ServiceProvider.GetRequiredService<SavedSearchService>().SaveAsync("Coffee", "expenses?q=coffee", pinned: true);
            ApiTokenService.TryParseScopes("read,write", out var scopes);
            await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("Phone", scopes, 30);
        }

        var secret = sqlite.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("pgtools-test").Protect("bank token");
        var expected = await SourceFiguresAsync(sqlite);

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await MigrateToPostgresCommand.RunAsync(
            [MigrateToPostgresCommand.Name, "--from", Path.Combine(sqlite.DataDirectory, "expensetracker.db"), "--to", target.ConnectionString],
            new Dictionary<string, string?>(), output, error);

        log.WriteLine(output.ToString());
        log.WriteLine(error.ToString());
        Assert.True(code == MigrateToPostgresCommand.Ok, $"exit {code}\n{output}\n{error}");
        Assert.Contains("everything matches.", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("DIFFERS", output.ToString(), StringComparison.Ordinal);
        foreach (var (householdId, transactions, sum, lines, linesSum) in expected.Households)
        {
            Assert.Equal(transactions, await target.ScalarAsync($"SELECT COUNT(*) FROM \"Transactions\" WHERE \"HouseholdId\" = {householdId}"));
            Assert.Equal(sum, await target.ScalarAsync($"SELECT COALESCE(SUM(\"AmountMinor\"), 0) FROM \"Transactions\" WHERE \"HouseholdId\" = {householdId}"));
            Assert.Equal(lines, await target.ScalarAsync($"SELECT COUNT(*) FROM \"TransactionLines\" WHERE \"HouseholdId\" = {householdId}"));
            Assert.Equal(linesSum, await target.ScalarAsync($"SELECT COALESCE(SUM(\"AmountMinor\"), 0) FROM \"TransactionLines\" WHERE \"HouseholdId\" = {householdId}"));
        }

        foreach (var (table, rows) in expected.Tables)
        {
            Assert.True(rows == await target.ScalarAsync($"SELECT COUNT(*) FROM \"{table}\""), $"{table}: {rows} rows expected");
        }

        Assert.True(await target.ScalarAsync("SELECT COUNT(*) FROM \"DataProtectionKeys\"") >= 1);

        await using (var postgres = TestApp.OnPostgresDatabase(target.ConnectionString))
        {
            var forms = new AccountForms(postgres);
            var signIn = await forms.SignInAsync(DemoSeeder.Email, DemoSeeder.Password);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.DoesNotContain("Login", signIn.Headers.Location?.ToString() ?? string.Empty, StringComparison.Ordinal);
            var home = await forms.Client.GetAsync(new Uri("/expenses", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);

            Assert.Equal("bank token", postgres.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("pgtools-test").Unprotect(secret));

            // New rows continue after the copied ids (the sequences were moved on).
            var (_, household, _) = await postgres.CreateUserWithHouseholdAsync("new@example.com");
            Assert.True(household.Id > expected.Households.Max(h => h.HouseholdId));
        }

        var again = new StringWriter();
        Assert.Equal(MigrateToPostgresCommand.Refused, await MigrateToPostgresCommand.RunAsync(
            [MigrateToPostgresCommand.Name, "--from", Path.Combine(sqlite.DataDirectory, "expensetracker.db"), "--to", target.ConnectionString],
            new Dictionary<string, string?>(), TextWriter.Null, again));
        Assert.Contains("already holds data", again.ToString(), StringComparison.Ordinal);
        Assert.Equal(expected.Tables.Single(t => t.Table == "Transactions").Rows, await target.ScalarAsync("SELECT COUNT(*) FROM \"Transactions\""));
    }

    private sealed record Figures(
        IReadOnlyList<(long HouseholdId, long Transactions, long Sum, long Lines, long LinesSum)> Households,
        IReadOnlyList<(string Table, long Rows)> Tables);

    /// <summary>What the SQLite instance holds, through EF (soft-deleted rows included).</summary>
    private static async Task<Figures> SourceFiguresAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var transactions = await db.Transactions.IgnoreQueryFilters().GroupBy(t => t.HouseholdId)
            .Select(g => new { g.Key, Count = g.LongCount(), Sum = g.Sum(t => t.AmountMinor) }).ToListAsync();
        var lines = await db.TransactionLines.IgnoreQueryFilters().GroupBy(t => t.HouseholdId)
            .Select(g => new { g.Key, Count = g.LongCount(), Sum = g.Sum(t => t.AmountMinor) }).ToListAsync();
        var households = transactions.Select(t => (t.Key, t.Count, t.Sum,
            lines.SingleOrDefault(l => l.Key == t.Key)?.Count ?? 0, lines.SingleOrDefault(l => l.Key == t.Key)?.Sum ?? 0)).ToList();
        Assert.True(households.Max(h => h.Count) > 1000, "The demo household was not seeded.");
        List<(string, long)> tables =
        [
            ("AspNetUsers", await db.Users.LongCountAsync()),
            ("Households", await db.Households.IgnoreQueryFilters().LongCountAsync()),
            ("Members", await db.Members.IgnoreQueryFilters().LongCountAsync()),
            ("Transactions", await db.Transactions.IgnoreQueryFilters().LongCountAsync()),
            ("TransactionLines", await db.TransactionLines.IgnoreQueryFilters().LongCountAsync()),
            ("TransactionTags", await db.TransactionTags.IgnoreQueryFilters().LongCountAsync()),
            ("Payees", await db.Payees.IgnoreQueryFilters().LongCountAsync()),
            ("ChangeLog", await db.ChangeLog.LongCountAsync()),
            ("SavedSearches", await db.SavedSearches.IgnoreQueryFilters().LongCountAsync()),
            ("PersonalAccessTokens", await db.PersonalAccessTokens.IgnoreQueryFilters().LongCountAsync()),
        ];
        return new Figures(households, tables);
    }
}
