using System.Reflection;
using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExpenseTracker.Web.Infrastructure;

/// <summary>
/// Both providers' migrations live in this assembly, generated from the same model: SQLite's in Data/Migrations,
/// PostgreSQL's in Data/Migrations/Postgres. EF would see both sets as one (it matches migrations by context type only),
/// so this picks the set of the context's provider by namespace — for the app and for `dotnet ef` alike.
/// </summary>
public sealed class ProviderMigrationsAssembly : IMigrationsAssembly
{
    public const string SqliteNamespace = "ExpenseTracker.Web.Data.Migrations";
    public const string PostgresNamespace = "ExpenseTracker.Web.Data.Migrations.Postgres";

    private readonly IMigrationsIdGenerator idGenerator;
    private readonly Lazy<IReadOnlyDictionary<string, TypeInfo>> migrations;
    private readonly Lazy<ModelSnapshot?> snapshot;

    public ProviderMigrationsAssembly(ICurrentDbContext currentContext, IMigrationsIdGenerator idGenerator)
    {
        ArgumentNullException.ThrowIfNull(currentContext);
        this.idGenerator = idGenerator;
        var contextType = currentContext.Context.GetType();
        var space = currentContext.Context.Database.IsNpgsql() ? PostgresNamespace : SqliteNamespace;
        var types = Assembly.DefinedTypes
            .Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition && string.Equals(t.Namespace, space, StringComparison.Ordinal) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == contextType)
            .ToList();
        migrations = new(() => types
            .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<MigrationAttribute>() is not null)
            .Select(t => (Id: t.GetCustomAttribute<MigrationAttribute>()!.Id, Type: t))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToDictionary(m => m.Id, m => m.Type, StringComparer.Ordinal));
        snapshot = new(() => types
            .Where(t => t.IsSubclassOf(typeof(ModelSnapshot)))
            .Select(t => (ModelSnapshot)Activator.CreateInstance(t.AsType())!)
            .FirstOrDefault());
    }

    public IReadOnlyDictionary<string, TypeInfo> Migrations => migrations.Value;

    public ModelSnapshot? ModelSnapshot => snapshot.Value;

    public Assembly Assembly => typeof(AppDbContext).Assembly;

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.FirstOrDefault(id => string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(idGenerator.GetName(id), nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        ArgumentNullException.ThrowIfNull(migrationClass);
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }
}
