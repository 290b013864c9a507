using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ExpenseTracker.Web.Data;

/// <summary>
/// Used by `dotnet ef` only; the app builds its context in AddData(). SQLite by default; PostgreSQL's migrations with
/// `dotnet ef migrations add NAME -o Data/Migrations/Postgres -- --provider Postgres`.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var postgres = args.SkipWhile(a => a != "--provider").Skip(1).FirstOrDefault() is { } provider
            && string.Equals(provider, nameof(DatabaseProvider.Postgres), StringComparison.OrdinalIgnoreCase);
        // As at run time, where the Identity UI limits login and token keys to 128 characters (a varchar(128) on
        // PostgreSQL; SQLite's TEXT has no length, so its migrations never noticed).
        var services = new ServiceCollection().Configure<IdentityOptions>(o => o.Stores.MaxLengthForKeys = 128).BuildServiceProvider();
        var options = new DbContextOptionsBuilder<AppDbContext>().UseApplicationServiceProvider(services);
        if (postgres)
        {
            DataServiceCollectionExtensions.UsePostgres(options, "Host=127.0.0.1;Database=design_time");
        }
        else
        {
            DataServiceCollectionExtensions.UseSqlite(options, "Data Source=design-time.db");
        }

        return new AppDbContext(options.Options, new HouseholdScope());
    }
}
