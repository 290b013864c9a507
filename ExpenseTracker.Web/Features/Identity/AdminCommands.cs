using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Identity;

/// <summary>
/// <c>user create|reset-password|unlock|list</c>: administration for a box without mail, on the same data folder.
/// Passwords are read from standard input (one line), never from the command line where `ps` and shell history
/// would keep them. Exit codes: 0 done, 1 refused (unknown user, weak password, ...), 2 wrong usage.
/// </summary>
public static class AdminCommands
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private const string UsageText = """
        Usage:
          user create --email E [--name N] [--household H] [--currency EUR] [--culture en-US] [--time-zone Europe/Berlin] [--admin]
          user reset-password --email E
          user unlock --email E
          user list
        Passwords are read from standard input (one line), e.g.  echo 'a long passphrase' | dotnet ExpenseTracker.Web.dll user create --email ana@example.com
        """;

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "user";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output)
    {
        if (!TryParse(args, out var command, out var options, out var error))
        {
            await output.WriteLineAsync(error);
            await output.WriteLineAsync(UsageText);
            return Usage;
        }

        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        return command switch
        {
            "create" => await CreateAsync(provider, options, input, output),
            "reset-password" => await ResetPasswordAsync(provider, options, input, output),
            "unlock" => await UnlockAsync(provider, options, output),
            "list" => await ListAsync(provider, output),
            _ => Usage,
        };
    }

    internal static bool TryParse(string[] args, out string command, out Dictionary<string, string?> options, out string error)
    {
        command = string.Empty;
        options = new Dictionary<string, string?>(StringComparer.Ordinal);
        error = string.Empty;
        if (args.Length < 2 || args[0] != "user")
        {
            error = "Which user command?";
            return false;
        }

        command = args[1];
        var (allowed, flags) = command switch
        {
            "create" => (new[] { "email", "name", "household", "currency", "culture", "time-zone" }, new[] { "admin" }),
            "reset-password" or "unlock" => (new[] { "email" }, Array.Empty<string>()),
            "list" => (Array.Empty<string>(), Array.Empty<string>()),
            _ => (Array.Empty<string>(), Array.Empty<string>()),
        };
        if (command is not ("create" or "reset-password" or "unlock" or "list"))
        {
            error = $"Unknown command 'user {command}'.";
            return false;
        }

        for (var i = 2; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"Unexpected argument '{arg}'.";
                return false;
            }

            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (flags.Contains(name))
            {
                options[name] = value ?? "true";
            }
            else if (allowed.Contains(name))
            {
                if (value is null)
                {
                    if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        error = $"--{name} needs a value.";
                        return false;
                    }

                    value = args[++i];
                }

                options[name] = value;
            }
            else
            {
                error = $"Unknown option '--{name}' for 'user {command}'.";
                return false;
            }
        }

        if (command is not "list" && string.IsNullOrWhiteSpace(options.GetValueOrDefault("email")))
        {
            error = $"'user {command}' needs --email.";
            return false;
        }

        return true;
    }

    private static async Task<int> CreateAsync(IServiceProvider services, Dictionary<string, string?> options, TextReader input, TextWriter output)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var time = services.GetRequiredService<TimeProvider>();
        var email = options["email"]!.Trim();
        var currency = (options.GetValueOrDefault("currency") ?? "EUR").Trim().ToUpperInvariant();
        var culture = options.GetValueOrDefault("culture") ?? "en-US";
        var timeZone = options.GetValueOrDefault("time-zone") ?? TimeZoneInfo.Local.Id;
        var admin = options.ContainsKey("admin");
        if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email))
        {
            await output.WriteLineAsync($"'{email}' is not an email address.");
            return Failed;
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            await output.WriteLineAsync($"A user with the email {email} already exists.");
            return Failed;
        }

        if (!Currencies.IsKnown(currency))
        {
            await output.WriteLineAsync($"'{currency}' is not an ISO 4217 currency code (e.g. EUR, USD, JPY).");
            return Failed;
        }

        if (!HouseholdCultures.IsSupported(culture))
        {
            await output.WriteLineAsync($"'{culture}' is not a supported culture. Use one of: {string.Join(", ", HouseholdCultures.Names)}.");
            return Failed;
        }

        var password = await ReadPasswordAsync(input, output, "Password for " + email + ": ");
        if (password is null)
        {
            await output.WriteLineAsync("No password given on standard input.");
            return Failed;
        }

        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            IsAdministrator = admin,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            await WriteErrorsAsync(output, "The user was not created:", result);
            return Failed;
        }

        var name = options.GetValueOrDefault("name") ?? email.Split('@')[0];
        var householdName = options.GetValueOrDefault("household") ?? name + "'s household";
        try
        {
            await services.GetRequiredService<HouseholdProvisioning>()
                .CreateAsync(user, new NewHousehold(householdName, currency, timeZone, culture, name));
        }
        catch
        {
            await users.DeleteAsync(user);
            throw;
        }

        if (admin)
        {
            services.GetRequiredService<FirstRunSetup>().Complete();
        }

        await output.WriteLineAsync(
            $"Created {(admin ? "administrator" : "user")} {email} with the household \"{householdName.Trim()}\" ({currency}).");
        return Ok;
    }

    private static async Task<int> ResetPasswordAsync(IServiceProvider services, Dictionary<string, string?> options, TextReader input, TextWriter output)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var email = options["email"]!.Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            await output.WriteLineAsync($"No user has the email {email}.");
            return Failed;
        }

        var password = await ReadPasswordAsync(input, output, "New password for " + email + ": ");
        if (password is null)
        {
            await output.WriteLineAsync("No password given on standard input.");
            return Failed;
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
        {
            await WriteErrorsAsync(output, "The password was not changed:", result);
            return Failed;
        }

        await output.WriteLineAsync($"Changed the password of {email}.");
        return Ok;
    }

    private static async Task<int> UnlockAsync(IServiceProvider services, Dictionary<string, string?> options, TextWriter output)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var email = options["email"]!.Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            await output.WriteLineAsync($"No user has the email {email}.");
            return Failed;
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await output.WriteLineAsync($"Unlocked {email}: they can sign in again.");
        return Ok;
    }

    private static async Task<int> ListAsync(IServiceProvider services, TextWriter output)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var users = await db.Users.AsNoTracking()
            .OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.IsAdministrator, u.LockoutEnd })
            .ToListAsync();
        var memberships = await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId != null && m.LeftAt == null)
            .Join(db.Households.IgnoreQueryFilters(), m => m.HouseholdId, h => h.Id, (m, h) => new { m.UserId, h.Name, m.Role })
            .ToListAsync();
        if (users.Count == 0)
        {
            await output.WriteLineAsync("No users yet.");
            return Ok;
        }

        var rows = users.Select(u => new[]
        {
            u.Email ?? string.Empty,
            u.IsAdministrator ? "yes" : "no",
            // LockoutEnd is a DateTimeOffset stored as text in SQLite, so compare it here rather than in SQL.
            u.LockoutEnd is { } end && end > now ? end.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "-",
            string.Join(", ", memberships.Where(m => m.UserId == u.Id).Select(m => m.Name + " (" + m.Role + ")")) is { Length: > 0 } names ? names : "-",
        }).ToList();
        string[] header = ["EMAIL", "ADMIN", "LOCKED OUT UNTIL", "HOUSEHOLDS"];
        var widths = Enumerable.Range(0, header.Length - 1).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        await output.WriteLineAsync(FormatRow(header, widths));
        foreach (var row in rows)
        {
            await output.WriteLineAsync(FormatRow(row, widths));
        }

        return Ok;
    }

    private static string FormatRow(string[] cells, int[] widths)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            builder.Append(i < widths.Length ? cells[i].PadRight(widths[i] + 2) : cells[i]);
        }

        return builder.ToString().TrimEnd();
    }

    private static async Task WriteErrorsAsync(TextWriter output, string title, IdentityResult result)
    {
        await output.WriteLineAsync(title);
        foreach (var error in result.Errors)
        {
            await output.WriteLineAsync("  - " + error.Description);
        }
    }

    /// <summary>One line from standard input; on an interactive terminal, a prompt without echo.</summary>
    private static async Task<string?> ReadPasswordAsync(TextReader input, TextWriter output, string prompt)
    {
        if (ReferenceEquals(input, Console.In) && !Console.IsInputRedirected)
        {
            await output.WriteAsync(prompt);
            await output.FlushAsync();
            var builder = new StringBuilder();
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (builder.Length > 0)
                    {
                        builder.Length--;
                    }
                }
                else if (!char.IsControl(key.KeyChar))
                {
                    builder.Append(key.KeyChar);
                }
            }

            await output.WriteLineAsync();
            return builder.Length == 0 ? null : builder.ToString();
        }

        var line = await input.ReadLineAsync();
        return string.IsNullOrEmpty(line) ? null : line.TrimEnd('\r', '\n');
    }
}
