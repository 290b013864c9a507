using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ExpenseTracker.Tests.Infrastructure;

/// <summary>
/// The whole app over a real SQLite file in a fresh temporary data folder (or a fresh PostgreSQL database, see
/// <see cref="TestApp(DatabaseProvider, bool)"/>), with a fake clock.
/// With <c>realPort: true</c>, <see cref="StartServer"/> (or <see cref="StartLive"/>) serves it on a free loopback port
/// for browsers, and <see cref="WebApplicationFactoryClientOptions.BaseAddress"/> is then that real address.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings = new(StringComparer.Ordinal);

    /// <summary>
    /// Dozens of apps live at once in this process (class fixtures for both engines, browser classes in parallel), and
    /// each would watch its appsettings files with an inotify instance: Linux allows 128 per user by default, after
    /// which hosts fail to start. Tests never edit those files, so the host reads them once, and the file providers that
    /// still watch (static web assets in Development) poll instead of taking an inotify instance each.
    /// </summary>
    static TestApp()
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }

    private readonly string? postgresDatabase;

    public TestApp(bool realPort = false)
        : this(DatabaseProvider.Sqlite, realPort)
    {
    }

    /// <summary>
    /// The app on <paramref name="provider"/>. On PostgreSQL it runs on a fresh database of its own (cloned from a migrated
    /// template, dropped on dispose; see <see cref="PostgresServer"/>) and the test skips or fails when no server is
    /// configured. The data folder is there on both (keys, attachments, backups).
    /// </summary>
    public TestApp(DatabaseProvider provider, bool realPort = false)
        : this(provider, realPort, postgresConnectionString: null)
    {
    }

    private TestApp(DatabaseProvider provider, bool realPort, string? postgresConnectionString)
    {
        Provider = provider;
        if (provider == DatabaseProvider.Postgres)
        {
            if (postgresConnectionString is null)
            {
                // The constructor is synchronous (tests write `new TestApp(provider)`): off the test's synchronization context.
                postgresDatabase = Task.Run(() => PostgresServer.CreateDatabaseAsync()).GetAwaiter().GetResult();
                postgresConnectionString = PostgresServer.ConnectionStringFor(postgresDatabase);
            }

            PostgresConnectionString = postgresConnectionString;
        }

        DataDirectory = Path.Combine(Path.GetTempPath(), "et-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        if (realPort)
        {
            UseKestrel(0);
            Clock = new RunningClock(Time.GetUtcNow());
        }
        else
        {
            Clock = Time;
        }
    }

    /// <summary>
    /// The clock the app runs on. In-process it is <see cref="Time"/>, which tests advance by hand. On a real port
    /// (browser tests) it starts at the same instant but runs, so timers fire: MudBlazor's snackbars and transitions
    /// take their timers from the app's TimeProvider and would otherwise freeze half-way.
    /// </summary>
    public TimeProvider Clock { get; }

    public string DataDirectory { get; }

    public DatabaseProvider Provider { get; }

    /// <summary>On PostgreSQL, the connection string of this app's own database; null on SQLite.</summary>
    public string? PostgresConnectionString { get; }

    /// <summary>An app on an existing PostgreSQL database, which it keeps on dispose (the template is built this way).</summary>
    internal static TestApp OnPostgresDatabase(string connectionString) => new(DatabaseProvider.Postgres, realPort: false, connectionString);

    /// <summary>
    /// Starts the app on a free loopback port (Kestrel, not the in-memory test server) and returns it; its
    /// <see cref="LiveAddress"/> is e.g. http://127.0.0.1:34289/. Configure (With, Time) in <paramref name="configure"/>.
    /// </summary>
    public static TestApp StartLive(Action<TestApp>? configure = null) => StartLive(DatabaseProvider.Sqlite, configure);

    /// <inheritdoc cref="StartLive(Action{TestApp}?)"/>
    public static TestApp StartLive(DatabaseProvider provider, Action<TestApp>? configure = null)
    {
        var app = new TestApp(provider, realPort: true);
        configure?.Invoke(app);
        app.StartServer();
        return app;
    }

    /// <summary>The real http://127.0.0.1:port/ address once the server has started.</summary>
    public Uri LiveAddress => ClientOptions.BaseAddress;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 15, 10, 0, 0, TimeSpan.Zero));

    /// <summary>Extra configuration, set before the first request.</summary>
    public TestApp With(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        if (Provider == DatabaseProvider.Postgres)
        {
            builder.UseSetting("Database:Provider", nameof(DatabaseProvider.Postgres));
            builder.UseSetting("ConnectionStrings:Postgres", PostgresConnectionString);
        }

        // No Quartz scheduler unless a test asks for one with With("Jobs:Enabled", "true"): ticks are run by hand.
        builder.UseSetting("Jobs:Enabled", "false");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(Clock);
        });
    }

    /// <summary>A scope bound to a household, as a request or circuit of that member would be.</summary>
    public AsyncServiceScope ScopeFor(long householdId, long? memberId = null, MemberRole role = MemberRole.Owner, string? userId = null)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HouseholdScope>().Set(householdId, memberId, userId, role);
        return scope;
    }

    /// <summary>Creates a user with their own household, exactly as registration does.</summary>
    public async Task<(AppUser User, Household Household, long MemberId)> CreateUserWithHouseholdAsync(
        string email, string currency = "EUR", string password = "correct horse battery staple", string culture = "en-US")
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = Clock.GetUtcNow().UtcDateTime };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        var provisioning = scope.ServiceProvider.GetRequiredService<HouseholdProvisioning>();
        var household = await provisioning.CreateAsync(user, new NewHousehold(email + "'s household", currency, "Europe/Berlin", culture, email.Split('@')[0]));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        scope.ServiceProvider.GetRequiredService<HouseholdScope>().Set(household.Id);
        var memberId = db.Members.Where(m => m.UserId == user.Id).Select(m => m.Id).Single();
        return (user, household, memberId);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (postgresDatabase is not null)
        {
            await PostgresServer.DropDatabaseAsync(postgresDatabase);
        }
        else if (Provider == DatabaseProvider.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the temp folder is cleaned by the OS.
        }
    }
}

/// <summary>The wall clock shifted to start at a fixed instant; timers are the system's.</summary>
internal sealed class RunningClock(DateTimeOffset start) : TimeProvider
{
    private readonly DateTimeOffset startedAt = TimeProvider.System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => start + (TimeProvider.System.GetUtcNow() - startedAt);
}
