using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Admin;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Admin;

public sealed class AdminUsersTests : AdminFamilyTests
{
    private string Ana => family.People["Ana"].UserId;

    private string Ben => family.People["Ben"].UserId;

    private async Task<T> WithAsync<T>(Func<AdminUsersService, Task<T>> action)
    {
        await using var scope = family.As("Ana");
        return await action(scope.ServiceProvider.GetRequiredService<AdminUsersService>());
    }

    private Task WithAsync(Func<AdminUsersService, Task> action) => WithAsync(async s =>
    {
        await action(s);
        return true;
    });

    [ProviderTheory]
    public async Task SomeoneWhoIsNotAnAdministratorIsRefusedEveryAdministratorAction(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var scope = family.As("Ben");
        var users = scope.ServiceProvider.GetRequiredService<AdminUsersService>();
        var system = scope.ServiceProvider.GetRequiredService<AdminSystemService>();
        var log = scope.ServiceProvider.GetRequiredService<AuditLogService>();

        await Assert.ThrowsAsync<AdminAccessException>(() => users.ListAsync(Ben, null));
        await Assert.ThrowsAsync<AdminAccessException>(() => users.LockAsync(Ben, Ana));
        await Assert.ThrowsAsync<AdminAccessException>(() => users.UnlockAsync(Ben, Ana));
        await Assert.ThrowsAsync<AdminAccessException>(() => users.ResetTwoFactorAsync(Ben, Ana));
        await Assert.ThrowsAsync<AdminAccessException>(() => users.DeleteAsync(Ben, Ana, "ana@example.com"));
        await Assert.ThrowsAsync<AdminAccessException>(() => system.SetRegistrationEnabledAsync(Ben, true));
        await Assert.ThrowsAsync<AdminAccessException>(() => system.SendTestEmailAsync(Ben));
        await Assert.ThrowsAsync<AdminAccessException>(() => system.GetJobsAsync(Ben));
        await Assert.ThrowsAsync<AdminAccessException>(() => system.GetDiskUseAsync(Ben));
        await Assert.ThrowsAsync<AdminAccessException>(() => log.ListAsync(Ben));
        Assert.False((await AdminFixture.UserAsync(app, Ana)).LockoutEnd is not null);
    }

    [ProviderTheory]
    public async Task TheUserListShowsEveryAccountWithItsHouseholdsAndFindsByEmailOrName(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var all = await WithAsync(s => s.ListAsync(Ana, null));

        Assert.Equal(6, all.TotalCount);
        var ana = Assert.Single(all.Items, u => u.Email == "ana@example.com");
        Assert.True(ana.IsAdministrator);
        Assert.Equal(1, ana.Households);
        Assert.False(Assert.Single(all.Items, u => u.Email == "ben@example.com").IsAdministrator);

        var byEmail = await WithAsync(s => s.ListAsync(Ana, "BEN@"));
        Assert.Equal("ben@example.com", Assert.Single(byEmail.Items).Email);
        var byName = await WithAsync(s => s.ListAsync(Ana, "vic"));
        Assert.Equal("Vic", Assert.Single(byName.Items).DisplayName);
    }

    [ProviderTheory]
    public async Task TheUserSearchIgnoresTheCaseOfNamesAndEmails(DatabaseProvider provider)
    {
        await StartAsync(provider);

        var byName = await WithAsync(s => s.ListAsync(Ana, "oLG"));
        var byEmail = await WithAsync(s => s.ListAsync(Ana, "Max@Example.COM"));
        var none = await WithAsync(s => s.ListAsync(Ana, "oLgX"));

        Assert.Equal("olga@example.com", Assert.Single(byName.Items).Email);
        Assert.Equal("Olga", byName.Items[0].DisplayName);
        Assert.Equal("max@example.com", Assert.Single(byEmail.Items).Email);
        Assert.Empty(none.Items);
    }

    [ProviderTheory]
    public async Task ALockedAccountCannotSignInAndItsOpenSessionsEnd(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var session = new AccountForms(app);
        Assert.Equal(HttpStatusCode.Redirect, (await session.SignInAsync("ben@example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        var stampBefore = (await AdminFixture.UserAsync(app, Ben)).SecurityStamp;

        await WithAsync(s => s.LockAsync(Ana, Ben));

        Assert.NotEqual(stampBefore, (await AdminFixture.UserAsync(app, Ben)).SecurityStamp);
        app.Time.Advance(TimeSpan.FromMinutes(2));
        var after = await session.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/Identity/Account/Login", after.Headers.Location?.ToString(), StringComparison.Ordinal);
        var again = await new AccountForms(app).SignInAsync("ben@example.com");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("locked", await AccountForms.TextOf(again), StringComparison.Ordinal);
        Assert.True(Assert.Single((await WithAsync(s => s.ListAsync(Ana, "ben"))).Items).IsLocked);

        var locked = Assert.Single(await AdminFixture.AuditRowsAsync(app, SecurityEvents.UserLocked));
        Assert.Equal((Ben, Ana), (locked.EntityId, locked.UserId));
    }

    [ProviderTheory]
    public async Task AnUnlockedAccountCanSignInAgain(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await WithAsync(s => s.LockAsync(Ana, Ben));

        await WithAsync(s => s.UnlockAsync(Ana, Ben));

        Assert.Equal(HttpStatusCode.Redirect, (await new AccountForms(app).SignInAsync("ben@example.com")).StatusCode);
        Assert.False(Assert.Single((await WithAsync(s => s.ListAsync(Ana, "ben"))).Items).IsLocked);
        Assert.Single(await AdminFixture.AuditRowsAsync(app, SecurityEvents.UserUnlocked));
    }

    [ProviderTheory]
    public async Task ResettingTwoFactorTurnsItOffWithANewKeyAndNoRecoveryCodes(DatabaseProvider provider)
    {
        await StartAsync(provider);
        string keyBefore;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var ben = (await users.FindByIdAsync(Ben))!;
            await users.ResetAuthenticatorKeyAsync(ben);
            await users.SetTwoFactorEnabledAsync(ben, true);
            await users.GenerateNewTwoFactorRecoveryCodesAsync(ben, 10);
            keyBefore = (await users.GetAuthenticatorKeyAsync(ben))!;
            Assert.Equal(10, await users.CountRecoveryCodesAsync(ben));
        }

        await WithAsync(s => s.ResetTwoFactorAsync(Ana, Ben));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var ben = (await users.FindByIdAsync(Ben))!;
            Assert.False(await users.GetTwoFactorEnabledAsync(ben));
            Assert.Equal(0, await users.CountRecoveryCodesAsync(ben));
            Assert.NotEqual(keyBefore, await users.GetAuthenticatorKeyAsync(ben));
        }

        Assert.Single(await AdminFixture.AuditRowsAsync(app, SecurityEvents.TwoFactorReset));
    }

    [ProviderTheory]
    public async Task AnAccountIsDeletedOnlyWhenItsEmailIsTypedAndItsHistoryStays(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var refused = await WithAsync(s => s.DeleteAsync(Ana, Ben, "someone@example.com"));
        Assert.False(refused.Succeeded);
        Assert.Contains("Type the account's email", refused.Error, StringComparison.Ordinal);
        Assert.NotNull(await AdminFixture.UserAsync(app, Ben));

        var deleted = await WithAsync(s => s.DeleteAsync(Ana, Ben, " BEN@example.com "));

        Assert.True(deleted.Succeeded, deleted.Error);
        Assert.Empty(deleted.DeletedHouseholds);
        Assert.Equal(5, (await WithAsync(s => s.ListAsync(Ana, null))).TotalCount);
        var row = Assert.Single(await AdminFixture.AuditRowsAsync(app, SecurityEvents.UserDeleted));
        Assert.Equal((Ben, Ana), (row.EntityId, row.UserId));
        Assert.Contains("ben@example.com", row.AfterJson, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task AnAdministratorCannotLockOrDeleteThemselves(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var locking = await Assert.ThrowsAsync<AdminActionException>(() => WithAsync(s => s.LockAsync(Ana, Ana)));
        var deleting = await Assert.ThrowsAsync<AdminActionException>(() => WithAsync(s => s.DeleteAsync(Ana, Ana, "ana@example.com")));

        Assert.Equal("You cannot lock your own account here.", locking.Message);
        Assert.Equal("You cannot delete your own account here.", deleting.Message);
        Assert.Null((await AdminFixture.UserAsync(app, Ana)).LockoutEnd);
    }

    [ProviderTheory]
    public async Task AnotherAdministratorCanBeLockedWhileOneCanStillSignIn(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var ben = (await users.FindByIdAsync(Ben))!;
            ben.IsAdministrator = true;
            await users.UpdateAsync(ben);
        }

        await WithAsync(s => s.LockAsync(Ana, Ben));

        // Ben, locked, is no longer an administrator who can act, even from a page still open.
        Assert.True((await AdminFixture.UserAsync(app, Ben)).LockoutEnd > app.Time.GetUtcNow());
        await using var benScope = family.As("Ben");
        var asBen = benScope.ServiceProvider.GetRequiredService<AdminUsersService>();
        await Assert.ThrowsAsync<AdminAccessException>(() => asBen.LockAsync(Ben, Ana));
        Assert.Null((await AdminFixture.UserAsync(app, Ana)).LockoutEnd);
    }
}
