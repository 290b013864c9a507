using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ExpenseTracker.Web.Features.Import;

/// <summary>
/// <c>import --preview FILE [--profile NAME]</c>: reads a statement with the same readers as the import page
/// and prints one JSON object per transaction and line. It writes to no database and no data folder, so it runs
/// before the web host is built. NAME is a profile JSON file (a CsvMapping, optionally with "encoding" and
/// "sheet"), else the name of a saved import profile, looked up read-only in the configured data folder's
/// database. Exit codes: 0 read, 2 refused or wrong usage (one line on standard error).
/// </summary>
public static class ImportCommand
{
    public const int Ok = 0;
    public const int Refused = 2;

    private static readonly JsonSerializerOptions Json = new()
    {
        // Payees with accents, € or & print as themselves, not as \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "import";

    private static readonly JsonSerializerOptions ProfileJson = new(JsonSerializerDefaults.Web);

    /// <param name="configuration">Where Storage:DataDirectory comes from; null reads appsettings.json, the
    /// environment's appsettings file and environment variables from <paramref name="contentRoot"/> as the host would.</param>
    /// <param name="contentRoot">The host's content root (default: the current directory, as for the web host).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IConfiguration? configuration = null, string? contentRoot = null)
    {
        string? file = null, profile = null;
        var preview = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--preview":
                    preview = true;
                    if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        file = args[++i];
                    }

                    break;
                case "--profile" when i + 1 < args.Length:
                    profile = args[++i];
                    break;
                default:
                    await error.WriteLineAsync($"Unknown argument '{args[i]}'. Usage: import --preview FILE [--profile NAME]");
                    return Refused;
            }
        }

        if (!preview || file is null)
        {
            await error.WriteLineAsync("Usage: import --preview FILE [--profile NAME]");
            return Refused;
        }

        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"File not found: {file}");
            return Refused;
        }

        var options = ReaderOptions.Default;
        if (profile is not null)
        {
            contentRoot ??= Directory.GetCurrentDirectory();
            var (found, reason) = await LoadProfileAsync(profile, configuration ?? HostConfiguration(contentRoot), contentRoot);
            if (found is null)
            {
                await error.WriteLineAsync(reason);
                return Refused;
            }

            options = found;
        }

        StatementReadResult result;
        try
        {
            await using var stream = File.OpenRead(file);
            result = StatementReaders.Read(stream, Path.GetFileName(file), options);
        }
        catch (ImportRefusedException e)
        {
            await error.WriteLineAsync(e.Message.ReplaceLineEndings(" "));
            return Refused;
        }

        foreach (var warning in result.Warnings)
        {
            await error.WriteLineAsync("warning: " + warning);
        }

        foreach (var statement in result.Statements)
        {
            foreach (var entry in statement.Entries)
            {
                var line = new PreviewLine(
                    entry.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    entry.Amount.ToString(CultureInfo.InvariantCulture),
                    entry.Currency ?? statement.Currency,
                    entry.Payee,
                    entry.Memo,
                    entry.BankId,
                    statement.Account);
                await output.WriteLineAsync(JsonSerializer.Serialize(line, Json));
            }
        }

        return Ok;
    }

    /// <summary>The configuration the web host would read for Storage:DataDirectory, without building the host.</summary>
    private static IConfiguration HostConfiguration(string contentRoot)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(contentRoot)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }

    /// <summary>A profile file, else a saved profile by name; a null result comes with a one-line reason.</summary>
    internal static async Task<(ReaderOptions? Options, string Reason)> LoadProfileAsync(string name, IConfiguration configuration, string contentRoot)
    {
        if (File.Exists(name))
        {
            try
            {
                using var json = JsonDocument.Parse(await File.ReadAllTextAsync(name));
                var root = json.RootElement;
                var mapping = Property(root, "mapping") is { ValueKind: JsonValueKind.Object } nested
                    ? nested.Deserialize<CsvMapping>(ProfileJson)
                    : root.Deserialize<CsvMapping>(ProfileJson);
                return ToOptions($"The profile file {name}", mapping, Text(root, "encoding"), Text(root, "sheet") ?? Text(root, "sheetName"));
            }
            catch (JsonException e)
            {
                return (null, $"The profile file {name} is not a valid profile: {e.Message}".ReplaceLineEndings(" "));
            }
        }

        DatabaseOptions database;
        try
        {
            database = DatabaseOptions.FromConfiguration(configuration);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return (null, e.Message.ReplaceLineEndings(" "));
        }

        if (database.IsPostgres)
        {
            return FromSaved(name, await PostgresProfilesAsync(name, database.PostgresConnectionString!));
        }

        var configured = configuration[$"{StorageOptions.Section}:DataDirectory"];
        var directory = string.IsNullOrWhiteSpace(configured) ? Path.Combine(contentRoot, "App_Data") : Path.GetFullPath(configured, contentRoot);
        var path = new StorageOptions { DataDirectory = directory }.DatabasePath;
        if (!File.Exists(path))
        {
            return (null, $"No profile file '{name}' exists, and there is no database at {path} to look up a saved profile of that name.");
        }

        var rows = new List<(string Name, string MappingJson, string? Encoding, string? Sheet, long HouseholdId)>();
        try
        {
            // With the app stopped (no -wal file) SQLite would still create -wal and -shm files even for a read-only
            // connection: open the file as immutable then, so the data folder is left exactly as it was.
            var running = File.Exists(path + "-wal");
            var source = running ? path : new Uri(path).AbsoluteUri + "?immutable=1";
            var connectionString = new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // Exact name first; a case-insensitive match only when no exact one exists.
            command.CommandText = """
                SELECT Name, MappingJson, Encoding, SheetName, HouseholdId FROM ImportProfiles
                WHERE Name = $name OR (Name = $name COLLATE NOCASE AND NOT EXISTS (SELECT 1 FROM ImportProfiles WHERE Name = $name))
                """;
            command.Parameters.AddWithValue("$name", name);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4)));
            }
        }
        catch (SqliteException e)
        {
            return (null, $"The saved profiles in {path} could not be read: {e.Message}".ReplaceLineEndings(" "));
        }

        return FromSaved(name, new ProfileRows(rows, null));
    }

    /// <summary>The saved profiles of that name on PostgreSQL (a read-only transaction), or the reason they could not be read.</summary>
    private static async Task<ProfileRows> PostgresProfilesAsync(string name, string connectionString)
    {
        var rows = new List<(string Name, string MappingJson, string? Encoding, string? Sheet, long HouseholdId)>();
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync();
            }

            // Exact name first; a case-insensitive match only when no exact one exists (as SQLite's NOCASE).
            await using var command = new NpgsqlCommand("""
                SELECT "Name", "MappingJson", "Encoding", "SheetName", "HouseholdId" FROM "ImportProfiles"
                WHERE "Name" = @name OR (lower("Name") = lower(@name) AND NOT EXISTS (SELECT 1 FROM "ImportProfiles" WHERE "Name" = @name))
                """, connection, transaction);
            command.Parameters.AddWithValue("name", name);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4)));
            }
        }
        catch (NpgsqlException e)
        {
            return new ProfileRows(rows, $"The saved profiles in the PostgreSQL database could not be read: {e.Message}".ReplaceLineEndings(" "));
        }

        return new ProfileRows(rows, null);
    }

    private sealed record ProfileRows(List<(string Name, string MappingJson, string? Encoding, string? Sheet, long HouseholdId)> Rows, string? Error);

    private static (ReaderOptions? Options, string Reason) FromSaved(string name, ProfileRows found)
    {
        if (found.Error is not null)
        {
            return (null, found.Error);
        }

        var rows = found.Rows;
        if (rows.Count == 0)
        {
            return (null, $"No profile file '{name}' exists, and no saved import profile has that name.");
        }

        if (rows.Count > 1)
        {
            return (null, $"The profile name '{name}' is ambiguous: {rows.Count} saved profiles match (households {string.Join(", ", rows.Select(r => r.HouseholdId.ToString(CultureInfo.InvariantCulture)))}); pass a profile JSON file instead.");
        }

        var row = rows[0];
        try
        {
            return ToOptions($"The saved profile '{row.Name}'", JsonSerializer.Deserialize<CsvMapping>(row.MappingJson, ProfileJson), row.Encoding, row.Sheet);
        }
        catch (JsonException e)
        {
            return (null, $"The saved profile '{row.Name}' holds a damaged mapping: {e.Message}".ReplaceLineEndings(" "));
        }
    }

    private static (ReaderOptions? Options, string Reason) ToOptions(string what, CsvMapping? mapping, string? encodingName, string? sheet)
    {
        if (mapping is null)
        {
            return (null, $"{what} holds no column mapping.");
        }

        var encoding = TextDecoding.Resolve(encodingName);
        if (encodingName is { Length: > 0 } && encoding is null)
        {
            return (null, $"{what} names an unknown text encoding '{encodingName}'.");
        }

        return (new ReaderOptions { CsvMapping = mapping, Encoding = encoding, SheetName = sheet }, string.Empty);
    }

    private static JsonElement? Property(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object
            ? root.EnumerateObject().Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault()
            : null;

    private static string? Text(JsonElement root, string name) =>
        Property(root, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private sealed record PreviewLine(
        [property: System.Text.Json.Serialization.JsonPropertyName("date")] string Date,
        [property: System.Text.Json.Serialization.JsonPropertyName("amount")] string Amount,
        [property: System.Text.Json.Serialization.JsonPropertyName("currency")] string? Currency,
        [property: System.Text.Json.Serialization.JsonPropertyName("payee")] string? Payee,
        [property: System.Text.Json.Serialization.JsonPropertyName("memo")] string? Memo,
        [property: System.Text.Json.Serialization.JsonPropertyName("id")] string? Id,
        [property: System.Text.Json.Serialization.JsonPropertyName("account")] string? Account);
}
