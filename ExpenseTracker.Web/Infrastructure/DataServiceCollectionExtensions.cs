using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Live;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Infrastructure;

public static class DataServiceCollectionExtensions
{
    /// <summary>The data folder, the Data Protection keys (in it on SQLite, in the database on PostgreSQL), and the clock.</summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var storage = StorageOptions.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(storage);
        var database = DatabaseOptions.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(database);
        builder.Services.TryAddSingletonTimeProvider();
        var protection = builder.Services.AddDataProtection().SetApplicationName("ExpenseTracker");
        if (database.IsPostgres)
        {
            // One key ring for every instance (a cookie or token protected by one is read by the others), in the
            // DataProtectionKeys table: not household-owned, so no query filter applies to the scope-less context that reads it.
            protection.PersistKeysToDbContext<AppDbContext>();
        }
        else
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(storage.KeysDirectory));
        }

        return builder;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    /// <summary>
    /// EF Core over SQLite. The context factory is scoped (not the default singleton) so every context it makes
    /// sees this request's or circuit's <see cref="HouseholdScope"/>.
    /// </summary>
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<HouseholdScope>();
        builder.Services.AddScoped<CurrentHousehold>();
        builder.Services.AddSingleton<ChangeLogInterceptor>();
        builder.Services.AddSingleton<SqliteWriteGate>();
        builder.Services.AddSingleton<SqliteWriteGateInterceptor>();
        builder.Services.AddSingleton<SqliteWriteGateCommandInterceptor>();
        builder.Services.AddLiveUpdates();
        builder.Services.AddDbContextFactory<AppDbContext>((services, options) =>
        {
            var database = services.GetRequiredService<DatabaseOptions>();
            if (database.IsPostgres)
            {
                UsePostgres(options, database.PostgresConnectionString!)
                    .AddInterceptors(services.GetRequiredService<ChangeLogInterceptor>(), services.GetRequiredService<HouseholdChangeInterceptor>());
                return;
            }

            var storage = services.GetRequiredService<StorageOptions>();
            UseSqlite(options, storage.ConnectionString)
                .AddInterceptors(services.GetRequiredService<ChangeLogInterceptor>(), SqlitePragmaInterceptor.From(services.GetRequiredService<IConfiguration>()), services.GetRequiredService<HouseholdChangeInterceptor>(),
                    services.GetRequiredService<SqliteWriteGateInterceptor>(), services.GetRequiredService<SqliteWriteGateCommandInterceptor>());
        }, ServiceLifetime.Scoped);
        return builder;
    }

    /// <summary>SQLite with this app's migrations (Data/Migrations).</summary>
    public static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseSqlite(connectionString)
            .ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly, ProviderMigrationsAssembly>();
    }

    /// <summary>
    /// PostgreSQL with its own migrations (Data/Migrations/Postgres). Transient failures (a restarted server, a dropped
    /// connection) are not retried by EF: the app's own transactions are explicit, which EF's retrying strategy refuses.
    /// </summary>
    public static DbContextOptionsBuilder UsePostgres(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseNpgsql(connectionString)
            .ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly, ProviderMigrationsAssembly>();
    }
}
