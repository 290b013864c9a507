using System.Text.Json;
using ExpenseTracker.Web.Features.Import;

namespace ExpenseTracker.Tests.Unit.Import;

public sealed class ImportCommandTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ImportCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void OnlyTheImportVerbIsTheCommand()
    {
        Assert.True(ImportCommand.IsCommand(["import", "--preview", "x.csv"]));
        Assert.False(ImportCommand.IsCommand(["user", "list"]));
        Assert.False(ImportCommand.IsCommand([]));
    }

    [Fact]
    public async Task PreviewPrintsOneJsonObjectPerTransaction()
    {
        var (code, output, _) = await RunAsync("import", "--preview", StatementFixtures.PathOf("ofx/actual__data-multi-decimal.ofx"));

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("2019-01-23", root.GetProperty("date").GetString());
        Assert.Equal("-30.000", root.GetProperty("amount").GetString());
        Assert.Equal("USD", root.GetProperty("currency").GetString());
        Assert.Equal("PATIENT FIRST TOKEN 01/22 PURCHA", root.GetProperty("payee").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("memo").ValueKind);
        Assert.Equal("00092990122-30.00019012312798.01", root.GetProperty("id").GetString());
        Assert.Equal("123456789123", root.GetProperty("account").GetString());
    }

    [Fact]
    public async Task ARefusedFileExitsWithTwoAndOneLineOnStandardError()
    {
        var (code, output, error) = await RunAsync("import", "--preview", StatementFixtures.PathOf("ofx/ofxparse__vanguard.ofx"));

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("investment", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileOrWrongUsageExitsWithTwo()
    {
        Assert.Equal(2, (await RunAsync("import", "--preview", "/nonexistent/statement.csv")).Code);
        Assert.Equal(2, (await RunAsync("import")).Code);
    }
}
