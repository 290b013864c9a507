using System.Net;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Admin;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Admin;

/// <summary>Security events land in the change log as Entity "Security", with details but never a secret.</summary>
public sealed class SecurityAuditTests : AdminFamilyTests
{
    [ProviderTheory]
    public async Task SignInsFailuresAndSignOutsAreRecordedWithoutThePassword(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var forms = new AccountForms(app);
        var userAgent = "Mozilla/5.0 (X11; Linux x86_64) " + new string('x', 300);
        forms.Client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        await forms.SignInAsync("ben@example.com", "a wrong password guess");
        await forms.SignInAsync("nobody@example.com", "another wrong guess");
        Assert.Equal(HttpStatusCode.Redirect, (await forms.SignInAsync("ben@example.com")).StatusCode);
        await forms.PostAsync("/Identity/Account/Logout", new Dictionary<string, string> { ["returnUrl"] = "/" }, tokenFrom: "/settings");

        var rows = await AdminFixture.AuditRowsAsync(app);
        Assert.Equal(
            [SecurityEvents.SignInFailed, SecurityEvents.SignInFailed, SecurityEvents.SignIn, SecurityEvents.SignOut],
            rows.Select(r => r.Action).ToArray());
        var ben = family.People["Ben"].UserId;
        Assert.Equal([ben, "-", ben, ben], rows.Select(r => r.EntityId).ToArray());
        Assert.Contains("\"email\":\"nobody@example.com\"", rows[1].AfterJson, StringComparison.Ordinal);
        Assert.Contains("\"email\":\"ben@example.com\"", rows[2].AfterJson, StringComparison.Ordinal);
        Assert.Contains("\"userAgent\":\"" + userAgent[..SecurityAudit.UserAgentMaxLength] + "\"", rows[2].AfterJson, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Equal(app.Time.GetUtcNow().UtcDateTime, r.At));
        Assert.All(rows, r => Assert.DoesNotContain("password", r.AfterJson ?? string.Empty, StringComparison.OrdinalIgnoreCase));
        Assert.All(rows, r => Assert.DoesNotContain(AccountForms.Password, r.AfterJson ?? string.Empty, StringComparison.Ordinal));
    }

    [ProviderTheory]
    public async Task TheFailureThatLocksAnAccountIsRecordedAsALockout(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var forms = new AccountForms(app);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await forms.SignInAsync("ben@example.com", "wrong guess number " + attempt);
        }

        await forms.SignInAsync("ben@example.com");

        var actions = (await AdminFixture.AuditRowsAsync(app)).Select(r => r.Action).ToArray();
        Assert.Equal(
            [.. Enumerable.Repeat(SecurityEvents.SignInFailed, 4), SecurityEvents.LockedOut, SecurityEvents.LockedOut],
            actions);
    }

    [ProviderTheory]
    public async Task TokensAreRecordedWhenCreatedUsedAtMostOnceAMinuteAndRevokedButTheSecretNever(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (memberId, userId, _) = family.People["Ben"];
        CreatedApiToken created;
        await using (var scope = app.ScopeFor(family.HouseholdId, memberId, MemberRole.Member, userId))
        {
            created = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("Phone shortcut", ApiTokenScopes.Read, 30);
        }

        using var client = app.CreateApiClient(created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);

        await using (var scope = app.ScopeFor(family.HouseholdId, memberId, MemberRole.Member, userId))
        {
            await scope.ServiceProvider.GetRequiredService<ApiTokenService>().RevokeAsync(created.Token.Id);
        }

        var rows = await AdminFixture.AuditRowsAsync(app);
        Assert.Equal(
            [SecurityEvents.TokenCreated, SecurityEvents.TokenUsed, SecurityEvents.TokenUsed, SecurityEvents.TokenRevoked],
            rows.Select(r => r.Action).ToArray());
        var tokenId = created.Token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(rows, r => Assert.Equal((tokenId, userId, (long?)family.HouseholdId), (r.EntityId, r.UserId, r.HouseholdId)));
        Assert.Contains("\"name\":\"Phone shortcut\"", rows[0].AfterJson, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.DoesNotContain(created.Secret[3..12], r.AfterJson ?? string.Empty, StringComparison.Ordinal));
    }

    [ProviderTheory]
    public async Task RoleChangesRemovalsAndPasswordChangesAreRecordedWithWhoDidThem(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using (var scope = family.As("Ana"))
        {
            var membership = scope.ServiceProvider.GetRequiredService<MembershipService>();
            await membership.ChangeRoleAsync(family.Id("Vic"), MemberRole.Member);
            await membership.RemoveMemberAsync(family.Id("Kim"));
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var ben = (await users.FindByIdAsync(family.People["Ben"].UserId))!;
            Assert.True((await users.ChangePasswordAsync(ben, AccountForms.Password, "a brand new long passphrase")).Succeeded);
            Assert.False((await users.ChangePasswordAsync(ben, "not the current one", "yet another long passphrase")).Succeeded);
        }

        var rows = await AdminFixture.AuditRowsAsync(app);
        Assert.Equal([SecurityEvents.RoleChanged, SecurityEvents.MemberRemoved, SecurityEvents.PasswordChanged], rows.Select(r => r.Action).ToArray());
        var ana = family.People["Ana"].UserId;
        Assert.Equal((family.People["Vic"].UserId, ana, (long?)family.HouseholdId), (rows[0].EntityId, rows[0].UserId, rows[0].HouseholdId));
        Assert.Contains("\"from\":\"Viewer\"", rows[0].AfterJson, StringComparison.Ordinal);
        Assert.Contains("\"to\":\"Member\"", rows[0].AfterJson, StringComparison.Ordinal);
        Assert.Equal(family.People["Kim"].UserId, rows[1].EntityId);
        Assert.Equal(family.People["Ben"].UserId, rows[2].EntityId);
        Assert.DoesNotContain("passphrase", rows[2].AfterJson, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task TheAuditLogListsNewestFirstAndFiltersByEventAndByEmail(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var forms = new AccountForms(app);
        await forms.SignInAsync("ben@example.com", "a wrong password guess");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await forms.SignInAsync("vic@example.com");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await forms.SignInAsync("ben@example.com");

        await using var scope = family.As("Ana");
        var log = scope.ServiceProvider.GetRequiredService<AuditLogService>();
        var ana = family.People["Ana"].UserId;

        var all = await log.ListAsync(ana);
        Assert.Equal(["ben@example.com", "vic@example.com", "ben@example.com"], all.Items.Select(e => e.SubjectEmail ?? "-").ToArray());
        Assert.Equal([SecurityEvents.SignIn, SecurityEvents.SignIn, SecurityEvents.SignInFailed], all.Items.Select(e => e.Action).ToArray());

        var signIns = await log.ListAsync(ana, SecurityEvents.SignIn, "BEN@EXAMPLE");
        Assert.Equal(1, signIns.TotalCount);
        var failures = await log.ListAsync(ana, SecurityEvents.SignInFailed);
        Assert.Equal("ben@example.com", Assert.Single(failures.Items).SubjectEmail);
        var paged = await log.ListAsync(ana, pageSize: 2, page: 2);
        Assert.Equal((3, 2), (paged.TotalCount, paged.PageCount));
        Assert.Equal(SecurityEvents.SignInFailed, Assert.Single(paged.Items).Action);
    }

    [ProviderTheory]
    public async Task TheAuditLogSearchFindsTextInTheDetailsWhateverItsCase(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var forms = new AccountForms(app);
        await forms.SignInAsync("Nobody.Here@Example.com", "a wrong password guess");
        await forms.SignInAsync("ben@example.com", "another wrong guess");

        await using var scope = family.As("Ana");
        var log = scope.ServiceProvider.GetRequiredService<AuditLogService>();
        var ana = family.People["Ana"].UserId;

        // No account has that email: only the failure's details hold it, in the casing it was typed.
        var found = await log.ListAsync(ana, text: "nobody.HERE@example");
        var entry = Assert.Single(found.Items);
        Assert.Equal((SecurityEvents.SignInFailed, "-"), (entry.Action, entry.SubjectId));
        Assert.Contains("Nobody.Here@Example.com", entry.Details, StringComparison.Ordinal);
        Assert.Equal(1, (await log.ListAsync(ana, SecurityEvents.SignInFailed, "NOBODY.here")).TotalCount);
        Assert.Empty((await log.ListAsync(ana, text: "nobody.there")).Items);
    }
}
