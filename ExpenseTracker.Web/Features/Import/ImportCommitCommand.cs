using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Import;

/// <summary>
/// <c>import --commit FILE --user EMAIL [--account NAME]</c>: imports a statement into the user's current household
/// through <see cref="ImportService"/> (all or nothing), printing <c>progress &lt;percent&gt;</c> lines while it writes and
/// then <c>imported &lt;n&gt;</c>. Runs after the host is built and migrated. Exit codes: 0 imported, 1 failed, 2 refused or usage.
/// </summary>
public static class ImportCommitCommand
{
    private const string Usage = "Usage: import --commit FILE --user EMAIL [--account NAME]";

    public static bool IsCommand(string[] args) => args.Length > 1 && args[0] == "import" && args.Contains("--commit");

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        string? file = null, email = null, account = null;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--commit" when value is not null:
                    file = value;
                    i++;
                    break;
                case "--user" when value is not null:
                    email = value;
                    i++;
                    break;
                case "--account" when value is not null:
                    account = value;
                    i++;
                    break;
                default:
                    await error.WriteLineAsync($"Unknown argument '{args[i]}'. {Usage}");
                    return ImportCommand.Refused;
            }
        }

        if (file is null || email is null)
        {
            await error.WriteLineAsync(Usage);
            return ImportCommand.Refused;
        }

        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<AppDbContext>();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedEmail == email.ToUpperInvariant());
        var member = user is null ? null : await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId == user.Id && m.LeftAt == null)
            .OrderByDescending(m => m.HouseholdId == user.CurrentHouseholdId).ThenBy(m => m.Id)
            .FirstOrDefaultAsync();
        if (user is null || member is null)
        {
            await error.WriteLineAsync($"No household member with the email '{email}'.");
            return ImportCommand.Refused;
        }

        provider.GetRequiredService<HouseholdScope>().Set(member.HouseholdId, member.Id, user.Id, member.Role);
        var accounts = await db.Accounts.AsNoTracking().Where(a => !a.Archived).OrderBy(a => a.Id).Select(a => new { a.Id, a.Name }).ToListAsync();
        long? accountId = account is null
            ? (accounts.Count == 1 ? accounts[0].Id : null)
            : accounts.FirstOrDefault(a => string.Equals(a.Name, account, StringComparison.OrdinalIgnoreCase))?.Id;
        if (account is not null && accountId is null)
        {
            await error.WriteLineAsync($"The household has no account named '{account}'.");
            return ImportCommand.Refused;
        }

        try
        {
            var content = await File.ReadAllBytesAsync(file);
            var request = new ImportRequest(Path.GetFileName(file), content, ReaderOptions.Default) { AccountId = accountId };
            var result = await provider.GetRequiredService<IImportService>().CommitAsync(request, new ImportChoices(), new PercentPrinter(output));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"imported {result.Added}"));
            await output.FlushAsync();
            return ImportCommand.Ok;
        }
        catch (Exception exception) when (exception is ImportRefusedException or HouseholdAccessException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(exception.Message);
            return ImportCommand.Refused;
        }
    }

    /// <summary>Prints each new percentage at once, on the writer's thread (Progress&lt;T&gt; would post them out of order).</summary>
    private sealed class PercentPrinter(TextWriter output) : IProgress<ImportProgress>
    {
        private int last = -1;

        public void Report(ImportProgress value)
        {
            if (value.Stage != "Saving" || value.Percent == last)
            {
                return;
            }

            last = value.Percent;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress {value.Percent}"));
            output.Flush();
        }
    }
}
