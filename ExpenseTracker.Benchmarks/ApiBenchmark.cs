using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text;
using ExpenseTracker.Tests.Integration.Hardening.Smoke;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `api`: the whole app (Program, Production, the demo household) served by Kestrel on 127.0.0.1 in this process; 50
/// clients (HttpClient over SocketsHttpHandler, keep-alive) POST /api/v1/expenses with a read-write token in a closed
/// loop: a warm-up, then a timed run. Figures: creates/s, p50/p99 latency, non-2xx answers, and lost writes (the
/// household's transactions after = before + 201s). The floor beside it: the same rows through a prepared SQLite INSERT,
/// one database transaction per create, on one connection.
/// </summary>
public static class ApiBenchmark
{
    private static readonly int Clients = int.Parse(Environment.GetEnvironmentVariable("ET_API_CLIENTS") ?? "50", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(int seconds)
    {
        var timed = TimeSpan.FromSeconds(Math.Clamp(seconds, 5, 120));
        await using var app = StartWithLimitsAbove("10000000");
        var address = app.Address;
        var (householdId, body, token) = await SeedAsync(app);
        Console.WriteLine($"Serving on {address}; {Clients} clients; warm-up {WarmUp.TotalSeconds:0} s, timed {timed.TotalSeconds:0} s.");

        using var client = LoadMix.CreateClient(address, token, Clients);

        var before = await CountAsync(app.ConnectionString, householdId);
        await TraceOneCreateAsync(client, body);
        var warm = await LoadAsync(client, body, WarmUp, record: false);
        Profile.Reset();
        var run = await LoadAsync(client, body, timed, record: true);
        Profile.Print();
        var after = await CountAsync(app.ConnectionString, householdId);

        // Every 201 is one more row; the two creates of the trace are the "+ 2".
        var successes = warm.Successes + run.Successes + 2;
        var lost = before + successes - after;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Transactions before {before}, after {after}, 201s {successes} (warm-up {warm.Successes}, timed {run.Successes}); served by the app's POST /api/v1/expenses."));
        foreach (var (status, count) in warm.Statuses.Concat(run.Statuses).GroupBy(s => s.Key).Select(g => (g.Key, g.Sum(x => x.Value))).OrderBy(s => s.Key))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  HTTP {status}: {count}"));
        }

        var rawPerSecond = await RawInsertsPerSecondAsync(app.ConnectionString, householdId, Math.Clamp(run.Successes, 1000, 20_000));
        var perSecond = run.Successes / run.Elapsed.TotalSeconds;
        PrintMachine();
        BenchmarkProgram.Report("api", "clients", Clients, "count");
        BenchmarkProgram.Report("api", "timed_s", run.Elapsed.TotalSeconds, "s");
        BenchmarkProgram.Report("api", "writes_per_s", perSecond, "req/s");
        BenchmarkProgram.Report("api", "p50_ms", DashboardBenchmark.Percentile(run.Latencies, 50), "ms");
        BenchmarkProgram.Report("api", "p99_ms", DashboardBenchmark.Percentile(run.Latencies, 99), "ms");
        BenchmarkProgram.Report("api", "max_ms", run.Latencies.Count == 0 ? 0 : run.Latencies.Max(), "ms");
        BenchmarkProgram.Report("api", "errors", run.Errors + warm.Errors, "count");
        BenchmarkProgram.Report("api", "lost_writes", lost, "count");
        BenchmarkProgram.Report("api", "raw_insert_per_s", rawPerSecond, "rows/s");
        BenchmarkProgram.Report("api", "ratio_raw_to_api", rawPerSecond / Math.Max(perSecond, 0.001), "x");
    }

    /// <summary>The app on Kestrel with the API's rate limits (per token and per IP, a 60 s window) set to <paramref name="permits"/>, its config printed.</summary>
    internal static ApiBenchApp StartWithLimitsAbove(string permits)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [ApiRateLimitOptions.Section + ":TokenPermitLimit"] = permits,
            [ApiRateLimitOptions.Section + ":IpPermitLimit"] = permits,
            [ApiRateLimitOptions.Section + ":WindowSeconds"] = "60",
            ["Jobs:Enabled"] = "false",
        };
        PrintMachine();
        foreach (var (key, value) in settings)
        {
            Console.WriteLine($"config {key}={value}");
        }

        var app = new ApiBenchApp(settings);
        app.StartServer();
        var configuration = app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        Console.WriteLine($"config {SqlitePragmaInterceptor.SynchronousKey}={configuration[SqlitePragmaInterceptor.SynchronousKey] ?? "(unset: FULL)"} (FULL or NORMAL, e.g. env Storage__Synchronous=NORMAL)");
        return app;
    }

    internal static void PrintMachine()
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"machine: {Environment.ProcessorCount} CPUs, load average {load}; GC {(GCSettings.IsServerGC ? "server" : "workstation")}"));
    }

    private sealed record LoadResult(int Successes, int Errors, Dictionary<int, int> Statuses, List<double> Latencies, TimeSpan Elapsed);

    /// <summary>Closed loop: every client sends its next create as soon as the previous one is answered, until the time is up.</summary>
    private static async Task<LoadResult> LoadAsync(HttpClient client, byte[] body, TimeSpan duration, bool record)
    {
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            var statuses = new Dictionary<int, int>();
            var latencies = new List<double>(record ? 4096 : 0);
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                var sent = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await client.SendAsync(Post(body));
                    await response.Content.LoadIntoBufferAsync();
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                catch (TaskCanceledException)
                {
                    status = -1;
                }

                if (record)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }

                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }

            return (statuses, latencies);
        })).ToList();
        var results = await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = results.SelectMany(r => r.statuses).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(x => x.Value));
        var created = all.GetValueOrDefault(StatusCodes.Status201Created);
        return new LoadResult(created, all.Where(s => s.Key != StatusCodes.Status201Created).Sum(s => s.Value), all,
            [.. results.SelectMany(r => r.latencies)], elapsed);
    }

    private static HttpRequestMessage Post(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpRequestMessage(HttpMethod.Post, new Uri("api/v1/expenses", UriKind.Relative)) { Content = content };
    }

    /// <summary>One create with its SQL commands counted and listed (the EF diagnostic events of that request only).</summary>
    private static async Task TraceOneCreateAsync(HttpClient client, byte[] body)
    {
        // A first create warms the caches, the second is the one a busy client sees.
        using (var first = await client.SendAsync(Post(body)))
        {
            if (first.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"The first create answered {(int)first.StatusCode}: {await first.Content.ReadAsStringAsync()}");
            }
        }

        var request = Post(body);
        request.Headers.Add(SqlTrace.Header, "1");
        using var response = await client.SendAsync(request);
        var trace = SqlTrace.Last ?? throw new InvalidOperationException("The traced create was not seen.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"One create ({(int)response.StatusCode}): {trace.Commands.Count} SQL commands on {trace.Connections} connection opens:"));
        foreach (var command in trace.Commands)
        {
            Console.WriteLine("  " + command);
        }

        BenchmarkProgram.Report("api", "queries_per_create", trace.Commands.Count, "count");
        BenchmarkProgram.Report("api", "connection_opens_per_create", trace.Connections, "count");
    }

    /// <summary>The demo household, a read-write token of its owner, and the request body (its account and a category).</summary>
    internal static async Task<(long HouseholdId, byte[] Body, string Token)> SeedAsync(ApiBenchApp app)
    {
        await DemoSeeder.SeedOnceAsync(app.Services, TextWriter.Null);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var household = await db.Households.IgnoreQueryFilters().SingleAsync(h => h.Name == DemoSeeder.HouseholdName);
        var owner = await db.Members.IgnoreQueryFilters().Where(m => m.HouseholdId == household.Id).OrderBy(m => m.Id).FirstAsync();
        scope.ServiceProvider.GetRequiredService<HouseholdScope>().Set(household.Id, owner.Id, owner.UserId, owner.Role);
        var account = await db.Accounts.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        var category = await db.Categories.Where(c => c.Name == "Dining out").Select(c => c.Id).FirstAsync();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("Load test", ApiTokenScopes.ReadWrite, 1);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var json = string.Create(CultureInfo.InvariantCulture,
            $$"""{ "kind": "expense", "date": "{{today}}", "amount": 4.5, "payee": "Café Central", "accountId": {{account}}, "categoryId": {{category}}, "tags": ["coffee"] }""");
        Console.WriteLine($"Body: {json}");
        return (household.Id, Encoding.UTF8.GetBytes(json), token.Secret);
    }

    internal static async Task<long> CountAsync(string connectionString, long householdId)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT COUNT(*) FROM "Transactions" WHERE "HouseholdId" = $h""";
        command.Parameters.AddWithValue("$h", householdId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The floor: per create, one database transaction with a prepared INSERT of the transaction, its line and its tag
    /// link (as the API writes them, without the change log), committed with the app's connection settings.
    /// </summary>
    internal static async Task<double> RawInsertsPerSecondAsync(string connectionString, long householdId, int rows)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var template = connection.CreateCommand();
        template.CommandText = """
            SELECT t."AccountId", t."PayeeId", t."PaidByMemberId", l."CategoryId", g."TagId", t."Currency", t."Date"
            FROM "Transactions" t JOIN "TransactionLines" l ON l."TransactionId" = t."Id" JOIN "TransactionTags" g ON g."TransactionId" = t."Id"
            WHERE t."HouseholdId" = $h ORDER BY t."Id" DESC LIMIT 1
            """;
        template.Parameters.AddWithValue("$h", householdId);
        object[] values;
        await using (var reader = await template.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            values = new object[7];
            reader.GetValues(values);
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO "Transactions" ("HouseholdId", "Kind", "AmountMinor", "Currency", "Date", "PayeeId", "AccountId", "PaidByMemberId",
                "Source", "CreatedAt", "CreatedByMemberId", "UpdatedAt", "UpdatedByMemberId", "Version", "IsPrivate")
            VALUES ($h, 0, 450, $currency, $date, $payee, $account, $m, 0, $now, $m, $now, $m, 1, 0) RETURNING "Id"
            """;
        var line = connection.CreateCommand();
        line.CommandText = """INSERT INTO "TransactionLines" ("HouseholdId", "TransactionId", "CategoryId", "AmountMinor") VALUES ($h, $t, $c, 450)""";
        var tag = connection.CreateCommand();
        tag.CommandText = """INSERT INTO "TransactionTags" ("HouseholdId", "TransactionId", "TagId") VALUES ($h, $t, $tag)""";
        insert.Parameters.AddWithValue("$h", householdId);
        insert.Parameters.AddWithValue("$currency", values[5]);
        insert.Parameters.AddWithValue("$date", values[6]);
        insert.Parameters.AddWithValue("$payee", values[1]);
        insert.Parameters.AddWithValue("$account", values[0]);
        insert.Parameters.AddWithValue("$m", values[2]);
        insert.Parameters.AddWithValue("$now", DateTime.UtcNow);
        line.Parameters.AddWithValue("$h", householdId);
        line.Parameters.AddWithValue("$c", values[3]);
        var lineTransaction = line.Parameters.Add("$t", SqliteType.Integer);
        tag.Parameters.AddWithValue("$h", householdId);
        tag.Parameters.AddWithValue("$tag", values[4]);
        var tagTransaction = tag.Parameters.Add("$t", SqliteType.Integer);

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < rows; i++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            insert.Transaction = line.Transaction = tag.Transaction = transaction;
            var id = (long)(await insert.ExecuteScalarAsync())!;
            lineTransaction.Value = tagTransaction.Value = id;
            await line.ExecuteNonQueryAsync();
            await tag.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await line.DisposeAsync();
        await tag.DisposeAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Raw floor: {rows} creates as prepared INSERTs, one transaction each, in {elapsed:0.00} s."));
        return rows / elapsed;
    }

    /// <summary>The app as Program builds it, on Kestrel at 127.0.0.1 (a free port), over a temporary data folder.</summary>
    internal sealed class ApiBenchApp : WebApplicationFactory<Program>
    {
        private readonly Dictionary<string, string?> settings;

        public ApiBenchApp(Dictionary<string, string?> settings)
        {
            this.settings = settings;
            DataDirectory = Path.Combine(Path.GetTempPath(), "et-bench-api", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(DataDirectory);
            UseKestrel(0);
        }

        public string DataDirectory { get; }

        public string ConnectionString => Services.GetRequiredService<StorageOptions>().ConnectionString;

        public Uri Address => ClientOptions.BaseAddress;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Storage:DataDirectory", DataDirectory);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<IStartupFilter>(new SqlTrace.StartupFilter());
            });
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open: the temporary folder is the OS's to clean.
            }
        }
    }
}
