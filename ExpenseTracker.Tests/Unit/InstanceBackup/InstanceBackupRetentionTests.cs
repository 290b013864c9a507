using ExpenseTracker.Web.Features.InstanceBackup;

namespace ExpenseTracker.Tests.Unit.InstanceBackup;

public sealed class InstanceBackupRetentionTests
{
    private static string At(int year, int month, int day, int hour = 3, int sequence = 0) =>
        InstanceBackupRetention.FileName(new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Utc), sequence);

    private static IReadOnlyList<string> Kept(IReadOnlyList<string> names, int daily = 7, int weekly = 4) =>
        names.Except(InstanceBackupRetention.ToDelete(names, daily, weekly)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void AMonthOfNightlyBackupsKeepsTheLastSevenDaysAndTheNewestOfEachOfTheLastFourIsoWeeks()
    {
        // 1–30 October 2026; the 30th is a Friday of ISO week 44 (26 Oct – 1 Nov).
        var names = Enumerable.Range(1, 30).Select(d => At(2026, 10, d)).ToList();

        var kept = Kept(names);

        // Days 24–30; weeks 44 (30th) and 43 (Sun 25th) are among them; week 42 adds Sunday the 18th, week 41 Sunday the 11th.
        string[] expected = [At(2026, 10, 11), At(2026, 10, 18), .. Enumerable.Range(24, 7).Select(d => At(2026, 10, d))];
        Assert.Equal(expected.Order(StringComparer.Ordinal), kept);
        Assert.Equal(21, InstanceBackupRetention.ToDelete(names, 7, 4).Count);
    }

    [Fact]
    public void IsoWeeksRunAcrossTheTurnOfTheYear()
    {
        // 2026 has 53 ISO weeks: week 53 runs Monday 28 December 2026 to Sunday 3 January 2027.
        string[] names = [At(2026, 12, 20), At(2026, 12, 27), At(2026, 12, 31), At(2027, 1, 2), At(2027, 1, 5)];

        var kept = Kept(names, daily: 1, weekly: 2);

        Assert.Equal([At(2027, 1, 2), At(2027, 1, 5)], kept);
    }

    [Fact]
    public void OfSeveralBackupsOnOneDayOnlyTheNewestCountsAsThatDays()
    {
        string[] names = [At(2026, 11, 1, hour: 3), At(2026, 11, 1, hour: 14), At(2026, 11, 1, hour: 14, sequence: 1), At(2026, 11, 2, hour: 3)];

        var kept = Kept(names, daily: 2, weekly: 0);

        Assert.Equal([At(2026, 11, 1, hour: 14, sequence: 1), At(2026, 11, 2, hour: 3)], kept);
    }

    [Fact]
    public void FewerBackupsThanTheLimitsAreAllKept()
    {
        string[] names = [At(2026, 11, 1), At(2026, 11, 9), At(2026, 11, 20)];

        Assert.Empty(InstanceBackupRetention.ToDelete(names, 7, 4));
    }

    [Fact]
    public void PreMigrationCopiesPreRestoreCopiesPartialsAndOtherFilesAreNeverDeleted()
    {
        string[] others =
        [
            "expensetracker-20261001-030000-000.db", "pre-restore-20261001T030000Z.db", ".instance-20261001T030000Z.zip.partial",
            "instance-20261001.zip", "instance-20261001T030000Z.zip.bak", "notes.txt", "household-backup.zip",
        ];
        var backups = Enumerable.Range(1, 30).Select(d => At(2026, 10, d)).ToList();

        var deleted = InstanceBackupRetention.ToDelete([.. others, .. backups], 1, 0);

        Assert.Equal(29, deleted.Count);
        Assert.DoesNotContain(deleted, others.Contains);
        Assert.Equal(At(2026, 10, 30), Assert.Single(backups.Except(deleted)));
    }

    [Theory]
    [InlineData("instance-20261127T030000Z.zip", "2026-11-27T03:00:00")]
    [InlineData("instance-20261127T030000Z-2.zip", "2026-11-27T03:00:00")]
    public void NamesCarryTheUtcInstant(string name, string expected)
    {
        var file = InstanceBackupRetention.Parse(name);

        Assert.NotNull(file);
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), file.TakenUtc, TimeSpan.FromMilliseconds(1));
        Assert.Equal(DateTimeKind.Utc, file.TakenUtc.Kind);
    }
}
