using System.Diagnostics;
using System.Net.Http.Headers;

namespace ExpenseTracker.Tests.Integration.Hardening.Smoke;

/// <summary>
/// The API load of the `load` benchmark and its CI smoke test (this file is compiled into both projects): each client
/// runs a closed loop over a fixed mix — 12 creates (POST /api/v1/expenses), 5 list pages, 3 monthly totals in 20
/// requests — as soon as the previous answer arrived, until the time is up. A timeout or a dropped connection counts as
/// a failure (status 0), never as a success.
/// </summary>
public static class LoadMix
{
    public const string CreatePath = "api/v1/expenses";

    private static readonly string[] Pattern =
    [
        "create", "list", "create", "create", "totals", "create", "list", "create", "create", "list",
        "create", "create", "totals", "create", "list", "create", "create", "totals", "create", "list",
    ];

    /// <summary>One client (a connection per load client, kept alive, no cookies) sending <c>Authorization: Bearer {token}</c>.</summary>
    public static HttpClient CreateClient(Uri address, string token, int clients)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<LoadOutcome> RunAsync(HttpClient client, byte[] createBody, int clients, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var mine = new LoadOutcome();
            for (var i = worker; Stopwatch.GetElapsedTime(started) < duration; i++)
            {
                var kind = Pattern[i % Pattern.Length];
                var sent = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await client.SendAsync(Request(kind, createBody));
                    await response.Content.LoadIntoBufferAsync();
                    status = (int)response.StatusCode;
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }

                mine.Add(kind, status, Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }

            return mine;
        })).ToList();
        var total = new LoadOutcome();
        foreach (var outcome in await Task.WhenAll(workers))
        {
            total.Merge(outcome);
        }

        total.Elapsed = Stopwatch.GetElapsedTime(started);
        return total;
    }

    private static HttpRequestMessage Request(string kind, byte[] createBody)
    {
        if (kind == "create")
        {
            var content = new ByteArrayContent(createBody);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return new HttpRequestMessage(HttpMethod.Post, new Uri(CreatePath, UriKind.Relative)) { Content = content };
        }

        var path = kind == "list" ? "api/v1/expenses?page=1&pageSize=50" : "api/v1/totals/monthly";
        return new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
    }
}

/// <summary>Answers counted per request kind and status, with every latency in ms.</summary>
public sealed class LoadOutcome
{
    public Dictionary<(string Kind, int Status), int> Statuses { get; } = [];

    public List<double> Latencies { get; } = [];

    public TimeSpan Elapsed { get; set; }

    public int Requests => Statuses.Values.Sum();

    public int Successes => Statuses.Where(s => s.Key.Status is >= 200 and < 300).Sum(s => s.Value);

    public int Created => Statuses.GetValueOrDefault(("create", 201));

    public int ServerErrors => Statuses.Where(s => s.Key.Status >= 500).Sum(s => s.Value);

    /// <summary>Timeouts and dropped connections.</summary>
    public int NoAnswer => Statuses.Where(s => s.Key.Status == 0).Sum(s => s.Value);

    public double SuccessPercent => Requests == 0 ? 0 : 100.0 * Successes / Requests;

    public string Describe() => string.Join(", ", Statuses.OrderBy(s => s.Key.Kind, StringComparer.Ordinal).ThenBy(s => s.Key.Status)
        .Select(s => FormattableString.Invariant($"{s.Key.Kind} {s.Key.Status}: {s.Value}")));

    internal void Add(string kind, int status, double ms)
    {
        Statuses[(kind, status)] = Statuses.GetValueOrDefault((kind, status)) + 1;
        Latencies.Add(ms);
    }

    internal void Merge(LoadOutcome other)
    {
        foreach (var (key, count) in other.Statuses)
        {
            Statuses[key] = Statuses.GetValueOrDefault(key) + count;
        }

        Latencies.AddRange(other.Latencies);
    }
}
