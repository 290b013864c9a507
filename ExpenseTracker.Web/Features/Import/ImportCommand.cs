using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Web.Features.Import;

/// <summary>
/// <c>import --preview FILE [--profile NAME]</c>: reads a statement with the same readers as the import page
/// and prints one JSON object per transaction and line. It touches no database and no data folder, so it runs
/// before the web host is built. Exit codes: 0 read, 2 refused or wrong usage (one line on standard error).
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

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
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

        if (profile is not null)
        {
            await error.WriteLineAsync($"Profiles come with the import wizard; '{profile}' is ignored and the columns are guessed.");
        }

        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"File not found: {file}");
            return Refused;
        }

        StatementReadResult result;
        try
        {
            await using var stream = File.OpenRead(file);
            result = StatementReaders.Read(stream, Path.GetFileName(file));
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

    private sealed record PreviewLine(
        [property: System.Text.Json.Serialization.JsonPropertyName("date")] string Date,
        [property: System.Text.Json.Serialization.JsonPropertyName("amount")] string Amount,
        [property: System.Text.Json.Serialization.JsonPropertyName("currency")] string? Currency,
        [property: System.Text.Json.Serialization.JsonPropertyName("payee")] string? Payee,
        [property: System.Text.Json.Serialization.JsonPropertyName("memo")] string? Memo,
        [property: System.Text.Json.Serialization.JsonPropertyName("id")] string? Id,
        [property: System.Text.Json.Serialization.JsonPropertyName("account")] string? Account);
}
