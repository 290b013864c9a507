using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ExpenseTracker.Web.Features.Backup;

/// <summary>
/// A household backup is a zip: one JSON array per table (<see cref="Tables"/>, each row the entity's scalar columns with
/// its original ids) and <c>manifest.json</c> last, with the format version, app version, time, household and a SHA-256
/// and row count per table file. Restore checks the manifest and every checksum before it touches the database.
/// </summary>
public static class BackupFormat
{
    public const string Kind = "expensetracker-household-backup";

    /// <summary>Bump when a file changes shape; restore refuses files with a higher number.</summary>
    public const int Version = 4;

    public const string ManifestEntry = "manifest.json";
    public const string ContentType = "application/zip";

    /// <summary>The table files in dependency order: a row refers only to rows of the files before it.</summary>
    public static readonly IReadOnlyList<string> Tables =
    [
        "household", "members", "accounts", "categories", "payees", "tags", "bills", "importBatches", "transactions", "transactionLines",
        "transactionTags", "memberShares", "budgets", "budgetAmounts", "categoryRules", "importProfiles", "importKeys",
        "notificationSettings", "notificationPreferences", "savedSearches", "attachments",
    ];

    public static string EntryName(string table) => table + ".json";

    /// <summary>
    /// The bytes of one attachment, by its id in the backup. Not listed in the manifest: the attachment's row carries the
    /// file's SHA-256 and size, and restore checks both.
    /// </summary>
    public static string FileEntry(long attachmentId) => "files/" + attachmentId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The format version that added each table after version 1 (bills came in 2, notification choices and saved searches in 3, attachments with their files in 4); older files lack them.</summary>
    private static readonly Dictionary<string, int> AddedIn = new(StringComparer.Ordinal)
    {
        ["bills"] = 2,
        ["notificationSettings"] = 3,
        ["notificationPreferences"] = 3,
        ["savedSearches"] = 3,
        ["attachments"] = 4,
    };

    /// <summary>
    /// Household-owned tables a backup leaves out, with why: delivery state and device-bound data, not the household's.
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, string> NotBackedUp = new Dictionary<Type, string>
    {
        [typeof(Data.Invitation)] = "pending invitations are links sent to people; they are re-sent, not restored",
        [typeof(Data.OutboxMessage)] = "delivery state of messages already produced",
        [typeof(Data.Notification)] = "in-app notifications about the old household's rows",
        [typeof(Data.PushSubscription)] = "bound to one browser on one device; members subscribe again",
        [typeof(Data.PersonalAccessToken)] = "secrets bound to the old household's members; members create new tokens",
        [typeof(Data.BankConnection)] = "the bank's access secret is encrypted with this instance's keys; members reconnect",
        [typeof(Data.BankAccountLink)] = "belongs to a bank connection, which is not restored",
    };

    /// <summary>Whether a file of <paramref name="formatVersion"/> must contain <paramref name="table"/>.</summary>
    public static bool Holds(string table, int formatVersion) => AddedIn.GetValueOrDefault(table, 1) <= formatVersion;

    /// <summary>
    /// Entities as JSON with their scalar properties only (navigations dropped), enums by name, so a column added to the
    /// model is backed up without touching this code.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { KeepScalarsOnly } },
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    private static void KeepScalarsOnly(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Namespace != typeof(Data.Household).Namespace)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (!IsScalar(info.Properties[i].PropertyType))
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
            || type == typeof(DateOnly) || type == typeof(DateTimeOffset) || type == typeof(Guid);
    }
}

public sealed record BackupManifest(
    string Format,
    int FormatVersion,
    string AppVersion,
    DateTime CreatedAt,
    long HouseholdId,
    string HouseholdName,
    IReadOnlyList<BackupEntry> Entries);

public sealed record BackupEntry(string Name, long Rows, string Sha256);

/// <summary>A backup file that restore refuses; the message says why, for the person who uploaded it.</summary>
public sealed class BackupRejectedException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record RestoreResult(string HouseholdName, IReadOnlyDictionary<string, long> Rows);
