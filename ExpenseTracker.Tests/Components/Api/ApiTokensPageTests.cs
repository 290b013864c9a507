using System.Globalization;
using Bunit;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components.Api;

/// <summary>
/// The API tokens page: a new token's secret is shown once with a ready-to-run curl command, the list shows status and
/// last use in the household's time and culture, revoking asks first, bad input is refused next to its field.
/// </summary>
public sealed class ApiTokensPageTests : MudComponentTest
{
    public override async Task InitializeAsync()
    {
        Services.AddSingleton(_ => AppServices.GetRequiredService<ApiTokenService>());
        Services.AddSingleton(_ => App.Services.GetRequiredService<IConfiguration>());
        await base.InitializeAsync();
    }

    private IRenderedComponent<ApiTokensPage> RenderPage(HouseholdInfo? household = null)
    {
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        var page = Render<ApiTokensPage>(p => p.AddCascadingValue(household ?? Household));
        page.WaitForElement("[data-testid=api-token-form]");
        return page;
    }

    private async Task<PersonalAccessToken> StoredTokenAsync() =>
        await AppServices.GetRequiredService<AppDbContext>().PersonalAccessTokens.AsNoTracking().SingleAsync();

    /// <summary>A wall-clock time in the household's zone (Berlin), formatted as the page does ("g").</summary>
    private static string Berlin(int year, int month, int day, int hour, int minute, string culture) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified).ToString("g", CultureInfo.GetCultureInfo(culture));

    [Fact]
    public async Task CreatingATokenShowsItsSecretOnceWithACurlCommandAndListsItAsActive()
    {
        var page = RenderPage();
        Assert.NotNull(page.Find("[data-testid=api-tokens-empty]"));

        page.Find("#api-token-name").Change("Phone shortcut");
        page.Find("#api-token-write").Change(true);
        page.Find("#api-token-expiry").Change("30");
        page.Find("[data-testid=api-token-form]").Submit();

        var secret = page.WaitForElement("[data-testid=api-token-secret]").GetAttribute("value")!;
        var stored = await StoredTokenAsync();
        Assert.StartsWith("et_", secret, StringComparison.Ordinal);
        Assert.Equal(ApiTokenService.Hash(secret), stored.TokenHash);
        Assert.Equal(("Phone shortcut", ApiTokenScopes.ReadWrite, Household.MemberId), (stored.Name, stored.Scopes, stored.MemberId));
        Assert.Equal(App.Time.GetUtcNow().UtcDateTime.AddDays(30), stored.ExpiresAt);
        Assert.Contains("will not be shown again", page.Find("[data-testid=api-token-once-warning]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"curl -H \"Authorization: Bearer {secret}\" http://localhost/api/v1/me", page.Find("[data-testid=api-token-curl]").TextContent);
        Assert.Equal(string.Empty, page.Find("#api-token-name").GetAttribute("value") ?? string.Empty);

        var row = page.Find("[data-testid=api-token]");
        Assert.Equal("active", row.GetAttribute("data-status"));
        Assert.Equal(secret[..7] + "…", row.QuerySelector("[data-testid=api-token-prefix]")!.TextContent);
        Assert.Equal("read and write", row.QuerySelector("[data-testid=api-token-scopes]")!.TextContent);
        // 15 Nov 2026 10:00 UTC is 11:00 in Berlin; 30 days later (winter time) too.
        var dates = row.QuerySelector("[data-testid=api-token-dates]")!.TextContent;
        Assert.Contains("Created " + Berlin(2026, 11, 15, 11, 0, "en-US"), dates, StringComparison.Ordinal);
        Assert.Contains("expires " + Berlin(2026, 12, 15, 11, 0, "en-US"), dates, StringComparison.Ordinal);
        Assert.Equal("Never used", row.QuerySelector("[data-testid=api-token-last-used]")!.TextContent.Trim());

        page.Find("[data-testid=api-token-done]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=api-token-created]")));
        Assert.DoesNotContain(secret, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewTokenIsReadOnlyAndExpiresIn90DaysUnlessChosenOtherwise()
    {
        var page = RenderPage();

        page.Find("#api-token-name").Change("Spreadsheet");
        page.Find("[data-testid=api-token-form]").Submit();

        page.WaitForElement("[data-testid=api-token-secret]");
        var stored = await StoredTokenAsync();
        Assert.Equal(ApiTokenScopes.Read, stored.Scopes);
        Assert.Equal(App.Time.GetUtcNow().UtcDateTime.AddDays(90), stored.ExpiresAt);
        Assert.Equal(new string?[] { "7", "30", "90", "365", "never" }, page.FindAll("#api-token-expiry option").Select(o => o.GetAttribute("value")).ToArray());
    }

    [Fact]
    public async Task AnEmptyNameIsRefusedNextToTheFieldAndNothingIsCreated()
    {
        var page = RenderPage();

        page.Find("#api-token-name").Change("   ");
        page.Find("[data-testid=api-token-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains("Give the token a name", page.Find(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=api-token-created]"));
        Assert.Equal(0, await AppServices.GetRequiredService<AppDbContext>().PersonalAccessTokens.CountAsync());
    }

    [Fact]
    public void AViewerCanOnlyChooseReadOnlyAndTheApiReferenceIsLinked()
    {
        var page = RenderPage(Household with { Role = MemberRole.Viewer });

        Assert.True(page.Find("#api-token-write").HasAttribute("disabled"));
        Assert.True(page.Find("#api-token-read").HasAttribute("checked"));
        Assert.Contains("your tokens are read-only", page.Find("[data-testid=api-token-viewer-note]").TextContent, StringComparison.Ordinal);
        Assert.Equal("scalar/v1", page.Find("[data-testid=api-reference-link]").GetAttribute("href"));
        Assert.Equal("openapi/v1.json", page.Find("[data-testid=openapi-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task RevokingAsksFirstAndThenMarksTheTokenRevoked()
    {
        await AppServices.GetRequiredService<ApiTokenService>().CreateAsync("Old script", ApiTokenScopes.Read, null);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();
        page.WaitForElement("[data-testid=api-token]");
        Assert.Contains("never expires", page.Find("[data-testid=api-token-dates]").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid=api-token-revoke]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke “Old script”", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("button")));
        Assert.Null((await StoredTokenAsync()).RevokedAt);
        Assert.Equal("active", page.Find("[data-testid=api-token]").GetAttribute("data-status"));

        page.Find("[data-testid=api-token-revoke]").Click();
        dialogs.WaitForElement("button");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click();

        page.WaitForAssertion(() => Assert.Equal("revoked", page.Find("[data-testid=api-token]").GetAttribute("data-status")));
        Assert.Equal(App.Time.GetUtcNow().UtcDateTime, (await StoredTokenAsync()).RevokedAt);
        Assert.Empty(page.FindAll("[data-testid=api-token-revoke]"));
        Assert.Contains("revoked " + Berlin(2026, 11, 15, 11, 0, "en-US"), page.Find("[data-testid=api-token-dates]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredTokensAndTheLastUseShowInTheHouseholdsTimeZoneAndCulture()
    {
        var created = await AppServices.GetRequiredService<ApiTokenService>().CreateAsync("Weekly export", ApiTokenScopes.Read, 7);
        var db = AppServices.GetRequiredService<AppDbContext>();
        await db.PersonalAccessTokens.Where(t => t.Id == created.Token.Id).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.LastUsedAt, new DateTime(2026, 11, 20, 17, 45, 0, DateTimeKind.Utc))
            .SetProperty(t => t.LastUsedIp, "192.0.2.7"));
        App.Time.Advance(TimeSpan.FromDays(8));

        var page = RenderPage(Household with { Culture = "de-DE" });

        var row = page.WaitForElement("[data-testid=api-token]");
        Assert.Equal("expired", row.GetAttribute("data-status"));
        Assert.Equal("Expired", row.QuerySelector("[data-testid=api-token-status]")!.TextContent.Trim());
        Assert.Contains("expired " + Berlin(2026, 11, 22, 11, 0, "de-DE"), row.QuerySelector("[data-testid=api-token-dates]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Last used " + Berlin(2026, 11, 20, 18, 45, "de-DE") + " from 192.0.2.7", row.QuerySelector("[data-testid=api-token-last-used]")!.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=api-token-revoke]"));
    }
}
