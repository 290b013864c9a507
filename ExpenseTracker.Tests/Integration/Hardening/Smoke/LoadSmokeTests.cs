using System.Text;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Hardening.Smoke;

/// <summary>
/// The CI version of the `load` benchmark: 20 API clients for 5 s against the app on a real loopback port, over SQLite
/// (WAL) and over PostgreSQL, rate limits set above the load. No timing is asserted, only what the load must never cause.
/// </summary>
public sealed class LoadSmokeTests : IAsyncLifetime
{
    private TestApp app = default!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    [ProviderTheory]
    public async Task TwentyClientsGetNoServerErrorAndLoseNoWrite(DatabaseProvider provider)
    {
        app = TestApp.StartLive(provider, a => a
            .With(ApiRateLimitOptions.Section + ":TokenPermitLimit", "1000000")
            .With(ApiRateLimitOptions.Section + ":IpPermitLimit", "1000000"));
        var (householdId, memberId, token, _) = await app.CreateApiHouseholdAsync("ana@example.com");
        long account, category;
        await using (var scope = app.ScopeFor(householdId, memberId, MemberRole.Owner))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            account = await db.Accounts.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
            category = await db.Categories.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        }

        var body = Encoding.UTF8.GetBytes($$"""{ "date": "2026-11-14", "amount": 4.5, "payee": "Café Central", "accountId": {{account}}, "categoryId": {{category}} }""");
        using var client = LoadMix.CreateClient(app.LiveAddress, token, 20);
        var before = await CountAsync(householdId);

        var outcome = await LoadMix.RunAsync(client, body, clients: 20, TimeSpan.FromSeconds(5));

        var after = await CountAsync(householdId);
        Assert.True(outcome.Created > 0, outcome.Describe());
        Assert.True(outcome.ServerErrors == 0, outcome.Describe());
        Assert.True(outcome.SuccessPercent >= 95, outcome.Describe());
        Assert.Equal(before + outcome.Created, after);
    }

    private async Task<int> CountAsync(long householdId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Transactions.IgnoreQueryFilters().CountAsync(t => t.HouseholdId == householdId);
    }
}
