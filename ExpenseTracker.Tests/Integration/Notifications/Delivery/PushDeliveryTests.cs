using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Notifications.Push;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExpenseTracker.Tests.Integration.Notifications.Delivery;

/// <summary>
/// Web Push to a push service on 127.0.0.1: the test plays the browser (its own P-256 key pair and auth secret) and
/// the push service (a tiny Kestrel app that records what it gets and answers with a chosen status).
/// </summary>
/// <remarks>An app per case: the cases read the whole outbox and move the clock.</remarks>
public sealed class PushDeliveryTests : PerCaseApps
{
    private TestApp app = null!;
    private readonly ConcurrentQueue<Received> received = new();
    private readonly ConcurrentDictionary<string, int> statusFor = new(StringComparer.Ordinal);
    private WebApplication pushService = default!;
    private string origin = string.Empty;
    private DeliveryBed bed = default!;

    private sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    /// <summary>A browser's side of a subscription.</summary>
    private sealed class Browser : IDisposable
    {
        public ECDiffieHellman Key { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        public byte[] Auth { get; } = RandomNumberGenerator.GetBytes(16);

        public byte[] PublicKey
        {
            get
            {
                var q = Key.ExportParameters(false).Q;
                return [0x04, .. q.X!, .. q.Y!];
            }
        }

        public BrowserPushSubscription SubscriptionFor(string endpoint) =>
            new(endpoint, WebEncoders.Base64UrlEncode(PublicKey), WebEncoders.Base64UrlEncode(Auth));

        /// <summary>RFC 8291 / RFC 8188: one aes128gcm record, keys from ECDH + HKDF with the auth secret.</summary>
        public string Decrypt(byte[] body)
        {
            var salt = body[..16];
            var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
            var idLength = body[20];
            var serverPublic = body[21..(21 + idLength)];
            var cipher = body[(21 + idLength)..];
            Assert.Equal(65, idLength);
            Assert.True(cipher.Length <= recordSize);

            using var server = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = serverPublic[1..33], Y = serverPublic[33..65] },
            });
            var shared = Key.DeriveRawSecretAgreement(server.PublicKey);
            byte[] keyInfo = [.. "WebPush: info\0"u8, .. PublicKey, .. serverPublic];
            var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, Auth, keyInfo);
            var contentKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
            var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());

            var plain = new byte[cipher.Length - 16];
            using var aes = new AesGcm(contentKey, 16);
            aes.Decrypt(nonce, cipher[..^16], cipher[^16..], plain);
            var end = Array.FindLastIndex(plain, b => b != 0);
            Assert.Equal(0x02, plain[end]); // the last record's padding delimiter
            return Encoding.UTF8.GetString(plain, 0, end);
        }

        public void Dispose() => Key.Dispose();
    }

    public override async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        pushService = builder.Build();
        pushService.MapPost("/push/{id}", async (HttpContext context, string id) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            received.Enqueue(new Received(context.Request.Path, headers, body.ToArray()));
            return Results.StatusCode(statusFor.GetValueOrDefault(id, StatusCodes.Status201Created));
        });
        await pushService.StartAsync();
        origin = pushService.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = StartApp(provider);
        bed = await DeliveryBed.CreateAsync(app);
    }

    public override async Task DisposeAsync()
    {
        await pushService.StopAsync();
        await pushService.DisposeAsync();
        await base.DisposeAsync();
    }

    [ProviderTheory]
    public async Task APushCarriesVapidHeadersAndAPayloadOnlyTheBrowserCanDecrypt(DatabaseProvider provider)
    {
        await StartAsync(provider);
        using var browser = new Browser();
        await SubscribeAsync(browser, "phone");
        await bed.EnqueueAsync(bed.Request());

        await bed.DeliverAsync();

        var push = Assert.Single(received);
        Assert.Equal("/push/phone", push.Path);
        Assert.Equal("aes128gcm", push.Headers["Content-Encoding"]);
        Assert.Equal("86400", push.Headers["TTL"]);
        var authorization = push.Headers["Authorization"];
        Assert.StartsWith("vapid t=", authorization);
        var parts = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries).ToDictionary(p => p[..p.IndexOf('=')], p => p[(p.IndexOf('=') + 1)..]);
        var appKey = app.Services.GetRequiredService<VapidKeys>().PublicKey;
        Assert.Equal(appKey, parts["k"]);
        var jwt = parts["t"].Split('.');
        using (var header = JsonDocument.Parse(WebEncoders.Base64UrlDecode(jwt[0])))
        {
            Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        }

        using (var claims = JsonDocument.Parse(WebEncoders.Base64UrlDecode(jwt[1])))
        {
            Assert.Equal(origin, claims.RootElement.GetProperty("aud").GetString());
            Assert.True(DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64()) > DateTimeOffset.UtcNow);
            Assert.Equal("mailto:admin@localhost", claims.RootElement.GetProperty("sub").GetString());
        }

        var publicKey = WebEncoders.Base64UrlDecode(appKey);
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = publicKey[1..33], Y = publicKey[33..65] },
        });
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), WebEncoders.Base64UrlDecode(jwt[2]),
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        using var payload = JsonDocument.Parse(browser.Decrypt(push.Body));
        Assert.Equal("Water bill due in 3 days", payload.RootElement.GetProperty("title").GetString());
        Assert.Equal("The water bill (€42.00) is due on 18 Nov.\n\nPay it from the bills page.", payload.RootElement.GetProperty("body").GetString());
        Assert.Equal("http://localhost:5000/bills?bill=1", payload.RootElement.GetProperty("url").GetString());
        Assert.Equal("bill-due-soon:bill:1:2026-11-18:m" + bed.MemberId, payload.RootElement.GetProperty("tag").GetString());
        var outbox = await bed.OutboxAsync(NotificationChannel.Push);
        Assert.Equal(OutboxStatus.Delivered, outbox.Status);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, Assert.Single(await SubscriptionsAsync()).LastSuccessAt);
    }

    [ProviderTheory]
    public async Task ASubscriptionThePushServiceCallsGoneIsRemovedAndTheOthersStillGetThePush(DatabaseProvider provider)
    {
        await StartAsync(provider);
        using var phone = new Browser();
        using var laptop = new Browser();
        await SubscribeAsync(phone, "phone");
        await SubscribeAsync(laptop, "old-laptop");
        statusFor["old-laptop"] = StatusCodes.Status410Gone;
        await bed.EnqueueAsync(bed.Request());

        await bed.DeliverAsync();

        Assert.Equal(["/push/old-laptop", "/push/phone"], received.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.Equal(origin + "/push/phone", Assert.Single(await SubscriptionsAsync()).Endpoint);
        Assert.Equal(OutboxStatus.Delivered, (await bed.OutboxAsync(NotificationChannel.Push)).Status);
    }

    [ProviderTheory]
    public async Task WhenTheOnlySubscriptionIsGoneThePushIsSkipped(DatabaseProvider provider)
    {
        await StartAsync(provider);
        using var browser = new Browser();
        await SubscribeAsync(browser, "gone");
        statusFor["gone"] = StatusCodes.Status404NotFound;
        await bed.EnqueueAsync(bed.Request());

        await bed.DeliverAsync();

        Assert.Empty(await SubscriptionsAsync());
        Assert.Equal(OutboxStatus.Skipped, (await bed.OutboxAsync(NotificationChannel.Push)).Status);
    }

    [ProviderTheory]
    public async Task APushServiceErrorIsRetriedWithBackoff(DatabaseProvider provider)
    {
        await StartAsync(provider);
        using var browser = new Browser();
        await SubscribeAsync(browser, "flaky");
        statusFor["flaky"] = StatusCodes.Status500InternalServerError;
        await bed.EnqueueAsync(bed.Request());

        await bed.DeliverAsync();

        var push = await bed.OutboxAsync(NotificationChannel.Push);
        Assert.Equal((OutboxStatus.Pending, 1, app.Time.GetUtcNow().UtcDateTime.AddMinutes(1)), (push.Status, push.Attempts, push.NextAttemptAt));
        Assert.Contains("500", push.LastError);
        Assert.Equal(1, Assert.Single(await SubscriptionsAsync()).FailureCount);

        statusFor["flaky"] = StatusCodes.Status201Created;
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await bed.DeliverAsync();
        Assert.Equal(OutboxStatus.Delivered, (await bed.OutboxAsync(NotificationChannel.Push)).Status);
        Assert.Equal(2, received.Count);
    }

    [ProviderTheory]
    public async Task WithoutAnySubscriptionThePushIsSkipped(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await bed.EnqueueAsync(bed.Request());

        await bed.DeliverAsync();

        var push = await bed.OutboxAsync(NotificationChannel.Push);
        Assert.Equal(OutboxStatus.Skipped, push.Status);
        Assert.Empty(received);
    }

    [ProviderTheory]
    public async Task TheVapidKeysAreMadeOnceAndKeptOwnerOnlyInTheDataFolder(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var keys = app.Services.GetRequiredService<VapidKeys>();
        var publicKey = keys.PublicKey;

        Assert.Equal(Path.Combine(app.DataDirectory, "push", "vapid-keys.json"), keys.Path);
        Assert.Equal(65, WebEncoders.Base64UrlDecode(publicKey).Length);
        Assert.Equal(32, WebEncoders.Base64UrlDecode(keys.PrivateKey).Length);
        Assert.Equal(publicKey, new VapidKeys(new ExpenseTracker.Web.Infrastructure.StorageOptions { DataDirectory = app.DataDirectory },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<VapidKeys>.Instance).PublicKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys.Path));
        }
    }

    private async Task SubscribeAsync(Browser browser, string id)
    {
        await using var scope = bed.MemberScope();
        await scope.ServiceProvider.GetRequiredService<PushSubscriptionService>().SaveAsync(browser.SubscriptionFor(origin + "/push/" + id));
    }

    private async Task<List<PushSubscription>> SubscriptionsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().PushSubscriptions.IgnoreQueryFilters().AsNoTracking().ToListAsync();
    }
}
