using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExpenseTracker.Tests.Integration.BankSync;

/// <summary>One bank transaction on the fake; <see cref="Posted"/> null means pending.</summary>
internal sealed record FakeTransaction(string Id, DateTimeOffset? Posted, string Amount, string Description, string? Payee = null, string? Memo = null);

internal sealed class FakeAccount(string id, string name, string currency = "EUR", string balance = "1234.56")
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public string Currency { get; set; } = currency;
    public string Balance { get; set; } = balance;
    public List<FakeTransaction> Transactions { get; } = [];
}

/// <summary>
/// A SimpleFIN Bridge on 127.0.0.1 (a real Kestrel server on a free port): one setup token that can be claimed once, an access
/// URL with Basic credentials, GET /accounts filtered by start-date/end-date (posted transactions in [start, end); pending ones
/// always, with pending=1), ranges over 90 days refused as the Bridge does, and failures queued by the test (403, 429, 500).
/// </summary>
internal sealed class FakeSimpleFinServer : IAsyncDisposable
{
    public const string User = "fake-user";
    public const string Password = "s3cret-Pa55word-xyz";
    private const string ClaimCode = "claim-7f3a";

    private readonly WebApplication app;
    private bool claimed;

    private FakeSimpleFinServer(WebApplication app) => this.app = app;

    public Uri BaseUri { get; private set; } = default!;
    public List<FakeAccount> Accounts { get; } = [];
    public List<string> Errors { get; } = [];

    /// <summary>Answers for the next /accounts requests, in order: status code and Retry-After seconds.</summary>
    public Queue<(int Status, int? RetryAfterSeconds)> Failures { get; } = new();

    /// <summary>The access was revoked at the Bridge: /accounts answers 403.</summary>
    public bool Revoked { get; set; }

    /// <summary>(start, end) of every /accounts request, as the client sent them.</summary>
    public List<(DateTimeOffset Start, DateTimeOffset End)> Requests { get; } = [];

    public string SetupToken => Convert.ToBase64String(Encoding.UTF8.GetBytes(new Uri(BaseUri, "claim/" + ClaimCode).AbsoluteUri));

    public string AccessUrl => $"http://{User}:{Password}@127.0.0.1:{BaseUri.Port.ToString(CultureInfo.InvariantCulture)}/simplefin";

    public static async Task<FakeSimpleFinServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting(Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeSimpleFinServer(app);
        app.MapPost("/claim/{code}", (string code) =>
        {
            lock (server)
            {
                if (code != ClaimCode || server.claimed)
                {
                    return Results.StatusCode(403);
                }

                server.claimed = true;
                return Results.Text(server.AccessUrl, "text/plain");
            }
        });
        app.MapGet("/simplefin/accounts", server.Accounts_);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public static DateTimeOffset Utc(int year, int month, int day, int hour = 12) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    private IResult Accounts_(HttpContext context)
    {
        lock (this)
        {
            var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password));
            if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var auth) || auth.Scheme != "Basic" || auth.Parameter != expected || Revoked)
            {
                return Results.Text("Forbidden", statusCode: 403);
            }

            if (Failures.TryDequeue(out var failure))
            {
                if (failure.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                return Results.Text("failure", statusCode: failure.Status);
            }

            var start = DateTimeOffset.FromUnixTimeSeconds(long.Parse(context.Request.Query["start-date"]!, CultureInfo.InvariantCulture));
            var end = DateTimeOffset.FromUnixTimeSeconds(long.Parse(context.Request.Query["end-date"]!, CultureInfo.InvariantCulture));
            Requests.Add((start, end));
            if (end - start > TimeSpan.FromDays(90))
            {
                return Results.Text("Date range too long: at most 90 days.", statusCode: 400);
            }

            var pending = context.Request.Query["pending"] == "1";
            var accounts = new JsonArray();
            foreach (var account in Accounts)
            {
                var transactions = new JsonArray();
                foreach (var t in account.Transactions.Where(t => t.Posted is { } p ? p >= start && p < end : pending))
                {
                    var json = new JsonObject
                    {
                        ["id"] = t.Id,
                        ["posted"] = t.Posted?.ToUnixTimeSeconds() ?? 0,
                        ["amount"] = t.Amount,
                        ["description"] = t.Description,
                    };
                    if (t.Payee is not null)
                    {
                        json["payee"] = t.Payee;
                    }

                    if (t.Memo is not null)
                    {
                        json["memo"] = t.Memo;
                    }

                    if (t.Posted is null)
                    {
                        json["pending"] = true;
                    }

                    transactions.Add(json);
                }

                accounts.Add(new JsonObject
                {
                    ["org"] = new JsonObject { ["domain"] = "bank.example", ["name"] = "Example Bank", ["sfin-url"] = BaseUri.AbsoluteUri + "simplefin" },
                    ["id"] = account.Id,
                    ["name"] = account.Name,
                    ["currency"] = account.Currency,
                    ["balance"] = account.Balance,
                    ["available-balance"] = account.Balance,
                    ["balance-date"] = end.ToUnixTimeSeconds(),
                    ["transactions"] = transactions,
                });
            }

            var body = new JsonObject { ["errors"] = new JsonArray([.. Errors.Select(e => (JsonNode?)JsonValue.Create(e))]), ["accounts"] = accounts };
            return Results.Text(body.ToJsonString(), "application/json");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
