using System.Security.Cryptography;
using System.Text.Json;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace ExpenseTracker.Web.Features.Notifications.Push;

/// <summary>
/// The instance's VAPID key pair (P-256), made on first use and kept in <c>push/vapid-keys.json</c> in the data folder (owner
/// read/write only where the OS allows). Browsers tie a subscription to the public key: a new pair would orphan every
/// subscription, so the file belongs in backups of the data folder.
/// </summary>
public sealed class VapidKeys
{
    private readonly Lazy<KeyPair> pair;

    public VapidKeys(StorageOptions storage, ILogger<VapidKeys> logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
        Path = System.IO.Path.Combine(storage.DataDirectory, "push", "vapid-keys.json");
        pair = new Lazy<KeyPair>(() => LoadOrCreate(Path, logger), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Path { get; }

    /// <summary>Uncompressed P-256 point (65 bytes), base64url: the browser's <c>applicationServerKey</c>.</summary>
    public string PublicKey => pair.Value.PublicKey;

    /// <summary>The private scalar (32 bytes), base64url.</summary>
    public string PrivateKey => pair.Value.PrivateKey;

    private sealed record KeyPair(string PublicKey, string PrivateKey);

    private static KeyPair LoadOrCreate(string path, ILogger logger)
    {
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<KeyPair>(File.ReadAllText(path));
            if (stored is { PublicKey.Length: > 0, PrivateKey.Length: > 0 })
            {
                return stored;
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        var point = new byte[65];
        point[0] = 0x04;
        parameters.Q.X!.CopyTo(point, 1);
        parameters.Q.Y!.CopyTo(point, 33);
        var created = new KeyPair(WebEncoders.Base64UrlEncode(point), WebEncoders.Base64UrlEncode(parameters.D!));

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var stream = OperatingSystem.IsWindows()
                   ? new FileStream(temporary, FileMode.Create, FileAccess.Write)
                   : new FileStream(temporary, new FileStreamOptions
                   {
                       Mode = FileMode.Create, Access = FileAccess.Write,
                       UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                   }))
        {
            JsonSerializer.Serialize(stream, created);
        }

        File.Move(temporary, path, overwrite: false);
        logger.LogInformation("Created the Web Push (VAPID) key pair in {Path}", path);
        return created;
    }
}
