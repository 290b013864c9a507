using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// The SQL one request runs: requests carrying <see cref="Header"/> collect the EF Core commands and connection opens of
/// their own execution context (EF's diagnostic events), so background work (alerts) is not counted.
/// </summary>
internal static class SqlTrace
{
    public const string Header = "X-Bench-Trace";
    private static readonly AsyncLocal<Trace?> Current = new();
    private static readonly Observer Listener = new();

    public static Trace? Last { get; private set; }

    internal sealed class Trace
    {
        public List<string> Commands { get; } = [];
        public int Connections { get; set; }
        public bool Closed { get; set; }
    }

    /// <summary>Traces marked requests; appends the stand-in create endpoint behind the app's own pipeline.</summary>
    internal sealed class StartupFilter(StandInCreateEndpoint standIn) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            DiagnosticListener.AllListeners.Subscribe(Listener);
            app.Use(TraceAsync);
            next(app);

            // Reached only by requests no endpoint of the app answered.
            app.Run(standIn.InvokeAsync);
        };
    }

    private static async Task TraceAsync(HttpContext http, RequestDelegate next)
    {
        if (!http.Request.Headers.ContainsKey(Header))
        {
            await next(http);
            return;
        }

        var trace = new Trace();
        Current.Value = trace;
        try
        {
            await next(http);
        }
        finally
        {
            trace.Closed = true;
            Last = trace;
        }
    }

    private sealed class Observer : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Current.Value is not { Closed: false } trace)
            {
                return;
            }

            if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData executed)
            {
                var text = string.Join(' ', executed.Command.CommandText.Split((char[])['\r', '\n', ' '], StringSplitOptions.RemoveEmptyEntries));
                lock (trace)
                {
                    trace.Commands.Add(string.Create(CultureInfo.InvariantCulture, $"{executed.Duration.TotalMilliseconds,6:0.00} ms  {(text.Length > 150 ? text[..150] + "…" : text)}"));
                }
            }
            else if (value.Key == RelationalEventId.ConnectionOpened.Name)
            {
                lock (trace)
                {
                    trace.Connections++;
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}

/// <summary>
/// Until the real <c>POST /api/v1/expenses</c> is merged (MapExpensesApi is a stub on main), the benchmark answers it
/// with the code path that endpoint uses: the Bearer token scheme, the read and write policies, the API's household
/// binding (<see cref="CurrentHousehold"/>) and <see cref="ExpenseService.CreateAsync"/>, service errors as problems.
/// It only runs for requests the app itself left unanswered, and the benchmark prints whether it did.
/// </summary>
internal sealed class StandInCreateEndpoint
{
    private int served;

    public int Served => served;

    private sealed record Body(string Kind, DateOnly Date, decimal Amount, string? Payee, long AccountId, long CategoryId, string[]? Tags);

    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Path.Equals(ApiServiceCollectionExtensions.Prefix + "/expenses", StringComparison.Ordinal))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Interlocked.Increment(ref served);
        var authenticated = await http.AuthenticateAsync(ApiTokenAuthenticationHandler.SchemeName);
        if (!authenticated.Succeeded)
        {
            await http.ChallengeAsync(ApiTokenAuthenticationHandler.SchemeName);
            return;
        }

        http.User = authenticated.Principal;
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        if (!(await authorization.AuthorizeAsync(http.User, ApiPolicies.Read)).Succeeded
            || !(await authorization.AuthorizeAsync(http.User, ApiPolicies.Write)).Succeeded)
        {
            await http.ForbidAsync(ApiTokenAuthenticationHandler.SchemeName);
            return;
        }

        var current = http.RequestServices.GetRequiredService<CurrentHousehold>();
        if (await current.ResolveAsync(http.User, http.RequestAborted) is not { } household)
        {
            await ApiProblems.NotFound("The token's household no longer exists.").ExecuteAsync(http);
            return;
        }

        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = await http.Request.ReadFromJsonAsync<Body>(json, http.RequestAborted)
            ?? throw new JsonException("No body.");
        var amount = Money.ToMinor(body.Amount, household.BaseCurrency);
        var input = new ExpenseInput
        {
            Kind = Enum.Parse<TransactionKind>(body.Kind, ignoreCase: true),
            Date = body.Date,
            AmountMinor = amount,
            Payee = body.Payee,
            AccountId = body.AccountId,
            Tags = body.Tags ?? [],
            Lines = [new LineInput(body.CategoryId, amount)],
            Source = TransactionSource.Api,
        };
        try
        {
            var id = await http.RequestServices.GetRequiredService<ExpenseService>().CreateAsync(input, http.RequestAborted);
            await TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiServiceCollectionExtensions.Prefix}/expenses/{id}"), new { id })
                .ExecuteAsync(http);
        }
        catch (Exception exception) when (ApiProblems.For(exception) is { } problem)
        {
            await problem.ExecuteAsync(http);
        }
    }
}
