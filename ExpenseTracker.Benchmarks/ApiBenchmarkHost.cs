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

    /// <summary>Traces marked requests.</summary>
    internal sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            DiagnosticListener.AllListeners.Subscribe(Listener);
            app.Use(TraceAsync);
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
