using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Search;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Search;

public sealed class SavedSearchTests : IAsyncLifetime
{
    private TestApp? app;
    private TestHousehold home = null!;
    private long sam;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        home = await TestHousehold.CreateAsync(app, "ana@example.com");
        sam = await home.AddMemberAsync("Sam", MemberRole.Viewer);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<T> AsAsync<T>(long memberId, MemberRole role, Func<SavedSearchService, Task<T>> action, TestHousehold? household = null)
    {
        await using var scope = (household ?? home).Scope(role, memberId);
        return await action(scope.ServiceProvider.GetRequiredService<SavedSearchService>());
    }

    [ProviderTheory]
    public async Task AMemberSavesPinsAndDeletesTheirOwnSearches(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var owner = home.OwnerMemberId;
        var id = await AsAsync(owner, MemberRole.Owner, s => s.SaveAsync("  Coffee ", "expenses?q=coffee", pinned: true));
        await AsAsync(owner, MemberRole.Owner, s => s.SaveAsync("Big", "expenses?q=amount%3E100", pinned: false));

        Assert.Equal([new SavedSearchItem(id, "Coffee", "expenses?q=coffee", true)], await AsAsync(owner, MemberRole.Owner, s => s.ListAsync(pinnedOnly: true)));

        // The same name (any case or accents) replaces instead of duplicating.
        Assert.Equal(id, await AsAsync(owner, MemberRole.Owner, s => s.SaveAsync("COFFEE", "expenses?q=coffee%20date%3Athis-month", pinned: false)));
        var all = await AsAsync(owner, MemberRole.Owner, s => s.ListAsync());
        Assert.Equal(["Big", "COFFEE"], all.Select(s => s.Name));
        Assert.Empty(await AsAsync(owner, MemberRole.Owner, s => s.ListAsync(pinnedOnly: true)));

        await AsAsync(owner, MemberRole.Owner, async s => { await s.SetPinnedAsync(id, true); return 0; });
        await AsAsync(owner, MemberRole.Owner, async s => { await s.DeleteAsync(all[0].Id); return 0; });
        Assert.Equal(["COFFEE"], (await AsAsync(owner, MemberRole.Owner, s => s.ListAsync(pinnedOnly: true))).Select(s => s.Name));
    }

    [ProviderTheory]
    public async Task SearchesArePersonalAndStayInTheirHousehold(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var mine = await AsAsync(home.OwnerMemberId, MemberRole.Owner, s => s.SaveAsync("Mine", "expenses?q=x", pinned: true));
        var other = await TestHousehold.CreateAsync(app!, "ben@example.com");

        // A viewer keeps their own, and sees none of the owner's.
        await AsAsync(sam, MemberRole.Viewer, s => s.SaveAsync("Sam's", "expenses", pinned: true));
        Assert.Equal(["Sam's"], (await AsAsync(sam, MemberRole.Viewer, s => s.ListAsync())).Select(s => s.Name));
        Assert.Empty(await AsAsync(other.OwnerMemberId, MemberRole.Owner, s => s.ListAsync(), other));

        await Assert.ThrowsAsync<NotFoundException>(() => AsAsync(sam, MemberRole.Viewer, async s => { await s.DeleteAsync(mine); return 0; }));
        await Assert.ThrowsAsync<NotFoundException>(() => AsAsync(other.OwnerMemberId, MemberRole.Owner, async s => { await s.SetPinnedAsync(mine, false); return 0; }, other));
        Assert.Single(await AsAsync(home.OwnerMemberId, MemberRole.Owner, s => s.ListAsync(pinnedOnly: true)));
    }

    [ProviderTheory]
    [InlineData("", "expenses?q=x", "name")]
    [InlineData("A name far too long for the menu: it goes on and on and on and on", "expenses?q=x", "name")]
    [InlineData("Elsewhere", "https://example.com/expenses?q=x", "url")]
    [InlineData("Settings", "settings", "url")]
    [InlineData("Sneaky", "expenses?//evil", "url")]
    public async Task BadInputIsRefusedWithAFieldMessage(DatabaseProvider provider, string name, string url, string field)
    {
        await StartAsync(provider);
        var error = await Assert.ThrowsAsync<FieldValidationException>(() => AsAsync(home.OwnerMemberId, MemberRole.Owner, s => s.SaveAsync(name, url, pinned: false)));

        Assert.Equal(field, error.Field);
        Assert.Empty(await AsAsync(home.OwnerMemberId, MemberRole.Owner, s => s.ListAsync()));
    }
}
