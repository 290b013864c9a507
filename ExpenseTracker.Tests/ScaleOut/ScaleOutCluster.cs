using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using netDumbster.smtp;
using ExpenseTracker.Tests.Infrastructure;
using MimeKit;
using Npgsql;

namespace ExpenseTracker.Tests.ScaleOut;

/// <summary>
/// Two app processes, A and B, on two loopback ports against ONE fresh PostgreSQL database (created from ET_POSTGRES, dropped
/// at the end), with the scheduler on and short intervals, mail to an in-process SMTP server. Nothing starts until a test
/// calls <see cref="StartAsync"/>: without ET_POSTGRES that skips (or fails under ET_REQUIRE_POSTGRES=1), as
/// <see cref="PostgresServer.Require"/> says. The database is empty: the app migrates it, as on a real first start. The first user
/// (an administrator with a household in UTC) and an API token come from the app's own commands, as an operator would
/// make them; running the first command also migrates the database before the two instances start side by side.
/// </summary>
public sealed class ScaleOutCluster : IAsyncLifetime
{
    public const string Email = "ana@example.com";
    public const string Password = "scale out ledger 42";

    /// <summary>How often each scheduler runs the reminder tick and the outbox delivery.</summary>
    public static readonly TimeSpan JobInterval = TimeSpan.FromSeconds(2);

    /// <summary>How often a clustered scheduler checks in; a node silent for about this long is taken over.</summary>
    public static readonly TimeSpan ClusterCheckinInterval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly string root = Path.Combine(Path.GetTempPath(), "et-scaleout-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string databaseName = "et_scaleout_" + Guid.NewGuid().ToString("N")[..12];
    private string? serverConnectionString;
    private SimpleSmtpServer? smtp;
    private Dictionary<string, string>? environment;

    public AppProcess? A { get; private set; }

    public AppProcess? B { get; private set; }

    /// <summary>A read-write API token of <see cref="Email"/> in their household (tokens live in the shared database).</summary>
    public string Token { get; private set; } = "";

    public SimpleSmtpServer Smtp => smtp ?? throw new InvalidOperationException("Not started.");

    /// <summary>Both instances' output, for failure messages.</summary>
    public string Output => string.Join("\n\n", new[] { A, B }.Where(p => p is not null).Select(p => p!.Output));

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Makes sure both A and B are running (starting the whole set-up the first time, or an instance a test stopped).</summary>
    public async Task StartAsync()
    {
        PostgresServer.Require();
        var server = PostgresServer.ConnectionString!;
        await gate.WaitAsync();
        try
        {
            if (environment is null)
            {
                await SetUpAsync(server);
            }

            var starting = new List<AppProcess>();
            if (A is null || A.HasExited)
            {
                await DisposeQuietlyAsync(A);
                A = AppProcess.Start("A", Path.Combine(root, "a"), environment!);
                starting.Add(A);
            }

            if (B is null || B.HasExited)
            {
                await DisposeQuietlyAsync(B);
                B = AppProcess.Start("B", Path.Combine(root, "b"), environment!);
                starting.Add(B);
            }

            await Task.WhenAll(starting.Select(p => p.WaitUntilReadyAsync()));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>An HTTP client on <paramref name="instance"/> that acts with <see cref="Token"/>.</summary>
    public HttpClient ApiClient(AppProcess instance)
    {
        var client = new HttpClient { BaseAddress = instance.Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON to <paramref name="path"/> on <paramref name="instance"/>; fails with the answer and the logs unless 201.</summary>
    public async Task<JsonElementResponse> PostAsync(AppProcess instance, string path, object body)
    {
        using var client = ApiClient(instance);
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created,
            $"POST {path} on {instance.Name} answered {(int)response.StatusCode}: {text}\n{Output}");
        return new JsonElementResponse(System.Text.Json.JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>GETs <paramref name="path"/> on <paramref name="instance"/> with the token; fails with the answer and the logs unless 200.</summary>
    public async Task<System.Text.Json.JsonElement> GetAsync(AppProcess instance, string path)
    {
        using var client = ApiClient(instance);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} on {instance.Name} answered {(int)response.StatusCode}: {text}\n{Output}");
        return System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>What the shared store says about the schedule and the outbox, for failure messages.</summary>
    public async Task<string> DescribeSchedulerAsync()
    {
        if (environment is null)
        {
            return "";
        }

        var text = new System.Text.StringBuilder("--- shared database ---\n");
        await using var connection = new NpgsqlConnection(environment["ConnectionStrings__Postgres"]);
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            "SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state",
            "SELECT trigger_name, trigger_state, next_fire_time, prev_fire_time FROM qrtz_triggers ORDER BY 1",
            "SELECT instance_name, trigger_name, state, fired_time FROM qrtz_fired_triggers ORDER BY 2",
            "SELECT * FROM \"JobCheckpoints\"",
            "SELECT * FROM \"OutboxMessages\"",
        })
        {
            text.Append(sql).Append('\n');
            try
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    text.Append("  ").AppendJoin(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={reader.GetValue(i)}")).Append('\n');
                }
            }
            catch (PostgresException e)
            {
                text.Append("  ").Append(e.MessageText).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The messages the SMTP server received whose subject contains <paramref name="text"/>.</summary>
    public IReadOnlyList<MimeMessage> MailsAbout(string text) =>
        Smtp.ReceivedEmail
            .Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data))))
            .Where(m => m.Subject?.Contains(text, StringComparison.Ordinal) == true)
            .ToList();

    public async Task DisposeAsync()
    {
        await DisposeQuietlyAsync(A);
        await DisposeQuietlyAsync(B);
        smtp?.Dispose();
        if (serverConnectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(serverConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A process may still be letting go of a file: the temp folder is cleaned up by the OS eventually.
        }
    }

    private async Task SetUpAsync(string server)
    {
        var builder = new NpgsqlConnectionStringBuilder(server);
        serverConnectionString = builder.ConnectionString;
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        builder.Database = databaseName;
        smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        var interval = JobInterval.ToString("c", CultureInfo.InvariantCulture);
        environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = builder.ConnectionString,
            ["Jobs__Enabled"] = "true",
            ["Jobs__ReminderTickInterval"] = interval,
            ["Jobs__DeliveryInterval"] = interval,
            ["Jobs__ClusterCheckinInterval"] = ClusterCheckinInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = smtp.Configuration.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp__Security"] = "None",
        };
        Directory.CreateDirectory(root);

        // The commands work on the database alone; each gets a data folder of its own.
        var tools = new Dictionary<string, string>(environment, StringComparer.Ordinal) { ["Storage__DataDirectory"] = Path.Combine(root, "tools") };
        var user = await AppProcess.RunCommandAsync(tools,
            ["user", "create", "--email", Email, "--name", "Ana", "--household", "Scale-out family", "--currency", "EUR", "--culture", "en-US", "--time-zone", "UTC", "--admin"],
            Password);
        Assert.True(user.ExitCode == 0, $"user create failed ({user.ExitCode}):\n{user.Output}\n{user.Error}");
        var token = await AppProcess.RunCommandAsync(tools, ["token", "create", "--user", Email, "--name", "scale-out", "--scopes", "read,write"]);
        Assert.True(token.ExitCode == 0, $"token create failed ({token.ExitCode}):\n{token.Output}\n{token.Error}");
        Token = token.Output.Trim().Split('\n')[^1].Trim();
        Assert.StartsWith("et_", Token, StringComparison.Ordinal);
    }

    private static async Task DisposeQuietlyAsync(AppProcess? process)
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }
    }
}

/// <summary>A JSON answer of the API.</summary>
public sealed record JsonElementResponse(System.Text.Json.JsonElement Body)
{
    public long Id => Body.GetProperty("id").GetInt64();
}
