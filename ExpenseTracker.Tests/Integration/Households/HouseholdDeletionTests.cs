using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Backup;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Households;

public sealed class HouseholdDeletionTests : IAsyncLifetime
{
    private TestApp app = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    [ProviderTheory]
    public async Task DeletingAHouseholdWithImportsRulesAndProfilesRemovesAllItsRowsAndKeepsTheOtherHouseholds(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        var doomed = await BackupHousehold.CreateAsync(app, "ana@example.com");
        var kept = await BackupHousehold.CreateAsync(app, "ben@example.com");
        var keptBefore = await CountsAsync(kept.Id);
        Assert.All(keptBefore, c => Assert.True(c.Value > 0, c.Key + " should have rows before the deletion."));
        Assert.Equal(keptBefore, await CountsAsync(doomed.Id));

        await using (var scope = doomed.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<HouseholdDeletion>().DeleteAsync(doomed.Id);
        }

        Assert.All(await CountsAsync(doomed.Id), c => Assert.True(c.Value == 0, $"{c.Key}: {c.Value} row(s) left behind."));
        Assert.Equal(keptBefore, await CountsAsync(kept.Id));
        await using var check = app.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.False(await db.Households.IgnoreQueryFilters().AnyAsync(h => h.Id == doomed.Id));
        Assert.True(await db.Households.IgnoreQueryFilters().AnyAsync(h => h.Id == kept.Id));
    }

    private async Task<Dictionary<string, int>> CountsAsync(long householdId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [nameof(db.ImportBatches)] = await CountAsync(db.ImportBatches, householdId),
            [nameof(db.ImportKeys)] = await CountAsync(db.ImportKeys, householdId),
            [nameof(db.ImportProfiles)] = await CountAsync(db.ImportProfiles, householdId),
            [nameof(db.CategoryRules)] = await CountAsync(db.CategoryRules, householdId),
            [nameof(db.Transactions)] = await CountAsync(db.Transactions, householdId),
            [nameof(db.TransactionLines)] = await CountAsync(db.TransactionLines, householdId),
            [nameof(db.TransactionTags)] = await CountAsync(db.TransactionTags, householdId),
            [nameof(db.MemberShares)] = await CountAsync(db.MemberShares, householdId),
            [nameof(db.Budgets)] = await CountAsync(db.Budgets, householdId),
            [nameof(db.BudgetAmounts)] = await CountAsync(db.BudgetAmounts, householdId),
            [nameof(db.Tags)] = await CountAsync(db.Tags, householdId),
            [nameof(db.Payees)] = await CountAsync(db.Payees, householdId),
            [nameof(db.Categories)] = await CountAsync(db.Categories, householdId),
            [nameof(db.Accounts)] = await CountAsync(db.Accounts, householdId),
            [nameof(db.Members)] = await CountAsync(db.Members, householdId),
        };
    }

    private static Task<int> CountAsync<T>(DbSet<T> set, long householdId)
        where T : class, IHouseholdOwned =>
        set.IgnoreQueryFilters().CountAsync(x => x.HouseholdId == householdId);
}
