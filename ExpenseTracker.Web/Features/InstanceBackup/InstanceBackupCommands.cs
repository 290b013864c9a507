using System.Globalization;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExpenseTracker.Web.Features.InstanceBackup;

/// <summary>
/// <c>backup [--output PATH]</c> and <c>restore FILE [--yes]</c> on the data folder of the configuration
/// (<c>Storage:DataDirectory</c>), without starting the web host. <c>backup</c> may run beside the running app and prints
/// the file's path alone on standard output; <c>restore</c> refuses while the app runs. Messages for people go to
/// standard error. Exit codes: 0 done, 1 not done (declined, no database), 2 refused (wrong usage, damaged or newer
/// backup, app running, the database is PostgreSQL) — nothing changed.
/// </summary>
public static class InstanceBackupCommands
{
    public const int Ok = 0;
    public const int NotDone = 1;
    public const int Refused = 2;

    private const string UsageText = """
        Usage:
          backup [--output PATH]     a backup of the whole instance into backups/ in the data folder (or to PATH)
          restore FILE [--yes]       replaces the database, attachments and keys with FILE's; stop the app first
        """;

    /// <summary>Said by the commands and the admin page when the database is PostgreSQL.</summary>
    public const string PostgresMessage =
        "This instance's database is PostgreSQL: the app's instance backup copies an SQLite database only, so it makes none. " +
        "Back up with pg_dump -Fc (and copy the data folder's attachments/) and restore with pg_restore — see deploy/README.md, \"Backups\".";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "backup" or "restore";

    /// <summary>From <c>Program</c>: the same configuration as the app (appsettings, environment), no host.</summary>
    public static Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error) =>
        RunAsync(args, new Dictionary<string, string?>(), input, output, error);

    /// <param name="settings">Configuration on top of the app's (tests).</param>
    public static Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string?> settings, TextReader input, TextWriter output, TextWriter error)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(settings);
        var storage = StorageOptions.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        return RunAsync(storage, InstanceBackupOptions.From(builder.Configuration), TimeProvider.System, args, input, output, error);
    }

    public static async Task<int> RunAsync(
        StorageOptions storage, InstanceBackupOptions options, TimeProvider time, string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (options.DatabaseIsPostgres)
        {
            await error.WriteLineAsync(PostgresMessage);
            return Refused;
        }

        var rest = args.Skip(1).ToList();
        var yes = rest.Remove("--yes");
        string? outputPath = null;
        if (rest.IndexOf("--output") is var at and >= 0)
        {
            if (at + 1 >= rest.Count)
            {
                return await UsageAsync(error, "--output needs a path.");
            }

            outputPath = rest[at + 1];
            rest.RemoveRange(at, 2);
        }

        return args[0] switch
        {
            "backup" when rest.Count == 0 && !yes => await BackupAsync(storage, options, time, outputPath, output, error),
            "restore" when rest.Count == 1 && outputPath is null && !rest[0].StartsWith("--", StringComparison.Ordinal) =>
                await RestoreAsync(storage, time, Path.GetFullPath(rest[0]), yes, input, output, error),
            _ => await UsageAsync(error, $"Unexpected arguments for '{args[0]}': {string.Join(' ', args.Skip(1))}"),
        };
    }

    private static async Task<int> UsageAsync(TextWriter error, string problem)
    {
        await error.WriteLineAsync(problem);
        await error.WriteLineAsync(UsageText);
        return Refused;
    }

    private static async Task<int> BackupAsync(
        StorageOptions storage, InstanceBackupOptions options, TimeProvider time, string? outputPath, TextWriter output, TextWriter error)
    {
        if (!File.Exists(storage.DatabasePath))
        {
            await error.WriteLineAsync($"There is no database at {storage.DatabasePath}: nothing to back up (is Storage:DataDirectory right?).");
            return NotDone;
        }

        var service = new InstanceBackupService(storage, options, time, NullLogger<InstanceBackupService>.Instance);
        var result = await service.CreateAsync(outputPath);
        var removed = result.Deleted.Count > 0 ? "; retention removed " + string.Join(", ", result.Deleted) : string.Empty;
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Backed up the instance ({result.Manifest.Entries.Count} files, {result.Bytes / 1024.0:0.#} KiB, migration {result.Manifest.Migration}){removed}:"));
        await output.WriteLineAsync(result.Path);
        return Ok;
    }

    private static async Task<int> RestoreAsync(
        StorageOptions storage, TimeProvider time, string file, bool yes, TextReader input, TextWriter output, TextWriter error)
    {
        var restore = new InstanceRestore(storage, time);
        RestoreResult? result;
        try
        {
            result = await restore.RestoreAsync(file, manifest => yes || Confirm(manifest, storage, file, input, error));
        }
        catch (RestoreRefusedException e)
        {
            await error.WriteLineAsync(e.Message);
            return Refused;
        }

        if (result is null)
        {
            await error.WriteLineAsync("Not restored: nothing was changed.");
            return NotDone;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Restored {file} (taken {result.Manifest.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC by version {result.Manifest.AppVersion}) into {storage.DataDirectory}."));
        if (result.PreviousDatabase is not null)
        {
            await output.WriteLineAsync($"The previous database is at {result.PreviousDatabase}" +
                (result.PreviousFiles is null ? "." : $", its attachments and keys in {result.PreviousFiles}."));
        }

        await output.WriteLineAsync("Start the app now; it applies any newer migrations itself.");
        return Ok;
    }

    private static bool Confirm(InstanceBackupManifest manifest, StorageOptions storage, string file, TextReader input, TextWriter error)
    {
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file} is intact (taken {manifest.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC, {manifest.Entries.Count} files). "
            + $"It replaces the database, attachments and keys in {storage.DataDirectory}. Type yes to go on:"));
        return string.Equals(input.ReadLine()?.Trim(), "yes", StringComparison.OrdinalIgnoreCase);
    }
}
