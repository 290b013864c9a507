using System.Reflection;
using System.Text.Json;
using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExpenseTracker.Web.Features.InstanceBackup;

/// <summary>One file in the backup zip and the SHA-256 (lower-case hex) of its bytes.</summary>
public sealed record InstanceBackupEntry(string Path, long Size, string Sha256);

/// <summary>
/// <c>manifest.json</c>, the last entry of every instance backup. <see cref="Migration"/> is the newest EF migration applied
/// to the packed database: a restore refuses a backup whose database has a migration this version does not know.
/// </summary>
public sealed record InstanceBackupManifest(
    int Format,
    string AppVersion,
    DateTime CreatedUtc,
    string? Migration,
    IReadOnlyList<InstanceBackupEntry> Entries)
{
    public const int CurrentFormat = 1;
    public const string FileName = "manifest.json";
    public const string DatabaseEntry = "expensetracker.db";
    public const string AttachmentsPrefix = "attachments/";
    public const string KeysPrefix = "keys/";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string CurrentAppVersion =>
        typeof(InstanceBackupManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(InstanceBackupManifest).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The migrations this build carries, read from their attributes as EF does (no database needed).</summary>
    public static IReadOnlySet<string> KnownMigrations { get; } = typeof(AppDbContext).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(AppDbContext))
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal);
}
