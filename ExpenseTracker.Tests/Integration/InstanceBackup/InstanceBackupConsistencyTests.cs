using ExpenseTracker.Web.Features.InstanceBackup;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.InstanceBackup;

/// <summary>Backups taken while another connection keeps writing are consistent snapshots: intact, and no transaction half in.</summary>
public sealed class InstanceBackupConsistencyTests : IDisposable
{
    private readonly InstanceFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task BackupsTakenDuringWritesPassTheIntegrityCheckAndHoldWholeTransactionsOnly()
    {
        await using var app = folder.StartApp();
        await app.CreateUserWithHouseholdAsync("ana@example.com");
        var backups = app.Services.GetRequiredService<InstanceBackupService>();
        using (var setup = new SqliteConnection(folder.Storage.ConnectionString))
        {
            setup.Open();
            using var create = setup.CreateCommand();
            create.CommandText = "CREATE TABLE WriteProbe (Id INTEGER PRIMARY KEY, Pair INTEGER NOT NULL, Filler TEXT NOT NULL)";
            create.ExecuteNonQuery();
        }

        // Each transaction writes a pair of rows: a consistent snapshot never holds an odd number.
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            await using var connection = new SqliteConnection(folder.Storage.ConnectionString);
            await connection.OpenAsync();
            for (var pair = 0; !stop.IsCancellationRequested; pair++)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO WriteProbe (Pair, Filler) VALUES ($p, randomblob(2000)), ($p, randomblob(2000))";
                insert.Parameters.AddWithValue("$p", pair);
                await insert.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                Interlocked.Increment(ref written);
            }
        });

        var counts = new List<long>();
        try
        {
            while (Volatile.Read(ref written) < 20)
            {
                await Task.Delay(10);
            }

            for (var i = 0; i < 3; i++)
            {
                var result = await backups.CreateAsync();
                var staging = Path.Combine(folder.Storage.DataDirectory, "check-" + i);
                await InstanceRestore.UnpackVerifiedAsync(result.Path, staging); // checksums, integrity_check, known schema
                var database = Path.Combine(staging, InstanceBackupManifest.DatabaseEntry);
                counts.Add(InstanceFolder.Count(database, "SELECT COUNT(*) FROM WriteProbe"));
                Assert.Equal(0, InstanceFolder.Count(database, "SELECT COUNT(*) FROM (SELECT Pair FROM WriteProbe GROUP BY Pair HAVING COUNT(*) <> 2)"));
                Assert.Equal(1, InstanceFolder.Count(database, "SELECT COUNT(*) FROM AspNetUsers"));
                app.Time.Advance(TimeSpan.FromDays(1)); // one per day: retention keeps only the newest of a day
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        Assert.All(counts, c => Assert.Equal(0, c % 2));
        Assert.True(counts[0] >= 40, $"The first backup should hold the 20 pairs written before it, not {counts[0]} rows.");
        Assert.Equal(3, Directory.GetFiles(folder.Storage.BackupDirectory, "instance-*.zip").Length);
    }
}
