using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ExpenseTracker.Web.Features.DatabaseTools;

/// <summary>
/// <c>migrate-to-postgres [--from FILE] [--to CONNECTION]</c>: moves an SQLite installation's data into an empty
/// PostgreSQL database (see <see cref="SqliteToPostgresCopier"/>), after bringing that database to the current schema.
/// Defaults: the configured data folder's database and <c>ConnectionStrings:Postgres</c> (password from
/// <c>Database__PostgresPassword</c> or PGPASSWORD). The Data Protection keys of the SQLite database's folder (keys/) are
/// imported too. Prints a table of row counts and per-household totals on standard output. Exit codes: 0 copied and
/// every check matches; 1 not done (no source, a check differs — then nothing is committed); 2 refused (wrong usage, the
/// target holds data, the source is not at this version's schema).
/// </summary>
public static class MigrateToPostgresCommand
{
    public const string Name = "migrate-to-postgres";
    public const int Ok = 0;
    public const int NotDone = 1;
    public const int Refused = 2;

    private const string UsageText = """
        Usage:
          migrate-to-postgres [--from PATH] [--to CONNECTION-STRING]
        Copies every table of the SQLite database at PATH (default: the data folder's expensetracker.db) into the empty
        PostgreSQL database of CONNECTION-STRING (default: ConnectionStrings:Postgres), then checks row counts and totals.
        Stop the app first. Quartz's tables are not copied (the jobs declare themselves); the keys/ folder next to the
        database goes into the DataProtectionKeys table.
        """;

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>From <c>Program</c>: the app's configuration (appsettings, environment), no web host.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, new Dictionary<string, string?>(), output, error);

    /// <param name="settings">Configuration on top of the app's (tests: the data folder).</param>
    public static async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string?> settings, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (!TryParse(args, out var from, out var to, out var problem))
        {
            await error.WriteLineAsync(problem);
            await error.WriteLineAsync(UsageText);
            return Refused;
        }

        var defaults = DatabaseContextHost.Builder(settings);
        from = Path.GetFullPath(from ?? StorageOptions.FromConfiguration(defaults.Configuration, defaults.Environment.ContentRootPath).DatabasePath);
        to ??= defaults.Configuration.GetConnectionString("Postgres");
        if (!File.Exists(from))
        {
            await error.WriteLineAsync($"There is no SQLite database at {from}: nothing to migrate (give --from or Storage:DataDirectory).");
            return NotDone;
        }

        if (string.IsNullOrWhiteSpace(to))
        {
            await error.WriteLineAsync("Which PostgreSQL database? Give --to \"Host=...;Database=...;Username=...\" or set ConnectionStrings:Postgres.");
            await error.WriteLineAsync(UsageText);
            return Refused;
        }

        var dataDirectory = Path.GetDirectoryName(from)!;
        await using var sqliteHost = DatabaseContextHost.Create(settings, dataDirectory, DatabaseProvider.Sqlite, null);
        await using var postgresHost = DatabaseContextHost.Create(settings, dataDirectory, DatabaseProvider.Postgres, to);
        var sourceConnection = new SqliteConnectionStringBuilder { DataSource = from, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        sqliteHost.Context.Database.SetConnectionString(sourceConnection);
        if (await SourceProblemAsync(sqliteHost.Context, cancellationToken) is { } outdated)
        {
            await error.WriteLineAsync(outdated);
            return Refused;
        }

        var target = postgresHost.Context;
        var targetConnection = postgresHost.Options.PostgresConnectionString!;
        var display = new NpgsqlConnectionStringBuilder(targetConnection) { Password = null };
        try
        {
            await error.WriteLineAsync($"Bringing {display.Host}/{display.Database} to the current schema…");
            await target.Database.MigrateAsync(cancellationToken);
            var copier = new SqliteToPostgresCopier(sqliteHost.Context, target);
            await using var sqlite = new SqliteConnection(sourceConnection);
            await sqlite.OpenAsync(cancellationToken);
            await using var postgres = new NpgsqlConnection(targetConnection);
            await postgres.OpenAsync(cancellationToken);
            var keysDirectory = new DirectoryInfo(Path.Combine(dataDirectory, "keys"));
            var keys = keysDirectory.Exists ? keysDirectory.GetFiles("*.xml") : [];
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Copying {from} ({new FileInfo(from).Length / 1024.0 / 1024.0:0.0} MiB) …"));
            var report = await copier.CopyAsync(sqlite, postgres, keys, error, cancellationToken);
            await output.WriteAsync(Format(report));
            if (!report.Matches)
            {
                await error.WriteLineAsync("The copy does not match the source (marked above): nothing was committed, the PostgreSQL database is as before.");
                return NotDone;
            }

            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Done: {report.RowsCopied:N0} rows in {report.Elapsed.TotalSeconds:0.0} s. Set Database:Provider=Postgres and start the app."));
            return Ok;
        }
        catch (TargetNotEmptyException e)
        {
            await error.WriteLineAsync(e.Message);
            return Refused;
        }
        catch (NpgsqlException e)
        {
            await error.WriteLineAsync($"PostgreSQL at {display.Host}/{display.Database} failed: {e.Message}");
            return NotDone;
        }
    }

    internal static bool TryParse(string[] args, out string? from, out string? to, out string problem)
    {
        from = to = null;
        problem = string.Empty;
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] is not ("--from" or "--to"))
            {
                problem = $"Unexpected argument '{args[i]}'.";
                return false;
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                problem = $"{args[i]} needs a value.";
                return false;
            }

            if (args[i] == "--from")
            {
                from = args[++i];
            }
            else
            {
                to = args[++i];
            }
        }

        return true;
    }

    /// <summary>The source must be exactly at this version's migrations: its tables are then the model's.</summary>
    private static async Task<string?> SourceProblemAsync(AppDbContext sqlite, CancellationToken cancellationToken)
    {
        var known = sqlite.Database.GetMigrations().ToList();
        List<string> applied;
        try
        {
            applied = (await sqlite.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        }
        catch (SqliteException e)
        {
            return $"Could not read the SQLite database: {e.Message}";
        }

        if (applied.Count == 0)
        {
            return "The SQLite file is not an ExpenseTracker database (it has no migrations).";
        }

        if (applied.Except(known, StringComparer.Ordinal).ToList() is { Count: > 0 } newer)
        {
            return $"The SQLite database was written by a newer version (migration {newer[^1]}): migrate with that version.";
        }

        return known.Except(applied, StringComparer.Ordinal).ToList() is { Count: > 0 } pending
            ? $"The SQLite database lacks {pending.Count} migration(s) of this version: run `dotnet ExpenseTracker.Web.dll --migrate-only` on it first."
            : null;
    }

    public static string Format(CopyReport report)
    {
        var text = new StringBuilder();
        var width = Math.Max(5, report.Tables.Max(t => t.Table.Length));
        text.AppendLine(CultureInfo.InvariantCulture, $"{"TABLE".PadRight(width)}  {"SQLITE",10}  {"POSTGRES",10}");
        foreach (var t in report.Tables)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{t.Table.PadRight(width)}  {t.Source,10}  {t.Target,10}  {(t.Matches ? "ok" : "DIFFERS")}{(t.Note is null ? "" : "  (" + t.Note + ")")}"));
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"HOUSEHOLD",9}  {"TRANSACTIONS",12}  {"SUM AMOUNTMINOR",18}  {"LINES",8}  {"SUM AMOUNTMINOR",18}");
        foreach (var h in report.Households)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{h.HouseholdId,9}  {h.Target.Transactions,12}  {h.Target.TransactionsMinor,18}  {h.Target.Lines,8}  {h.Target.LinesMinor,18}  {(h.Matches ? "ok" : "DIFFERS from SQLite: " + Describe(h.Source))}"));
        }

        var seconds = Math.Max(report.Elapsed.TotalSeconds, 0.001);
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.RowsCopied} rows, {report.KeysImported} data protection key(s), {seconds:0.00} s ({report.RowsCopied / seconds:0} rows/s): {(report.Matches ? "everything matches." : "MISMATCH, rolled back.")}"));
        return text.ToString();
    }

    private static string Describe(HouseholdTotals totals) => string.Create(CultureInfo.InvariantCulture,
        $"{totals.Transactions} / {totals.TransactionsMinor} / {totals.Lines} / {totals.LinesMinor}");
}

/// <summary>
/// The app's own database registration (AddStorage + AddData) for one provider, so the context has exactly the app's
/// model, migrations and options; no web host is started.
/// </summary>
public sealed class DatabaseContextHost(WebApplication app, AsyncServiceScope scope) : IAsyncDisposable
{
    public AppDbContext Context { get; } = scope.ServiceProvider.GetRequiredService<AppDbContext>();

    public DatabaseOptions Options { get; } = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();

    public static DatabaseContextHost Create(IReadOnlyDictionary<string, string?> settings, string dataDirectory, DatabaseProvider provider, string? connectionString)
    {
        var builder = Builder(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Postgres"] = connectionString ?? builder.Configuration.GetConnectionString("Postgres"),
        });
        builder.Logging.ClearProviders();
        builder.AddStorage();
        builder.AddData();
        var app = builder.Build();
        return new DatabaseContextHost(app, app.Services.CreateAsyncScope());
    }

    public static WebApplicationBuilder Builder(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    public async ValueTask DisposeAsync()
    {
        await scope.DisposeAsync();
        await app.DisposeAsync();
    }
}
