using System.Diagnostics;
using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>Traces marked requests; maps the stand-in create endpoint if the app has none.</summary>
    internal sealed class StartupFilter(StandInCreateEndpoint standIn) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            DiagnosticListener.AllListeners.Subscribe(Listener);
            app.Use(TraceAsync);
            standIn.Use(app);
            next(app);
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
/// with the code path that endpoint uses, in a branch shaped like the app's pipeline and <c>/api/v1</c> group: the app's
/// rate limits, authentication, the read policy (Bearer token scheme), <see cref="ApiHouseholdFilter"/> (household
/// binding, service errors as problems), the write policy, and <see cref="ExpenseService.CreateAsync"/>. The branch is
/// taken only when the app has no such endpoint of its own; the benchmark prints which one ran.
/// </summary>
internal sealed class StandInCreateEndpoint
{
    private static readonly string Path = ApiServiceCollectionExtensions.Prefix + "/expenses";
    private readonly object marker = new();
    private bool? needed;

    public bool Mapped => needed == true;

    private sealed record Body(string Kind, DateOnly Date, decimal Amount, string? Payee, long AccountId, long CategoryId, string[]? Tags);

    public void Use(IApplicationBuilder app) => app.MapWhen(IsStandInRequest, branch =>
    {
        branch.UseRateLimiter();
        branch.UseAuthentication();
        branch.UseRouting();
        branch.UseAuthorization();
        branch.UseEndpoints(routes => routes.MapGroup(ApiServiceCollectionExtensions.Prefix)
            .RequireAuthorization(ApiPolicies.Read)
            .AddEndpointFilter<ApiHouseholdFilter>()
            .DisableAntiforgery()
            .MapPost("/expenses", CreateAsync)
            .RequireAuthorization(ApiPolicies.Write)
            .WithMetadata(marker));
    });

    private bool IsStandInRequest(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        needed ??= !http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Any(e =>
            !e.Metadata.Contains(marker)
            && string.Equals("/" + e.RoutePattern.RawText?.Trim('/'), Path, StringComparison.OrdinalIgnoreCase)
            && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post) == true);
        return needed.Value;
    }

    private static async Task<IResult> CreateAsync(Body body, CurrentHousehold current, ExpenseService expenses, CancellationToken cancellationToken)
    {
        var amount = Money.ToMinor(body.Amount, current.Info!.BaseCurrency);
        var id = await expenses.CreateAsync(new ExpenseInput
        {
            Kind = Enum.Parse<TransactionKind>(body.Kind, ignoreCase: true),
            Date = body.Date,
            AmountMinor = amount,
            Payee = body.Payee,
            AccountId = body.AccountId,
            Tags = body.Tags ?? [],
            Lines = [new LineInput(body.CategoryId, amount)],
            Source = TransactionSource.Api,
        }, cancellationToken);
        return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{Path}/{id}"), new { id });
    }
}
