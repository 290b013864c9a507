using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace ExpenseTracker.Tests.Integration.Hardening.Smoke;

/// <summary>
/// The import command (`ExpenseTracker.Web.dll import --commit`) as a child process over a data folder, killed with
/// SIGKILL in the middle of its write, then the database reopened and checked. Used by the import kill tests, the crash
/// smoke test and the `crash` benchmark (this file is compiled into both projects).
/// </summary>
public sealed class ImportKill(string dataDirectory, string connectionString, long householdId, string email, string account)
{
    // A guard against a hung child only: on a loaded machine reading and checking a large file takes minutes.
    public static readonly TimeSpan Generous = TimeSpan.FromMinutes(20);

    /// <summary>What a household holds of everything an import writes (soft-deleted rows included).</summary>
    public sealed record Footprint(long Transactions, long Lines, long Keys, long Batches);

    /// <summary>One kill: the progress it was killed at (null if none in the window was seen) and the output before it.</summary>
    public sealed record Kill(int? KilledAt, IReadOnlyList<string> Seen, string Error);

    /// <summary>A statement of <paramref name="rows"/> card payments from 2020 on (no overlap with generated histories).</summary>
    public static string WriteCsv(string path, int rows)
    {
        var text = new StringBuilder("Date,Amount,Payee,Memo\n");
        var start = new DateOnly(2020, 1, 1);
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{start.AddDays(i % 2000):yyyy-MM-dd},-{1 + (i % 997)}.{i % 100:00},Shop {i % 5000},row {i}\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>More environment for the child (e.g. <c>Database__Provider</c> and <c>ConnectionStrings__Postgres</c> on PostgreSQL).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public Process Start(string file)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        foreach (var arg in new[] { WebDll(), "import", "--commit", file, "--user", email, "--account", account })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Storage__DataDirectory"] = dataDirectory;
        info.Environment["Import__MaxUploadMb"] = "100";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>Runs the import and kills it (SIGKILL) at the first reported progress of at least <paramref name="percent"/> (10–90).</summary>
    public async Task<Kill> KillAtAsync(string file, int percent)
    {
        using var process = Start(file);
        var error = process.StandardError.ReadToEndAsync();
        var seen = new List<string>();
        int? killedAt = null;
        using var timeout = new CancellationTokenSource(Generous);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                seen.Add(line);
                if (line.StartsWith("progress ", StringComparison.Ordinal)
                    && int.Parse(line["progress ".Length..], CultureInfo.InvariantCulture) is var reached && reached >= percent)
                {
                    process.Kill(entireProcessTree: true);
                    killedAt = reached is >= 10 and <= 90 ? reached : null;
                    break;
                }
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await process.WaitForExitAsync(CancellationToken.None).WaitAsync(Generous);
        return new Kill(killedAt, seen, await error);
    }

    /// <summary>Runs the import to its end; returns the exit code and the number it printed as imported (null if none).</summary>
    public async Task<(int ExitCode, int? Imported, List<string> Lines, string Error)> RunToEndAsync(string file)
    {
        using var process = Start(file);
        var error = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("progress", StringComparison.Ordinal) || line.StartsWith("imported", StringComparison.Ordinal))
            {
                lines.Add(line);
            }
        }

        await process.WaitForExitAsync().WaitAsync(Generous);
        int? imported = lines.Count > 0 && lines[^1].StartsWith("imported ", StringComparison.Ordinal)
            ? int.Parse(lines[^1]["imported ".Length..], CultureInfo.InvariantCulture)
            : null;
        return (process.ExitCode, imported, lines, await error);
    }

    /// <summary>One crash cycle: the chosen percent, where the kill landed, and what the reopened file showed.</summary>
    public sealed record Cycle(int Target, int? KilledAt, Footprint After, IReadOnlyList<string> Integrity, string Output)
    {
        public bool IntegrityOk => Integrity is ["ok"];
    }

    /// <summary>The retry after the crashes: rows the import added, then what importing the same file again added.</summary>
    public sealed record Retry(int? Added, int? AddedAgain, Footprint AfterFirst, Footprint AfterSecond, string Error);

    /// <summary>
    /// <paramref name="cycles"/> imports of <paramref name="file"/>, each killed at a percent between 10 and 90 chosen by a
    /// <paramref name="seed"/>ed generator, each followed by a reopen, a count and <c>PRAGMA integrity_check</c>.
    /// </summary>
    public async Task<List<Cycle>> CrashCyclesAsync(string file, int cycles, int seed, Action<Cycle>? onCycle = null)
    {
        var random = new Random(seed);
        var results = new List<Cycle>();
        for (var i = 0; i < cycles; i++)
        {
            var target = random.Next(10, 91);
            var kill = await KillAtAsync(file, target);
            var cycle = new Cycle(target, kill.KilledAt, await FootprintAsync(), await IntegrityCheckAsync(),
                string.Join(" | ", kill.Seen.TakeLast(3)) + " " + kill.Error);
            results.Add(cycle);
            onCycle?.Invoke(cycle);
        }

        return results;
    }

    /// <summary>The import run to its end after the crashes, then once more.</summary>
    public async Task<Retry> RetryTwiceAsync(string file)
    {
        var first = await RunToEndAsync(file);
        var afterFirst = await FootprintAsync();
        var second = await RunToEndAsync(file);
        return new Retry(first.Imported, second.Imported, afterFirst, await FootprintAsync(), first.Error + second.Error);
    }

    /// <summary>Counts on a fresh connection (pools cleared first: the "restart" that makes SQLite recover the file).</summary>
    public async Task<Footprint> FootprintAsync()
    {
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return new Footprint(
            await CountAsync(connection, "Transactions"),
            await CountAsync(connection, "TransactionLines"),
            await CountAsync(connection, "ImportKeys"),
            await CountAsync(connection, "ImportBatches"));
    }

    /// <summary>The rows of <c>PRAGMA integrity_check</c>: exactly "ok" for a sound file.</summary>
    public async Task<List<string>> IntegrityCheckAsync()
    {
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private async Task<long> CountAsync(SqliteConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT COUNT(*) FROM "{table}" WHERE "HouseholdId" = $h""";
        command.Parameters.AddWithValue("$h", householdId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The app's own build output (its runtimeconfig beside it), found from the running assembly's folder.</summary>
    internal static string WebDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "ExpenseTracker.Web.dll");
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "ExpenseTracker.Web.runtimeconfig.json")))
        {
            return local;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "ExpenseTracker.Web", "bin", configuration, "net10.0", "ExpenseTracker.Web.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("ExpenseTracker.Web.dll with its runtimeconfig was not found.");
    }
}
