using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Identity;

public sealed partial class TwoFactorTests : IAsyncLifetime
{
    private const string Page = "/Identity/Account/Manage/EnableAuthenticator";
    private TestApp app = null!;
    private AccountForms forms = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Each test changes Ana's second factor, so it gets its own app on <paramref name="provider"/>, Ana signed in.</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        forms = new AccountForms(app);
        await app.CreateUserWithHouseholdAsync("ana@example.com", password: AccountForms.Password);
        await forms.SignInAsync("ana@example.com");
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [ProviderTheory]
    public async Task TheAuthenticatorSetupShowsAQrCodeDrawnOnTheServerAndTheKey(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var page = await forms.GetTextAsync(Page);

        Assert.Matches("<div class=\"qr-code\"[^>]*>\\s*<svg", page);
        Assert.Matches(KeyPattern(), page);
    }

    [ProviderTheory]
    public async Task ACodeFromTheAuthenticatorAppTurnsOnTwoFactorSignIn(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var key = KeyPattern().Match(await forms.GetTextAsync(Page)).Groups[1].Value;

        var response = await forms.PostAsync(Page, new Dictionary<string, string> { ["Input.Code"] = Totp(key) });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("ShowRecoveryCodes", response.Headers.Location?.OriginalString);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.FindByEmailAsync("ana@example.com"))!.TwoFactorEnabled);
        }

        var again = new AccountForms(app);
        var signIn = await again.SignInAsync("ana@example.com");
        Assert.Contains("LoginWith2fa", signIn.Headers.Location?.OriginalString);
    }

    [ProviderTheory]
    public async Task AWrongCodeLeavesTwoFactorSignInOff(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var response = await forms.PostAsync(Page, new Dictionary<string, string> { ["Input.Code"] = "000000" });

        Assert.Contains("That code is not right", await AccountForms.TextOf(response));
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.False((await users.FindByEmailAsync("ana@example.com"))!.TwoFactorEnabled);
    }

    /// <summary>RFC 6238 with SHA-1, 30 s steps, 6 digits — what an authenticator app computes (Identity uses the system clock).</summary>
    private static string Totp(string base32Key)
    {
        var key = Base32Decode(base32Key.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant());
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0F;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7FFFFFFF) % 1_000_000;
        return value.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex("<kbd class=\"shared-key\" id=\"shared-key\">([a-z2-7 ]{20,})</kbd>")]
    private static partial Regex KeyPattern();
}
