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
            if (Profile.Enabled)
            {
                Profile.Note(value);
            }

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
/// With ET_BENCH_SQL_PROFILE=1: every SQL command the app runs during a benchmark (requests and background work alike),
/// counted and timed per statement text (a reader until it is disposed), for finding where the database time goes.
/// </summary>
internal static class Profile
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("ET_BENCH_SQL_PROFILE") == "1";
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Count, double Ms)> Totals = new();

    public static void Note(KeyValuePair<string, object?> value)
    {
        var (command, duration) = value.Value switch
        {
            DataReaderDisposingEventData disposing => (disposing.Command, disposing.Duration),
            CommandExecutedEventData { Result: not System.Data.Common.DbDataReader } executed => (executed.Command, executed.Duration),
            _ => (null, TimeSpan.Zero),
        };
        if (command is null)
        {
            return;
        }

        var text = string.Join(' ', command.CommandText.Split((char[])['\r', '\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        Totals.AddOrUpdate(text, (1, duration.TotalMilliseconds), (_, t) => (t.Count + 1, t.Ms + duration.TotalMilliseconds));
    }

    private static readonly bool Verbose = Environment.GetEnvironmentVariable("ET_BENCH_SQL_PROFILE_FULL") == "1";

    public static void Reset() => Totals.Clear();

    public static void Print()
    {
        if (!Enabled)
        {
            return;
        }

        Console.WriteLine("SQL profile (statement: count, total ms, mean ms):");
        foreach (var (text, (count, ms)) in Totals.OrderByDescending(t => t.Value.Ms).Take(25))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ms,9:0.0} ms {count,7} x {ms / count,7:0.000}  {(Verbose || text.Length <= 160 ? text : text[..160])}"));
        }
    }
}
