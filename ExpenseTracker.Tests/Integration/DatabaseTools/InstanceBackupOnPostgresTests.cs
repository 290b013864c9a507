using Bunit;
using ExpenseTracker.Web.Features.InstanceBackup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ExpenseTracker.Tests.Integration.DatabaseTools;

/// <summary>The SQLite instance backup does not pretend on PostgreSQL: no nightly job, the commands refuse, /admin says so.</summary>
public sealed class InstanceBackupOnPostgresTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "et-tests", Guid.NewGuid().ToString("N"));

    private Dictionary<string, string?> Settings(string provider) => new()
    {
        ["Storage:DataDirectory"] = dataDirectory,
        ["Database:Provider"] = provider,
        ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=nothing;Username=nobody",
    };

    [Theory]
    [InlineData("backup")]
    [InlineData("restore", "some.zip", "--yes")]
    public async Task TheBackupCommandsRefuseOnPostgresAndPointToPgDump(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await InstanceBackupCommands.RunAsync(args, Settings("Postgres"), new StringReader("yes\n"), output, error);

        Assert.Equal(InstanceBackupCommands.Refused, code);
        Assert.Contains("pg_dump -Fc", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("deploy/README.md", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, output.ToString());
        Assert.False(Directory.Exists(Path.Combine(dataDirectory, "backups")) && Directory.EnumerateFileSystemEntries(Path.Combine(dataDirectory, "backups")).Any());
    }

    [Fact]
    public void OnPostgresTheNightlyBackupIsOffEvenWhenConfiguredOn()
    {
        var settings = Settings("Postgres");
        settings["Backup:Enabled"] = "true";
        var options = InstanceBackupOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        Assert.True(options.DatabaseIsPostgres);
        Assert.False(options.Enabled);

        var sqlite = InstanceBackupOptions.From(new ConfigurationBuilder().AddInMemoryCollection(Settings("Sqlite")).Build());
        Assert.False(sqlite.DatabaseIsPostgres);
        Assert.True(sqlite.Enabled);
    }

    [Theory]
    [InlineData("Postgres", "true", "pg_dump -Fc")]
    [InlineData("Sqlite", "false", "Every night at 03:00")]
    public async Task TheAdminPageSaysHowTheInstanceIsBackedUp(string provider, string postgres, string expected)
    {
        await using var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddSingleton(InstanceBackupOptions.From(new ConfigurationBuilder().AddInMemoryCollection(Settings(provider)).Build()));

        var note = context.Render<InstanceBackupNote>().Find("[data-testid=instance-backup-note]");

        Assert.Equal(postgres, note.GetAttribute("data-postgres"));
        Assert.Contains(expected, note.TextContent, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
