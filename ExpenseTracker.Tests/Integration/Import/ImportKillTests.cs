using System.Diagnostics;
using System.Globalization;
using System.Text;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Import;

/// <summary>
/// The import CLI as a child process over the test app's data folder: it imports for real, and a process killed in the
/// middle of a large import leaves no partial batch behind (one database transaction, rolled back by SQLite on open).
/// </summary>
public sealed class ImportKillTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);
    private readonly TestApp app = new();
    private ImportHousehold home = default!;

    public async Task InitializeAsync() => home = await ImportHousehold.CreateAsync(app);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task TheCommandImportsAFileAndReportsProgress()
    {
        var file = WriteCsv("small.csv", 300);

        var (exitCode, lines) = await RunToEndAsync(file);

        Assert.Equal(0, exitCode);
        Assert.Equal("imported 300", lines[^1]);
        Assert.Contains("progress 50", lines);
        Assert.Equal(300, await home.QueryAsync(db => db.Transactions.CountAsync(t => t.AccountId == home.CheckingId)));
    }

    [Fact]
    public async Task KillingTheProcessMidImportLeavesNoPartialBatch()
    {
        var file = WriteCsv("large.csv", 200_000);
        using var process = Start(file);
        var seen = new List<string>();
        int? killedAt = null;
        using var timeout = new CancellationTokenSource(Generous);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                seen.Add(line);
                if (line.StartsWith("progress ", StringComparison.Ordinal)
                    && int.Parse(line["progress ".Length..], CultureInfo.InvariantCulture) is >= 10 and <= 90 and var percent)
                {
                    process.Kill(entireProcessTree: true);
                    killedAt = percent;
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
        Assert.True(killedAt is not null, "The import never reported progress between 10% and 90%: " + string.Join(" | ", seen.TakeLast(5)) + " " + await process.StandardError.ReadToEndAsync());
        Assert.DoesNotContain(seen, l => l.StartsWith("imported", StringComparison.Ordinal));

        SqliteReopen();
        var footprint = await home.FootprintAsync();
        Assert.Equal((0, 0, 0, 0), (footprint.Transactions, footprint.Lines, footprint.Keys, footprint.Batches));
        var check = await home.QueryAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA quick_check").ToListAsync());
        Assert.Equal(["ok"], check);
    }

    private static void SqliteReopen() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

    private string WriteCsv(string name, int rows)
    {
        var path = Path.Combine(app.DataDirectory, name);
        var text = new StringBuilder("Date,Amount,Payee,Memo\n");
        var start = new DateOnly(2020, 1, 1);
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{start.AddDays(i % 2000):yyyy-MM-dd},-{1 + (i % 997)}.{i % 100:00},Shop {i % 5000},row {i}\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    private Process Start(string file)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = app.DataDirectory,
        };
        foreach (var arg in new[] { WebDll(), "import", "--commit", file, "--user", "ana@example.com", "--account", "Checking" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Storage__DataDirectory"] = app.DataDirectory;
        info.Environment["Import__MaxUploadMb"] = "100";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private async Task<(int ExitCode, List<string> Lines)> RunToEndAsync(string file)
    {
        using var process = Start(file);
        var error = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        await process.WaitForExitAsync().WaitAsync(Generous);
        Assert.True(process.ExitCode == 0, await error);
        return (process.ExitCode, lines.Where(l => l.StartsWith("progress", StringComparison.Ordinal) || l.StartsWith("imported", StringComparison.Ordinal)).ToList());
    }

    /// <summary>The app's own build output (its runtimeconfig beside it), found from this test assembly's folder.</summary>
    private static string WebDll()
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
