using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExpenseTracker.Tests.ScaleOut;

/// <summary>
/// The built web app as a real OS process (<c>dotnet ExpenseTracker.Web.dll</c>, the copy in the test output folder), as
/// an operator runs it: its own data folder, configuration from environment variables, one loopback port. The content
/// root is the web project's folder (appsettings.json, wwwroot) and the environment Development, so static web assets
/// come from the build's manifest as with <c>dotnet run</c> (a plain build outside Development serves none). Standard
/// output and error are kept (the last lines) for failure messages; disposing kills the process and its children.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private AppProcess(string name, Uri address, string dataDirectory, Process process)
    {
        Name = name;
        Address = address;
        DataDirectory = dataDirectory;
        this.process = process;
    }

    public string Name { get; }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the process wrote (standard output and error, interleaved as received).</summary>
    public string Output => $"--- {Name} ({Address}, pid {process.Id}{(process.HasExited ? ", exited " + process.ExitCode.ToString(CultureInfo.InvariantCulture) : "")}) ---\n"
        + string.Join('\n', lines);

    /// <summary>The web app's assembly in the test output folder (the project reference copies it, with its deps and runtime config).</summary>
    public static string AppAssembly => Path.Combine(AppContext.BaseDirectory, "ExpenseTracker.Web.dll");

    /// <summary>The web project's folder (found from the solution file above the test output), else the test output folder.</summary>
    public static string ContentRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var project = Path.Combine(dir.FullName, "ExpenseTracker.Web");
                if (File.Exists(Path.Combine(dir.FullName, "ExpenseTracker.sln")) && File.Exists(Path.Combine(project, "appsettings.json")))
                {
                    return project;
                }
            }

            return AppContext.BaseDirectory;
        }
    }

    /// <summary>A port nobody listens on right now (the OS picks it; another process could still take it before us).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts the app serving on a free loopback port with <paramref name="environment"/> added to this process's.</summary>
    public static AppProcess Start(string name, string dataDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var url = address.ToString().TrimEnd('/');
        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            ["Storage__DataDirectory"] = dataDirectory,

            // appsettings.json sets Urls, which outranks ASPNETCORE_URLS: the plain environment variable outranks both.
            ["Urls"] = url,
            ["ASPNETCORE_URLS"] = url,
        };
        var info = StartInfo(variables, []);
        var started = new Process { StartInfo = info, EnableRaisingEvents = true };
        var app = new AppProcess(name, address, dataDirectory, started);
        started.OutputDataReceived += (_, e) => app.Keep(e.Data);
        started.ErrorDataReceived += (_, e) => app.Keep(e.Data is null ? null : "err: " + e.Data);
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return app;
    }

    /// <summary>
    /// Runs one of the app's commands (<c>user create</c>, <c>token create</c>, …) to completion with <paramref name="input"/>
    /// on standard input; returns the exit code and what it wrote.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunCommandAsync(
        IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments, string? input = null)
    {
        var info = StartInfo(environment, arguments);
        info.RedirectStandardInput = true;
        using var command = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = command.StandardOutput.ReadToEndAsync();
        var error = command.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await command.StandardInput.WriteLineAsync(input);
        }

        command.StandardInput.Close();
        using var timeout = new CancellationTokenSource(ReadyTimeout);
        try
        {
            await command.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            command.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', arguments)}' did not finish within {ReadyTimeout.TotalSeconds} s:\n{await output}\n{await error}");
        }

        return (command.ExitCode, await output, await error);
    }

    /// <summary>
    /// Waits until the app answers <c>/health/ready</c> with 200 (or, on a build without health endpoints, the sign-in page);
    /// fails with its output when it exits or does not get there in time.
    /// </summary>
    public async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited before it was ready.\n{Output}");
            }

            try
            {
                using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = "/health/ready answered " + ((int)ready.StatusCode).ToString(CultureInfo.InvariantCulture);
                if (ready.StatusCode == HttpStatusCode.NotFound)
                {
                    using var login = await client.GetAsync(new Uri("/Identity/Account/Login", UriKind.Relative));
                    if (login.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "a request timed out";
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{Name} was not ready within {ReadyTimeout.TotalSeconds} s ({last}).\n{Output}");
    }

    /// <summary>Ends the process at once (and anything it started), as a crash or <c>kill -9</c> would.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        process.Dispose();
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = ContentRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(AppAssembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_CONTENTROOT"] = ContentRoot;
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH for test hosts), else dotnet on PATH.</summary>
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > KeptLines && lines.TryDequeue(out _))
        {
        }
    }
}
