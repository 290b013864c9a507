using System.Diagnostics;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Features.DatabaseTools;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Tests.Integration.DatabaseTools;

/// <summary><c>dotnet ExpenseTracker.Web.dll --migrate-only</c> as a real process: migrates, exits 0, never serves.</summary>
public sealed class MigrateOnlyTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "et-tests", Guid.NewGuid().ToString("N"));

    public MigrateOnlyTests() => Directory.CreateDirectory(dataDirectory);

    [ProviderTheory]
    public async Task MigrateOnlyAppliesEveryMigrationAndExitsWithoutServing(DatabaseProvider provider)
    {
        PostgresScratch? postgres = null;
        if (provider == DatabaseProvider.Postgres)
        {
            PostgresServer.Require();
            postgres = await PostgresScratch.CreateAsync();
        }

        await using var _ = postgres;
        var environment = new Dictionary<string, string> { ["Database__Provider"] = provider.ToString() };
        if (postgres is not null)
        {
            environment["ConnectionStrings__Postgres"] = postgres.ConnectionString;
        }

        var (code, output, error) = await RunAsync(environment, "--migrate-only");

        Assert.True(code == 0, $"exit {code}: {output}{error}");
        Assert.Contains("--migrate-only: not serving", output, StringComparison.Ordinal);
        await using (var host = DatabaseContextHost.Create(new Dictionary<string, string?>(), dataDirectory, provider, postgres?.ConnectionString))
        {
            var known = host.Context.Database.GetMigrations().ToList();
            Assert.NotEmpty(known);
            Assert.Contains($"at migration {known[^1]} ({known.Count} applied)", output, StringComparison.Ordinal);
            Assert.Empty(await host.Context.Database.GetPendingMigrationsAsync());
            Assert.Equal(known, await host.Context.Database.GetAppliedMigrationsAsync());
        }

        Assert.False(File.Exists(Path.Combine(dataDirectory, "setup-code.txt")), "First-run setup ran: the app went on past the migrations.");
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        info.ArgumentList.Add(Hardening.Smoke.ImportKill.WebDll());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Storage__DataDirectory"] = dataDirectory;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // A guard against a serving app only: on a loaded machine the start takes seconds, not minutes.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("The app did not exit within 5 minutes: it is serving instead of only migrating.");
        }

        return (process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
