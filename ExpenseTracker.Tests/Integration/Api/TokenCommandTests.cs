using System.Net;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Api;

/// <summary>
/// <c>token create|list|revoke</c> on the command line: the printed token works against the API as that member, the
/// same rules as in Settings refuse (exit 1), wrong usage exits 2, and nothing is half-written. Tests that make tokens
/// count every token of the instance, so each gets a fresh app with the family; the refusals, which make none, share
/// one app per provider (<see cref="TokenCommandFamilies"/>).
/// </summary>
public sealed class TokenCommandTests(TokenCommandFamilies families) : IClassFixture<TokenCommandFamilies>, IAsyncLifetime
{
    private TestApp app = null!;
    private TestApp? own;
    private Family family = null!;

    /// <summary>A fresh app with the family, for a test that makes tokens.</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        own = app = new TestApp(provider);
        family = await Family.CreateAsync(app);
    }

    /// <summary>The provider's shared app with the family, for a test that makes no token.</summary>
    private async Task SharedAsync(DatabaseProvider provider) => app = await families.ForAsync(provider);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await (own?.DisposeAsync() ?? ValueTask.CompletedTask);

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var exit = await TokenCommands.RunAsync(app.Services, args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string LastLine(string output) => output.TrimEnd('\r', '\n').Split('\n')[^1].TrimEnd('\r');

    private async Task<JsonElement> MeAsync(string token)
    {
        using var client = app.CreateApiClient(token);
        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task<HttpStatusCode> StatusWithAsync(string token)
    {
        using var client = app.CreateApiClient(token);
        return (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode;
    }

    private async Task<int> TokenCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().PersonalAccessTokens.IgnoreQueryFilters().CountAsync();
    }

    [ProviderTheory]
    public async Task CreatePrintsATokenOnTheLastLineThatActsForThatMemberWithTheGivenScopes(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (exit, output, error) = await RunAsync("token", "create", "--user", "ben@example.com", "--name", "Phone shortcut", "--scopes", "read,write");

        Assert.Equal(0, exit);
        var token = LastLine(output);
        Assert.Equal(token, output.Trim());
        Assert.StartsWith("et_", token, StringComparison.Ordinal);
        Assert.Contains("\"Phone shortcut\" (read,write) for ben@example.com", error, StringComparison.Ordinal);
        Assert.Contains("never expires", error, StringComparison.Ordinal);
        var me = await MeAsync(token);
        Assert.Equal(family.Id("Ben"), me.GetProperty("memberId").GetInt64());
        Assert.Equal(family.HouseholdId, me.GetProperty("householdId").GetInt64());
        Assert.Equal(["read", "write"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).Order(StringComparer.Ordinal).ToArray());
    }

    [ProviderTheory]
    public async Task ExpiresDaysSetsTheExpiryAndAViewerGetsAReadToken(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (exit, output, _) = await RunAsync("token", "create", "--user", "VIC@example.com", "--name", "Reader", "--scopes", "read", "--expires-days", "7");

        Assert.Equal(0, exit);
        Assert.Equal("read", Assert.Single((await MeAsync(LastLine(output))).GetProperty("scopes").EnumerateArray()).GetString());
        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().PersonalAccessTokens.IgnoreQueryFilters().SingleAsync();
        Assert.Equal((family.Id("Vic"), app.Time.GetUtcNow().UtcDateTime.AddDays(7)), (stored.MemberId, stored.ExpiresAt));
    }

    [ProviderTheory]
    public async Task HouseholdPicksWhichOfTheUsersHouseholdsTheTokenActsIn(DatabaseProvider provider)
    {
        await StartAsync(provider);
        // Zoe has her own household and then joins the family's: her current household becomes the family's.
        var (zoe, own, _) = await app.CreateUserWithHouseholdAsync("zoe@example.com");
        await using (var scope = family.As("Ana"))
        {
            var link = (await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync("zoe@example.com", MemberRole.Member, Family.BaseUri)).Link;
            await scope.ServiceProvider.GetRequiredService<InvitationService>().AcceptAsync(Family.TokenOf(link), zoe.Id, "Zoe");
        }

        var (exitOwn, ownOutput, _) = await RunAsync("token", "create", "--user", "zoe@example.com", "--name", "Own", "--scopes", "read", "--household", own.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (exitOther, _, otherError) = await RunAsync("token", "create", "--user", "zoe@example.com", "--name", "Elsewhere", "--scopes", "read", "--household", "999999");

        Assert.Equal(0, exitOwn);
        Assert.Equal(own.Id, (await MeAsync(LastLine(ownOutput))).GetProperty("householdId").GetInt64());
        Assert.Equal(1, exitOther);
        Assert.Contains("is not a member of household 999999", otherError, StringComparison.Ordinal);
        Assert.Equal(1, await TokenCountAsync());
    }

    [ProviderTheory]
    public async Task AViewerAskingForWriteIsRefusedWithExit1AndNoToken(DatabaseProvider provider)
    {
        await SharedAsync(provider);
        var (exit, output, error) = await RunAsync("token", "create", "--user", "vic@example.com", "--name", "Writer", "--scopes", "read,write");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("Viewers read only", error, StringComparison.Ordinal);
        Assert.Equal(0, await TokenCountAsync());
    }

    [ProviderTheory]
    public async Task AnUnknownUserOrAUserWithoutAHouseholdIsRefusedWithExit1(DatabaseProvider provider)
    {
        await SharedAsync(provider);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var loner = new AppUser { UserName = "loner@example.com", Email = "loner@example.com", EmailConfirmed = true, CreatedAt = app.Time.GetUtcNow().UtcDateTime };
            Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(loner)).Succeeded);
        }

        var unknown = await RunAsync("token", "create", "--user", "nobody@example.com", "--name", "X", "--scopes", "read");
        var homeless = await RunAsync("token", "create", "--user", "loner@example.com", "--name", "X", "--scopes", "read");
        var tooLong = await RunAsync("token", "create", "--user", "ana@example.com", "--name", "X", "--scopes", "read", "--expires-days", "5000");

        Assert.Equal((1, string.Empty), (unknown.Exit, unknown.Output));
        Assert.Contains("No user has the email nobody@example.com", unknown.Error, StringComparison.Ordinal);
        Assert.Equal((1, string.Empty), (homeless.Exit, homeless.Output));
        Assert.Contains("belongs to no household", homeless.Error, StringComparison.Ordinal);
        Assert.Equal((1, string.Empty), (tooLong.Exit, tooLong.Output));
        Assert.Contains("between 1 and 3650 days", tooLong.Error, StringComparison.Ordinal);
        Assert.Equal(0, await TokenCountAsync());
    }

    [ProviderTheory]
    [InlineData("token")]
    [InlineData("token mint --user ana@example.com")]
    [InlineData("token create --user ana@example.com --name Script")]
    [InlineData("token create --user ana@example.com --name Script --scopes admin")]
    [InlineData("token create --user ana@example.com --name Script --scopes read --expires-days soon")]
    [InlineData("token create --user ana@example.com --name Script --scopes read --colour red")]
    [InlineData("token create --user ana@example.com --name")]
    [InlineData("token revoke --user ana@example.com")]
    [InlineData("token revoke --user ana@example.com --id -3")]
    [InlineData("token list")]
    public async Task WrongUsageExits2WithTheUsageAndChangesNothing(DatabaseProvider provider, string commandLine)
    {
        await SharedAsync(provider);
        var (exit, output, error) = await RunAsync(commandLine.Split(' '));

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
        Assert.Equal(0, await TokenCountAsync());
    }

    [ProviderTheory]
    public async Task ListShowsTheUsersTokensAndRevokeStopsOneAtOnce(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var keep = LastLine((await RunAsync("token", "create", "--user", "ana@example.com", "--name", "Keeper", "--scopes", "read")).Output);
        var drop = LastLine((await RunAsync("token", "create", "--user", "ana@example.com", "--name", "Dropper", "--scopes", "read,write", "--expires-days", "30")).Output);
        var bens = LastLine((await RunAsync("token", "create", "--user", "ben@example.com", "--name", "Bens", "--scopes", "read")).Output);
        long dropId, bensId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<AppDbContext>().PersonalAccessTokens.IgnoreQueryFilters();
            dropId = await tokens.Where(t => t.Name == "Dropper").Select(t => t.Id).SingleAsync();
            bensId = await tokens.Where(t => t.Name == "Bens").Select(t => t.Id).SingleAsync();
        }

        var (listExit, list, _) = await RunAsync("token", "list", "--user", "ana@example.com");
        var (revokeExit, revoked, _) = await RunAsync("token", "revoke", "--user", "ana@example.com", "--id", dropId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (othersExit, _, othersError) = await RunAsync("token", "revoke", "--user", "ana@example.com", "--id", bensId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (_, after, _) = await RunAsync("token", "list", "--user", "ana@example.com");

        Assert.Equal(0, listExit);
        var lines = list.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains("Dropper", StringComparison.Ordinal) && l.Contains(drop[..7], StringComparison.Ordinal)
            && l.Contains("read,write", StringComparison.Ordinal) && l.Contains("2026-12-15 10:00 UTC", StringComparison.Ordinal) && l.EndsWith("active", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Keeper", StringComparison.Ordinal) && l.Contains("never", StringComparison.Ordinal));
        Assert.DoesNotContain("Bens", list, StringComparison.Ordinal);
        Assert.Equal(0, revokeExit);
        Assert.Contains($"Revoked token {dropId}", revoked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(drop));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(keep));
        Assert.Equal(1, othersExit);
        Assert.Contains($"has no token {bensId}", othersError, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(bens));
        Assert.Contains(after.Split('\n'), l => l.Contains("Dropper", StringComparison.Ordinal) && l.TrimEnd().EndsWith("revoked", StringComparison.Ordinal));
    }
}

/// <summary>One app per provider with the family's users, shared by the command's refusals (which write no token).</summary>
public sealed class TokenCommandFamilies : ProviderFixture<TestApp>
{
    protected override async Task<TestApp> SeedAsync(TestApp app)
    {
        await Family.CreateAsync(app);
        return app;
    }
}
