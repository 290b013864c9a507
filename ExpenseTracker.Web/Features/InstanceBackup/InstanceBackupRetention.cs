using System.Globalization;
using System.Text.RegularExpressions;

namespace ExpenseTracker.Web.Features.InstanceBackup;

/// <summary>An instance backup file in <c>backups/</c> and the UTC instant in its name.</summary>
public sealed record InstanceBackupFile(string Name, DateTime TakenUtc);

/// <summary>
/// Which instance backups to keep, restic-style: the newest backup of each of the <c>daily</c> most recent days that have
/// one, and the newest of each of the <c>weekly</c> most recent ISO weeks that have one (days and weeks in UTC, as the
/// names are). Everything else matching the instance pattern goes; other files — the pre-migration copies
/// <c>expensetracker-*.db</c>, pre-restore copies, a person's own files — are never even considered.
/// </summary>
public static partial class InstanceBackupRetention
{
    public const string Prefix = "instance-";
    public const string Extension = ".zip";
    public const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    [GeneratedRegex(@"^instance-(?<stamp>\d{8}T\d{6}Z)(-(?<n>\d{1,4}))?\.zip$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public static string FileName(DateTime takenUtc, int sequence = 0) =>
        Prefix + takenUtc.ToString(StampFormat, CultureInfo.InvariantCulture)
        + (sequence == 0 ? string.Empty : "-" + sequence.ToString(CultureInfo.InvariantCulture)) + Extension;

    public static InstanceBackupFile? Parse(string fileName)
    {
        var match = NamePattern().Match(fileName);
        if (!match.Success || !DateTime.TryParseExact(match.Groups["stamp"].Value, StampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var taken))
        {
            return null;
        }

        // Same second: the sequence number orders them.
        var sequence = match.Groups["n"].Success ? int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : 0;
        return new InstanceBackupFile(fileName, DateTime.SpecifyKind(taken.AddTicks(sequence), DateTimeKind.Utc));
    }

    /// <summary>The files of <paramref name="fileNames"/> to delete; names that are not instance backups are never in it.</summary>
    public static IReadOnlyList<string> ToDelete(IEnumerable<string> fileNames, int daily, int weekly)
    {
        var backups = fileNames.Select(Parse).OfType<InstanceBackupFile>()
            .OrderByDescending(b => b.TakenUtc).ThenByDescending(b => b.Name, StringComparer.Ordinal).ToList();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        KeepNewestPer(backups, b => DateOnly.FromDateTime(b.TakenUtc), daily, keep);
        KeepNewestPer(backups, b => (ISOWeek.GetYear(b.TakenUtc), ISOWeek.GetWeekOfYear(b.TakenUtc)), weekly, keep);
        return backups.Where(b => !keep.Contains(b.Name)).Select(b => b.Name).ToList();
    }

    /// <summary>Newest first in, so the first of each period is its newest.</summary>
    private static void KeepNewestPer<TPeriod>(List<InstanceBackupFile> newestFirst, Func<InstanceBackupFile, TPeriod> period, int count, HashSet<string> keep)
    {
        foreach (var newest in newestFirst.GroupBy(period).Take(count).Select(g => g.First()))
        {
            keep.Add(newest.Name);
        }
    }
}
