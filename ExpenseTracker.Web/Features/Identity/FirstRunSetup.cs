using System.Security.Cryptography;
using System.Text;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Identity;

/// <summary>
/// Until an administrator exists, registering needs a one-time setup code that the app prints on its console and
/// keeps in <c>setup-code.txt</c> in the data folder, so a stranger on the LAN cannot become admin by being first.
/// The same code survives restarts; once the administrator exists the file is deleted and no code is accepted again.
/// </summary>
public sealed class FirstRunSetup(IServiceScopeFactory scopes, StorageOptions storage, ILogger<FirstRunSetup> logger)
{
    // No 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read off a console and type on a phone.
    private const string Alphabet = "ACDEFGHJKMNPQRTUVWXY34679";
    private const int Groups = 3;
    private const int GroupLength = 4;

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool administratorExists;

    /// <summary>Serialises creating the first administrator, so two people with the code cannot both become it.</summary>
    public SemaphoreSlim FirstAdministratorGate => gate;

    public async Task<bool> AdministratorExistsAsync(CancellationToken cancellationToken = default)
    {
        if (administratorExists)
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        administratorExists = await db.Users.AnyAsync(u => u.IsAdministrator, cancellationToken);
        return administratorExists;
    }

    /// <summary>The current code (reusing the file's across restarts), or null once an administrator exists.</summary>
    public async Task<string?> EnsureCodeAsync(CancellationToken cancellationToken = default)
    {
        if (await AdministratorExistsAsync(cancellationToken))
        {
            DeleteCodeFile();
            return null;
        }

        var existing = ReadCode();
        if (existing is not null)
        {
            return existing;
        }

        var code = Generate();
        Directory.CreateDirectory(storage.DataDirectory);
        await File.WriteAllTextAsync(storage.SetupCodePath, code + Environment.NewLine, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(storage.SetupCodePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logger.LogInformation("Created a first-run setup code in {Path}", storage.SetupCodePath);
        return code;
    }

    /// <summary>Compares in constant time, ignoring case, spaces and dashes. Always false once an administrator exists.</summary>
    public async Task<bool> VerifyAsync(string? typed, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(typed) || await AdministratorExistsAsync(cancellationToken))
        {
            return false;
        }

        var expected = ReadCode();
        return expected is not null && Matches(expected, typed);
    }

    /// <summary>Called once the first administrator exists: the code is spent.</summary>
    public void Complete()
    {
        administratorExists = true;
        DeleteCodeFile();
        logger.LogInformation("An administrator exists: the first-run setup code is no longer accepted");
    }

    public static bool Matches(string expected, string typed)
    {
        var a = Encoding.UTF8.GetBytes(Normalize(expected));
        var b = Encoding.UTF8.GetBytes(Normalize(typed));
        // FixedTimeEquals returns early only on a length mismatch, which reveals nothing about the code itself.
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    public static string Normalize(string code)
    {
        var builder = new StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (!char.IsWhiteSpace(c) && c is not '-' and not '‐' and not '–')
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    public static string Generate()
    {
        var builder = new StringBuilder(Groups * (GroupLength + 1));
        for (var group = 0; group < Groups; group++)
        {
            if (group > 0)
            {
                builder.Append('-');
            }

            for (var i = 0; i < GroupLength; i++)
            {
                builder.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
            }
        }

        return builder.ToString();
    }

    private string? ReadCode()
    {
        if (!File.Exists(storage.SetupCodePath))
        {
            return null;
        }

        var text = File.ReadAllText(storage.SetupCodePath).Trim();
        return Normalize(text).Length >= Groups * GroupLength ? text : null;
    }

    private void DeleteCodeFile()
    {
        if (File.Exists(storage.SetupCodePath))
        {
            File.Delete(storage.SetupCodePath);
        }
    }

    /// <summary>At start-up: make sure a code exists while there is no administrator, and show it prominently.</summary>
    public static Task EnsureSetupCodeAsync(IServiceProvider services) =>
        services.GetRequiredService<FirstRunSetup>().AnnounceAsync(Console.Out);

    public async Task AnnounceAsync(TextWriter console)
    {
        var code = await EnsureCodeAsync();
        if (code is null)
        {
            return;
        }

        var banner = new StringBuilder()
            .AppendLine()
            .AppendLine("=================================================================")
            .AppendLine("  FIRST RUN: no administrator yet.")
            .AppendLine("  Setup code:  " + code)
            .AppendLine("  Open the app, choose Register and enter this code to create the")
            .AppendLine("  administrator account. It is also in:")
            .AppendLine("  " + storage.SetupCodePath)
            .AppendLine("=================================================================")
            .AppendLine()
            .ToString();
        await console.WriteAsync(banner);
        await console.FlushAsync();
        logger.LogWarning("First run: register the administrator with the setup code {SetupCode} (also in {Path})", code, storage.SetupCodePath);
    }
}
