using System.Net;
using System.Text;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Households;

public sealed class InvitationTests : IAsyncLifetime
{
    private TestApp app = null!;
    private AccountForms forms = null!;
    private Family family = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        forms = new AccountForms(app);
        family = await Family.CreateAsync(app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (app?.DisposeAsync() ?? ValueTask.CompletedTask);

    private async Task<InvitationCreated> InviteAsync(string email = "nora@example.com", MemberRole role = MemberRole.Member)
    {
        await using var scope = family.As("Ana");
        return await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync(email, role, Family.BaseUri);
    }

    private async Task<string> NewUserAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(user)).Succeeded);
        return user.Id;
    }

    private async Task<JoinedHousehold> AcceptAsync(string link, string userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InvitationService>().AcceptAsync(Family.TokenOf(link), userId);
    }

    [ProviderTheory]
    public async Task WithoutSmtpTheOwnerGetsACopyableLinkThatExpiresInSevenDays(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var invitation = await InviteAsync();

        Assert.False(invitation.EmailDelivered);
        Assert.StartsWith("http://localhost/invite/", invitation.Link);
        Assert.Equal(43, Family.TokenOf(invitation.Link).Length);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime.AddDays(7), invitation.ExpiresAt);
        var mail = Directory.GetFiles(Path.Combine(app.DataDirectory, "mail")).Select(File.ReadAllText).Last(m => m.Contains("nora@example.com"));
        Assert.Contains("invites you", mail);
    }

    [ProviderTheory]
    public async Task TheDatabaseHoldsOnlyAHashOfTheInvitationToken(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var invitation = await InviteAsync();
        var token = Family.TokenOf(invitation.Link);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.Invitations.IgnoreQueryFilters().SingleAsync(i => i.Id == invitation.Id);
        Assert.Equal(InvitationService.HashToken(token), stored.TokenHash);
        Assert.NotEqual(token, stored.TokenHash);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(app.DataDirectory, "expensetracker.db*"))
        {
            Assert.DoesNotContain(token, Encoding.ASCII.GetString(await File.ReadAllBytesAsync(file)));
        }
    }

    [ProviderTheory]
    public async Task AnInvitationLinkWorksOnlyOnce(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var invitation = await InviteAsync();
        var joined = await AcceptAsync(invitation.Link, await NewUserAsync("nora@example.com"));
        Assert.Equal((family.HouseholdId, MemberRole.Member), (joined.HouseholdId, joined.Role));

        var second = await Assert.ThrowsAsync<InvitationException>(() => AcceptAsync(invitation.Link, "x"));
        Assert.Equal(InvitationStatus.Used, second.Status);
        var other = await NewUserAsync("mallory@example.com");
        await Assert.ThrowsAsync<InvitationException>(() => AcceptAsync(invitation.Link, other));
        await using var scope = family.As("Ana");
        var members = await scope.ServiceProvider.GetRequiredService<MembershipService>().ListMembersAsync();
        Assert.DoesNotContain(members, m => m.Email == "mallory@example.com");
    }

    [ProviderTheory]
    public async Task AnInvitationExpiresAfterSevenDays(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var invitation = await InviteAsync();
        app.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        await using var scope = app.Services.CreateAsyncScope();
        var preview = await scope.ServiceProvider.GetRequiredService<InvitationService>().PreviewAsync(Family.TokenOf(invitation.Link));
        Assert.Equal(InvitationStatus.Expired, preview.Status);
        var refusal = await Assert.ThrowsAsync<InvitationException>(async () => await AcceptAsync(invitation.Link, await NewUserAsync("nora@example.com")));
        Assert.Contains("expired", refusal.Message);
    }

    [ProviderTheory]
    public async Task AWithdrawnInvitationNoLongerWorksAndLeavesThePendingList(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var invitation = await InviteAsync();
        await using (var scope = family.As("Ana"))
        {
            var service = scope.ServiceProvider.GetRequiredService<InvitationService>();
            Assert.Contains(await service.ListPendingAsync(), p => p.Id == invitation.Id && p.InvitedBy == "ana");
            await service.RevokeAsync(invitation.Id);
            Assert.DoesNotContain(await service.ListPendingAsync(), p => p.Id == invitation.Id);
        }

        var refusal = await Assert.ThrowsAsync<InvitationException>(async () => await AcceptAsync(invitation.Link, await NewUserAsync("nora@example.com")));
        Assert.Equal(InvitationStatus.Revoked, refusal.Status);
    }

    [ProviderTheory]
    public async Task InvitingSomeoneAgainReplacesTheEarlierLink(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var first = await InviteAsync();
        var second = await InviteAsync();

        var refusal = await Assert.ThrowsAsync<InvitationException>(async () => await AcceptAsync(first.Link, await NewUserAsync("nora@example.com")));
        Assert.Equal(InvitationStatus.Revoked, refusal.Status);
        await AcceptAsync(second.Link, await NewUserAsync("nora2@example.com"));
    }

    [ProviderTheory]
    public async Task OwnersCannotBeInvitedAndNeitherCanCurrentMembers(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await using var scope = family.As("Ana");
        var service = scope.ServiceProvider.GetRequiredService<InvitationService>();

        await Assert.ThrowsAsync<HouseholdValidationException>(() => service.InviteAsync("nora@example.com", MemberRole.Owner, Family.BaseUri));
        var again = await Assert.ThrowsAsync<HouseholdValidationException>(() => service.InviteAsync("BEN@example.com", MemberRole.Member, Family.BaseUri));
        Assert.Contains("already a member", again.Message);
        await Assert.ThrowsAsync<HouseholdValidationException>(() => service.InviteAsync("not an address", MemberRole.Member, Family.BaseUri));
    }

    [ProviderTheory]
    public async Task WhileRegistrationIsOffANewcomerRegistersFromTheLinkAndJoinsTheInvitingHousehold(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var invitation = await InviteAsync("nora@example.com", MemberRole.Viewer);
        var token = Family.TokenOf(invitation.Link);
        // The family's owner is not the administrator; make one so registration is past its first run and closed.
        await AccountForms.CreateAdministratorAsync(app, "admin@example.com");
        Assert.Equal(HttpStatusCode.Forbidden, (await forms.Client.GetAsync("/Identity/Account/Register")).StatusCode);

        var landing = await forms.GetTextAsync("/invite/" + token);
        Assert.Contains("ana invited you to join", landing);
        Assert.Contains("Register?invite=" + token, landing);
        var form = await forms.GetTextAsync("/Identity/Account/Register?invite=" + token);
        Assert.Contains("value=\"nora@example.com\"", form);
        Assert.DoesNotContain("Input.HouseholdName", form);

        var response = await forms.PostAsync("/Identity/Account/Register?invite=" + token, new Dictionary<string, string>
        {
            ["invite"] = token,
            ["Input.DisplayName"] = "Nora",
            ["Input.Email"] = "nora@example.com",
            ["Input.Password"] = AccountForms.Password,
            ["Input.ConfirmPassword"] = AccountForms.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = await db.Users.SingleAsync(u => u.Email == "nora@example.com");
        Assert.Equal(family.HouseholdId, user.CurrentHouseholdId);
        var member = await db.Members.IgnoreQueryFilters().SingleAsync(m => m.UserId == user.Id);
        Assert.Equal((family.HouseholdId, MemberRole.Viewer, "Nora"), (member.HouseholdId, member.Role, member.DisplayName));
        Assert.Equal(2, await db.Households.IgnoreQueryFilters().CountAsync());
        Assert.Contains("already been used", await forms.GetTextAsync("/Identity/Account/Register?invite=" + token));
    }

    [ProviderTheory]
    public async Task ABrokenInvitationLinkSaysSoAndOffersNoForm(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await AccountForms.CreateAdministratorAsync(app, "admin@example.com");

        var response = await forms.Client.GetAsync("/Identity/Account/Register?invite=not-a-real-token");
        var page = await AccountForms.TextOf(response);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("This invitation link is not valid", page);
        Assert.DoesNotContain("Input.Password", page);
        Assert.Contains("This invitation link is not valid", await forms.GetTextAsync("/invite/not-a-real-token"));
    }

    [ProviderTheory]
    public async Task SomeoneWithAnAccountSignsInAndJoinsWithOneClickAndTheHouseholdBecomesTheirCurrentOne(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (zoe, ownHousehold, _) = await app.CreateUserWithHouseholdAsync("zoe@example.com", password: AccountForms.Password);
        var invitation = await InviteAsync("zoe.work@example.com", MemberRole.Member);
        var token = Family.TokenOf(invitation.Link);
        Assert.Equal(HttpStatusCode.Redirect, (await forms.SignInAsync("zoe@example.com")).StatusCode);

        Assert.Contains("You are signed in as <strong>zoe@example.com</strong>", await forms.GetTextAsync("/invite/" + token));
        var response = await forms.PostAsync("/invite/" + token, new Dictionary<string, string> { ["DisplayName"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(family.HouseholdId, (await db.Users.SingleAsync(u => u.Id == zoe.Id)).CurrentHouseholdId);
        var memberships = await db.Members.IgnoreQueryFilters().Where(m => m.UserId == zoe.Id).ToListAsync();
        Assert.Equal(new[] { ownHousehold.Id, family.HouseholdId }.Order(), memberships.Select(m => m.HouseholdId).Order());
        Assert.Equal("zoe", memberships.Single(m => m.HouseholdId == family.HouseholdId).DisplayName);
    }
}
