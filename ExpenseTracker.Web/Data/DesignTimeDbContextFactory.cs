using ExpenseTracker.Web.Infrastructure;
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
        var options = new DbContextOptionsBuilder<AppDbContext>();
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
