using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExpenseTracker.Tests.Unit.Data;

/// <summary>Each provider has its own migrations, generated from the same model, and sees only its own.</summary>
public sealed class ProviderMigrationsTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void Migrations_match_the_model(string provider)
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext(["--provider", provider]);
        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} migrations are behind the model: add one with dotnet ef migrations add.");
    }

    [Fact]
    public void Each_provider_reads_only_its_own_migrations()
    {
        using var sqlite = new DesignTimeDbContextFactory().CreateDbContext([]);
        using var postgres = new DesignTimeDbContextFactory().CreateDbContext(["--provider", "Postgres"]);
        var sqliteSet = sqlite.GetService<IMigrationsAssembly>();
        var postgresSet = postgres.GetService<IMigrationsAssembly>();

        Assert.NotEmpty(sqliteSet.Migrations);
        Assert.NotEmpty(postgresSet.Migrations);
        Assert.All(sqliteSet.Migrations.Values, t => Assert.Equal(ProviderMigrationsAssembly.SqliteNamespace, t.Namespace));
        Assert.All(postgresSet.Migrations.Values, t => Assert.Equal(ProviderMigrationsAssembly.PostgresNamespace, t.Namespace));
        Assert.Equal(ProviderMigrationsAssembly.SqliteNamespace, sqliteSet.ModelSnapshot!.GetType().Namespace);
        Assert.Equal(ProviderMigrationsAssembly.PostgresNamespace, postgresSet.ModelSnapshot!.GetType().Namespace);
        Assert.EndsWith("_Initial", sqliteSet.Migrations.Keys.First(), StringComparison.Ordinal);
        Assert.EndsWith("_Initial", postgresSet.Migrations.Keys.First(), StringComparison.Ordinal);
        Assert.True(sqlite.Database.IsSqlite());
        Assert.True(postgres.Database.IsNpgsql());
    }
}
