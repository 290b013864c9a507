using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Unit.Import;

/// <summary><c>import --preview FILE --profile NAME</c>: a profile JSON file, or a saved profile read from the database read-only.</summary>
public sealed class ImportCommandProfileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("et-import-cli-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static IConfiguration DataFolder(string directory) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = directory }).Build();

    private async Task<(int Code, List<JsonElement> Lines, string Err)> RunAsync(string file, string profile, IConfiguration? configuration = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ImportCommand.RunAsync(["import", "--preview", file, "--profile", profile], output, error,
            configuration ?? DataFolder(Path.Combine(folder, "no-data")), folder);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (code, lines, error.ToString());
    }

    /// <summary>A headerless, semicolon-separated Windows-1252 file no guess gets right: amount first, day-first dates.</summary>
    private string HeaderlessStatement()
    {
        var path = Path.Combine(folder, "statement.csv");
        File.WriteAllBytes(path, TextDecoding.Windows1252.GetBytes("-12,30;Bäckerei;05.01.2024\n1.250,00;Gehalt;06.01.2024\n"));
        return path;
    }

    private const string MappingJson = """{"Date":2,"Amount":0,"Payee":1,"HasHeader":false,"Delimiter":";","DateFormat":"dd.MM.yyyy","DecimalSeparator":","}""";

    private static void AssertReadWithTheMapping(List<JsonElement> lines)
    {
        Assert.Equal(2, lines.Count);
        Assert.Equal(("2024-01-05", "-12.30", "Bäckerei"), (lines[0].GetProperty("date").GetString(), lines[0].GetProperty("amount").GetString(), lines[0].GetProperty("payee").GetString()));
        Assert.Equal(("2024-01-06", "1250.00"), (lines[1].GetProperty("date").GetString(), lines[1].GetProperty("amount").GetString()));
    }

    [Fact]
    public async Task AProfileFileGivesTheColumnsDateFormatAndEncoding()
    {
        var profile = Path.Combine(folder, "bank.json");
        await File.WriteAllTextAsync(profile, MappingJson.Replace("{", """{"encoding":"windows-1252",""", StringComparison.Ordinal));

        var (code, lines, error) = await RunAsync(HeaderlessStatement(), profile);

        Assert.True(code == 0, error);
        AssertReadWithTheMapping(lines);
    }

    [Fact]
    public async Task ADamagedProfileFileOrAnUnknownEncodingIsRefusedInOneLine()
    {
        var broken = Path.Combine(folder, "broken.json");
        await File.WriteAllTextAsync(broken, "{\"Date\": ");
        var unknown = Path.Combine(folder, "unknown.json");
        await File.WriteAllTextAsync(unknown, """{"Date":0,"Amount":1,"encoding":"klingon-8"}""");

        foreach (var (profile, phrase) in new[] { (broken, "not a valid profile"), (unknown, "unknown text encoding 'klingon-8'") })
        {
            var (code, lines, error) = await RunAsync(HeaderlessStatement(), profile);
            Assert.Equal(2, code);
            Assert.Empty(lines);
            Assert.Contains(phrase, Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithoutADatabaseAProfileNameIsRefused()
    {
        var (code, _, error) = await RunAsync(HeaderlessStatement(), "My bank");

        Assert.Equal(2, code);
        Assert.Contains("no database at", error, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task ASavedProfileIsReadFromTheDataFoldersDatabaseWithoutChangingIt(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var first = await TestHousehold.CreateAsync(app, "cli1@example.com");
        var second = await TestHousehold.CreateAsync(app, "cli2@example.com");
        await SaveProfileAsync(first, "Sparkasse", MappingJson, "windows-1252");
        await SaveProfileAsync(first, "Shared name", MappingJson, null);
        await SaveProfileAsync(second, "Shared name", MappingJson, null);
        var configuration = provider == DatabaseProvider.Postgres
            ? new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = app.DataDirectory,
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:Postgres"] = app.PostgresConnectionString,
            }).Build()
            : DataFolder(app.DataDirectory);
        // The pool prunes idle connections on a timer, and closing the last one checkpoints the WAL into the database
        // file: close them now, so only the command could change the files from here on.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var before = Fingerprint(app.DataDirectory);

        var found = await RunAsync(HeaderlessStatement(), "sparkasse", configuration);
        var ambiguous = await RunAsync(HeaderlessStatement(), "Shared name", configuration);
        var missing = await RunAsync(HeaderlessStatement(), "Nobody's bank", configuration);

        Assert.True(found.Code == 0, found.Err);
        AssertReadWithTheMapping(found.Lines);
        Assert.Equal(2, ambiguous.Code);
        Assert.Contains("ambiguous", ambiguous.Err, StringComparison.Ordinal);
        Assert.Equal(2, missing.Code);
        Assert.Contains("no saved import profile has that name", missing.Err, StringComparison.Ordinal);
        Assert.Equal(before, Fingerprint(app.DataDirectory));
    }

    [Fact]
    public async Task AClosedWalDatabaseIsOpenedReadOnly()
    {
        var data = Path.Combine(folder, "data");
        Directory.CreateDirectory(data);
        var database = Path.Combine(data, "expensetracker.db");
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE ImportProfiles (Id INTEGER PRIMARY KEY, HouseholdId INTEGER NOT NULL, Name TEXT NOT NULL, MappingJson TEXT NOT NULL, Encoding TEXT NULL, SheetName TEXT NULL);
                INSERT INTO ImportProfiles (HouseholdId, Name, MappingJson, Encoding) VALUES (1, 'Sparkasse', $json, 'windows-1252');
                """;
            command.Parameters.AddWithValue("$json", MappingJson);
            await command.ExecuteNonQueryAsync();
        }

        var before = Fingerprint(data);
        var (code, lines, error) = await RunAsync(HeaderlessStatement(), "Sparkasse", DataFolder(data));

        Assert.True(code == 0, error);
        AssertReadWithTheMapping(lines);
        Assert.Equal(before, Fingerprint(data));
    }

    private static async Task SaveProfileAsync(TestHousehold household, string name, string mapping, string? encoding)
    {
        await using var scope = household.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.ImportProfiles.Add(new ImportProfile { Name = name, MappingJson = mapping, Encoding = encoding });
        await db.SaveChangesAsync();
    }

    /// <summary>Names and contents of the database files (main, WAL) in a folder, to prove nothing was written.</summary>
    private static string Fingerprint(string directory)
    {
        var builder = new StringBuilder();
        foreach (var file in Directory.GetFiles(directory, "expensetracker.db*").Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            builder.Append(Path.GetFileName(file)).Append(':').Append(Convert.ToHexString(SHA256.HashData(stream))).Append(';');
        }

        return builder.ToString();
    }
}
