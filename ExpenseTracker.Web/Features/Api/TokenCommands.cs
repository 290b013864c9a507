using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Api;

/// <summary>
/// <c>token create|list|revoke</c>: personal access tokens for operators and automation, on the same data folder and
/// through <see cref="ApiTokenService"/> (so the same rules apply as in Settings: viewers get read-only tokens). The
/// token acts for the user's membership in their current household, or in <c>--household ID</c>.
/// <c>token create</c> prints the secret alone on the last line of standard output, so a script can take it with
/// <c>| tail -n 1</c>; messages for people go to standard error. Exit codes: 0 done, 1 refused, 2 wrong usage.
/// </summary>
public static class TokenCommands
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int Usage = 2;

    private const string UsageText = """
        Usage:
          token create --user EMAIL --name NAME --scopes read|read,write [--expires-days N] [--household ID]
          token list   --user EMAIL [--household ID]
          token revoke --user EMAIL --id N [--household ID]
        A token without --expires-days never expires. The new token is printed alone on the last line, e.g.
          TOKEN=$(dotnet ExpenseTracker.Web.dll token create --user ana@example.com --name "Phone" --scopes read | tail -n 1)
        """;

    private static readonly Dictionary<string, (string[] Required, string[] Optional)> Commands = new(StringComparer.Ordinal)
    {
        ["create"] = (["user", "name", "scopes"], ["expires-days", "household"]),
        ["list"] = (["user"], ["household"]),
        ["revoke"] = (["user", "id"], ["household"]),
    };

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "token";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (!TryParse(args, out var command, out var options, out var problem))
        {
            await error.WriteLineAsync(problem);
            await error.WriteLineAsync(UsageText);
            return Usage;
        }

        var memberships = await MembershipsAsync(services, options["user"], options.GetValueOrDefault("household"));
        if (memberships.Error is not null)
        {
            await error.WriteLineAsync(memberships.Error);
            return Refused;
        }

        return command switch
        {
            "create" => await CreateAsync(services, memberships.Chosen, options, output, error),
            "list" => await ListAsync(services, memberships.Chosen, output),
            _ => await RevokeAsync(services, memberships.Chosen, long.Parse(options["id"], CultureInfo.InvariantCulture), output, error),
        };
    }

    internal static bool TryParse(string[] args, out string command, out Dictionary<string, string> options, out string problem)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        command = args.Length > 1 ? args[1] : string.Empty;
        problem = string.Empty;
        if (!Commands.TryGetValue(command, out var known))
        {
            problem = command.Length == 0 ? "Which token command?" : $"Unknown command 'token {command}'.";
            return false;
        }

        for (var i = 2; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is null || !(known.Required.Contains(name) || known.Optional.Contains(name)))
            {
                problem = name is null ? $"Unexpected argument '{args[i]}'." : $"Unknown option '--{name}' for 'token {command}'.";
                return false;
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                problem = $"--{name} needs a value.";
                return false;
            }

            options[name] = args[++i];
        }

        var given = options;
        if (known.Required.FirstOrDefault(r => string.IsNullOrWhiteSpace(given.GetValueOrDefault(r))) is { } missing)
        {
            problem = $"'token {command}' needs --{missing}.";
            return false;
        }

        foreach (var number in new[] { "id", "household", "expires-days" })
        {
            if (options.TryGetValue(number, out var text) && !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                problem = $"--{number} must be a whole number, not '{text}'.";
                return false;
            }
        }

        if (options.TryGetValue("scopes", out var scopes) && !ApiTokenService.TryParseScopes(scopes, out _))
        {
            problem = $"--scopes must be 'read' or 'read,write', not '{scopes}'.";
            return false;
        }

        return true;
    }

    private sealed record Membership(long HouseholdId, string HouseholdName, long MemberId, MemberRole Role, string UserId, string Email);

    private sealed record Memberships(IReadOnlyList<Membership> Chosen, string? Error);

    /// <summary>
    /// The memberships the command acts on: the one in <paramref name="household"/>, else (create) the current one or
    /// (list, revoke) every one, current first — a token belongs to exactly one of them.
    /// </summary>
    private static async Task<Memberships> MembershipsAsync(IServiceProvider services, string email, string? household)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var normalized = email.Trim().ToUpperInvariant();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized);
        if (user is null)
        {
            return new([], $"No user has the email {email.Trim()}.");
        }

        var all = await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId == user.Id && m.LeftAt == null)
            .OrderByDescending(m => m.HouseholdId == user.CurrentHouseholdId).ThenBy(m => m.Id)
            .Select(m => new Membership(m.HouseholdId, m.Household!.Name, m.Id, m.Role, user.Id, user.Email ?? email))
            .ToListAsync();
        if (all.Count == 0)
        {
            return new([], $"{user.Email} belongs to no household: a token acts in one.");
        }

        if (household is null)
        {
            return new(all, null);
        }

        var id = long.Parse(household, CultureInfo.InvariantCulture);
        return all.Where(m => m.HouseholdId == id).ToList() is { Count: 1 } one
            ? new(one, null)
            : new([], $"{user.Email} is not a member of household {id}. Theirs: {string.Join(", ", all.Select(m => $"{m.HouseholdId} ({m.HouseholdName})"))}.");
    }

    /// <summary>A scope bound to <paramref name="membership"/>, as that member's own request would be.</summary>
    private static AsyncServiceScope ScopeFor(IServiceProvider services, Membership membership)
    {
        var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HouseholdScope>()
            .Set(membership.HouseholdId, membership.MemberId, membership.UserId, membership.Role);
        return scope;
    }

    private static async Task<int> CreateAsync(
        IServiceProvider services, IReadOnlyList<Membership> memberships, Dictionary<string, string> options, TextWriter output, TextWriter error)
    {
        var membership = memberships[0];
        ApiTokenService.TryParseScopes(options["scopes"], out var scopes);
        int? days = options.TryGetValue("expires-days", out var text)
            ? (int)Math.Min(long.Parse(text, CultureInfo.InvariantCulture), int.MaxValue)
            : null;
        await using var scope = ScopeFor(services, membership);
        CreatedApiToken created;
        try
        {
            created = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(options["name"], scopes, days);
        }
        catch (FieldValidationException e)
        {
            await error.WriteLineAsync($"The token was not created: {e.Message}");
            return Refused;
        }

        var token = created.Token;
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Created token {token.Id} \"{token.Name}\" ({ApiTokenService.Describe(token.Scopes)}) for {membership.Email} in household {membership.HouseholdId} " +
            $"\"{membership.HouseholdName}\" as {membership.Role.ToString().ToLowerInvariant()}; {Expiry(token.ExpiresAt)}. It is shown only this once:"));
        await output.WriteLineAsync(created.Secret);
        return Ok;
    }

    private static async Task<int> ListAsync(IServiceProvider services, IReadOnlyList<Membership> memberships, TextWriter output)
    {
        string[] header = ["ID", "HOUSEHOLD", "NAME", "PREFIX", "SCOPES", "CREATED", "EXPIRES", "LAST USED", "STATUS"];
        var rows = new List<string[]>();
        foreach (var membership in memberships)
        {
            await using var scope = ScopeFor(services, membership);
            var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            foreach (var t in await scope.ServiceProvider.GetRequiredService<ApiTokenService>().ListMineAsync())
            {
                rows.Add(
                [
                    t.Id.ToString(CultureInfo.InvariantCulture), membership.HouseholdId.ToString(CultureInfo.InvariantCulture), t.Name, t.Prefix + "…",
                    ApiTokenService.Describe(t.Scopes), Utc(t.CreatedAt), t.ExpiresAt is { } e ? Utc(e) : "never",
                    t.LastUsedAt is { } used ? Utc(used) + (t.LastUsedIp is null ? string.Empty : " " + t.LastUsedIp) : "-",
                    t.RevokedAt is not null ? "revoked" : t.IsActive(now) ? "active" : "expired",
                ]);
            }
        }

        if (rows.Count == 0)
        {
            await output.WriteLineAsync($"{memberships[0].Email} has no tokens.");
            return Ok;
        }

        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(row[i].PadRight(widths[i] + 2));
            }

            await output.WriteLineAsync(line.ToString().TrimEnd());
        }

        return Ok;
    }

    private static async Task<int> RevokeAsync(IServiceProvider services, IReadOnlyList<Membership> memberships, long id, TextWriter output, TextWriter error)
    {
        foreach (var membership in memberships)
        {
            await using var scope = ScopeFor(services, membership);
            try
            {
                await scope.ServiceProvider.GetRequiredService<ApiTokenService>().RevokeAsync(id);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Revoked token {id} of {membership.Email}: it no longer works."));
                return Ok;
            }
            catch (Expenses.NotFoundException)
            {
                // Not this membership's token: try the next one.
            }
        }

        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{memberships[0].Email} has no token {id}."));
        return Refused;
    }

    private static string Utc(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private static string Expiry(DateTime? expiresAt) => expiresAt is { } at ? "expires " + Utc(at) : "never expires";
}
