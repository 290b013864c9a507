using System.Diagnostics;
using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Features.Import.Rules;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `import`: a generated 50,000-row bank CSV imported end to end (read, plan: keys, duplicates against what the account
/// has, near-duplicates and transfers against 250,000 existing transactions, category suggestions; commit in one
/// transaction) into the demo household grown to 250,000 transactions, beside a raw prepared-statement insert of the
/// same rows (transactions, lines, import keys, a batch) into a copy of the same database. Every timed run starts from
/// a fresh copy of the cached database (/tmp/et-bench-cache/import-v{Version}), so both sides do the same work.
/// </summary>
internal static class ImportBenchmark
{
    private const int Version = 2;
    private const int Existing = 250_000;
    private const int Rows = 50_000;

    private static readonly string[] Payees =
        ["Fresh Market", "Corner Grocer", "Café Olé", "Pizza Napoli", "City Transit", "Shell", "Green Cross Pharmacy", "Toy Planet",
         "Cineplex", "Amazing Online", "Style Store", "Rail Express", "Gift Boutique", "HardwarePro", "Post Office", "New Place"];

    private static string CacheDirectory =>
        Path.Combine(Path.GetTempPath(), "et-bench-cache", string.Create(CultureInfo.InvariantCulture, $"import-v{Version}"));

    public static async Task RunAsync(int iterations)
    {
        await EnsureCacheAsync();
        var csv = GenerateCsv();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Rows:N0}-row CSV ({csv.Length / 1024.0 / 1024.0:0.0} MB) into a household of {Existing:N0} transactions."));

        await PrintStagesAsync(csv);
        var runs = Math.Clamp(iterations, 1, 5);
        var endToEnd = new List<double>();
        var raw = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            // The first pair warms up (JIT, file cache) and is not counted.
            var (serviceMs, added) = await TimeServiceAsync(csv);
            var rawMs = await TimeRawAsync(csv);
            if (i > 0)
            {
                endToEnd.Add(serviceMs);
                raw.Add(rawMs);
            }

            if (added != Rows)
            {
                throw new InvalidOperationException($"The import added {added} rows, not {Rows}.");
            }
        }

        var median = BenchmarkProgram.Median(endToEnd);
        var rawMedian = BenchmarkProgram.Median(raw);
        using var self = Process.GetCurrentProcess();
        BenchmarkProgram.Report("import", "rows", Rows, "count");
        BenchmarkProgram.Report("import", "existing_transactions", Existing, "count");
        BenchmarkProgram.Report("import", "raw_insert_ms", rawMedian, "ms");
        BenchmarkProgram.Report("import", "end_to_end_ms", median, "ms");
        BenchmarkProgram.Report("import", "ratio_to_raw_insert", median / rawMedian, "x");
        BenchmarkProgram.Report("import", "peak_rss_mb", self.PeakWorkingSet64 / 1024.0 / 1024.0, "MB");
    }

    private static async Task<(double Ms, int Added)> TimeServiceAsync(byte[] csv)
    {
        await using var host = await BenchHost.CreateAsync(FreshCopy(), keep: false);
        var household = await host.DemoHouseholdAsync();
        await using var scope = host.ScopeFor(household);
        var services = scope.ServiceProvider;
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var householdScope = services.GetRequiredService<HouseholdScope>();
        var service = new ImportService(dbFactory, householdScope, TimeProvider.System, new RuleCategorySuggester(dbFactory, householdScope),
            services.GetRequiredService<IHouseholdChangePublisher>(), Options.Create(new ImportOptions()));
        var account = await CheckingAsync(services.GetRequiredService<AppDbContext>());
        var request = new ImportRequest("bench.csv", csv, ReaderOptions.Default) { AccountId = account };

        var started = Stopwatch.GetTimestamp();
        var stages = new StageClock(started);
        var result = await service.CommitAsync(request, new ImportChoices(), stages);
        var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  import {total:0} ms: read and check {stages.SavingStartedMs:0} ms, save {total - stages.SavingStartedMs:0} ms"));
        return (total, result.Added);
    }

    /// <summary>
    /// The floor: the same rows, already parsed and resolved, through prepared INSERTs in one transaction, with the same
    /// connection settings and date order the import uses.
    /// </summary>
    private static async Task<double> TimeRawAsync(byte[] csv)
    {
        await using var host = await BenchHost.CreateAsync(FreshCopy(), keep: false);
        var household = await host.DemoHouseholdAsync();
        long account, member, other;
        Dictionary<string, long> payees;
        await using (var scope = host.ScopeFor(household))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            account = await CheckingAsync(db);
            member = scope.ServiceProvider.GetRequiredService<HouseholdScope>().MemberId!.Value;
            other = await db.Categories.Where(c => c.Name == "Other").Select(c => c.Id).SingleAsync();
            payees = await db.Payees.ToDictionaryAsync(p => p.Key, p => p.Id, StringComparer.Ordinal);
        }

        var rows = StatementReaders.Read(csv, "bench.csv", ReaderOptions.Default).AllEntries.OrderBy(e => e.Date).ToList();
        await using var connection = new SqliteConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;";
            await pragma.ExecuteNonQueryAsync();
        }

        var started = Stopwatch.GetTimestamp();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var now = DateTime.UtcNow;
        var batch = Prepared(connection, transaction, """
            INSERT INTO "ImportBatches" ("HouseholdId", "AccountId", "FileName", "Format", "CreatedByMemberId", "CreatedAt", "RowCount", "DuplicateCount")
            VALUES ($h, $a, 'bench.csv', 'CSV', $m, $now, 0, 0) RETURNING "Id"
            """, "$h", "$a", "$m", "$now");
        (batch.Parameters["$h"].Value, batch.Parameters["$a"].Value, batch.Parameters["$m"].Value, batch.Parameters["$now"].Value) = (household.Id, account, member, now);
        var batchId = (long)(await batch.ExecuteScalarAsync())!;
        var insert = Prepared(connection, transaction, """
            INSERT INTO "Transactions" ("HouseholdId", "Kind", "AmountMinor", "Currency", "Date", "PayeeId", "Notes", "NotesKey", "AccountId",
                "PaidByMemberId", "Source", "ImportBatchId", "CreatedAt", "CreatedByMemberId", "UpdatedAt", "UpdatedByMemberId", "Version", "IsPrivate")
            VALUES ($h, $kind, $amount, $currency, $date, $payee, $notes, $notesKey, $account, $m, 1, $batch, $now, $m, $now, $m, 1, 0) RETURNING "Id"
            """, "$h", "$kind", "$amount", "$currency", "$date", "$payee", "$notes", "$notesKey", "$account", "$m", "$batch", "$now");
        insert.Parameters["$currency"].Value = household.BaseCurrency;
        var line = Prepared(connection, transaction, """
            INSERT INTO "TransactionLines" ("HouseholdId", "TransactionId", "CategoryId", "AmountMinor") VALUES ($h, $t, $c, $a)
            """, "$h", "$t", "$c", "$a");
        var key = Prepared(connection, transaction, """
            INSERT INTO "ImportKeys" ("HouseholdId", "AccountId", "Key", "ImportBatchId", "TransactionId") VALUES ($h, $a, $k, $b, $t)
            """, "$h", "$a", "$k", "$b", "$t");
        (insert.Parameters["$h"].Value, insert.Parameters["$account"].Value, insert.Parameters["$m"].Value, insert.Parameters["$batch"].Value, insert.Parameters["$now"].Value)
            = (household.Id, account, member, batchId, now);
        (line.Parameters["$h"].Value, line.Parameters["$c"].Value) = (household.Id, other);
        (key.Parameters["$h"].Value, key.Parameters["$a"].Value, key.Parameters["$b"].Value) = (household.Id, account, batchId);
        var n = 0;
        foreach (var row in rows)
        {
            var amount = Money.ToMinor(row.Amount, household.BaseCurrency);
            insert.Parameters["$kind"].Value = amount < 0 ? 0 : 2;
            insert.Parameters["$amount"].Value = Math.Abs(amount);
            insert.Parameters["$date"].Value = row.Date;
            insert.Parameters["$payee"].Value = payees.TryGetValue(TextKey.Fold(row.Payee), out var payee) ? payee : DBNull.Value;
            insert.Parameters["$notes"].Value = (object?)row.Memo ?? DBNull.Value;
            insert.Parameters["$notesKey"].Value = (object?)row.Memo ?? DBNull.Value;
            var id = (long)(await insert.ExecuteScalarAsync())!;
            if (amount < 0)
            {
                line.Parameters["$t"].Value = id;
                line.Parameters["$a"].Value = -amount;
                await line.ExecuteNonQueryAsync();
            }

            key.Parameters["$k"].Value = string.Create(CultureInfo.InvariantCulture, $"fp:{row.Date:yyyy-MM-dd}|{amount}|{row.Payee}#{++n}");
            key.Parameters["$t"].Value = id;
            await key.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  raw insert {elapsed:0} ms"));
        return elapsed;
    }

    /// <summary>Where "read and check" goes: the readers, the suggester, and loading the window of existing transactions.</summary>
    private static async Task PrintStagesAsync(byte[] csv)
    {
        await using var host = await BenchHost.CreateAsync(FreshCopy(), keep: false);
        await using var scope = host.ScopeFor(await host.DemoHouseholdAsync());
        var services = scope.ServiceProvider;
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        for (var round = 0; round < 2; round++)
        {
            var started = Stopwatch.GetTimestamp();
            var entries = StatementReaders.Read(csv, "bench.csv", ReaderOptions.Default).AllEntries.ToList();
            var readMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            started = Stopwatch.GetTimestamp();
            await new RuleCategorySuggester(dbFactory, services.GetRequiredService<HouseholdScope>())
                .SuggestAsync([.. entries.Select(e => new CategorizeInput(e.Payee, e.Memo, Money.ToMinor(e.Amount, "EUR")))]);
            var suggestMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            started = Stopwatch.GetTimestamp();
            await using var db = await dbFactory.CreateDbContextAsync();
            var from = entries.Min(e => e.Date).AddDays(-3);
            var window = await db.Transactions.AsNoTracking().Where(t => t.Date >= from)
                .Select(t => new { t.Id, t.Kind, t.AmountMinor, t.Date, t.AccountId, t.ToAccountId, t.PayeeId, t.Source }).ToListAsync();
            var windowMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  stages: read {readMs:0} ms, suggest {suggestMs:0} ms, load {window.Count:N0} existing in the window {windowMs:0} ms"));
        }
    }

    /// <summary>When the writer started saving (progress is reported on the writer's thread).</summary>
    private sealed class StageClock(long started) : IProgress<ImportProgress>
    {
        public double SavingStartedMs { get; private set; }

        public void Report(ImportProgress value)
        {
            if (value.Stage == "Saving" && SavingStartedMs == 0)
            {
                SavingStartedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }
    }

    private static SqliteCommand Prepared(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    private static Task<long> CheckingAsync(AppDbContext db) =>
        db.Accounts.Where(a => a.Kind == AccountKind.Checking).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();

    /// <summary>Dates over the last two years (overlapping the history), the demo's payees (so history suggests), cents.</summary>
    private static byte[] GenerateCsv()
    {
        var random = new Random(50_000);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var text = new StringBuilder("Date,Amount,Payee,Memo\n");
        for (var i = 0; i < Rows; i++)
        {
            var date = today.AddDays(-random.Next(730));
            var amount = random.Next(100, 20_000) / 100m * (random.Next(20) == 0 ? 1 : -1);
            text.Append(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd},{amount:0.00},{Payees[random.Next(Payees.Length)]},card {i}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string FreshCopy()
    {
        var target = Path.Combine(Path.GetTempPath(), "et-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(CacheDirectory, "expensetracker.db*"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    /// <summary>The demo household grown to 250,000 transactions with more generated histories, built once.</summary>
    private static async Task EnsureCacheAsync()
    {
        var marker = Path.Combine(CacheDirectory, "complete");
        if (File.Exists(marker))
        {
            // The data is built once; a newer schema is applied in place, as the app upgrades a real database.
            await using (var host = await BenchHost.CreateAsync(CacheDirectory, keep: true))
            {
                await using var scope = host.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
            }

            var backups = Path.Combine(CacheDirectory, "backups");
            if (Directory.Exists(backups))
            {
                Directory.Delete(backups, recursive: true);
            }

            Console.WriteLine($"Reusing the import benchmark database in {CacheDirectory}.");
            return;
        }

        if (Directory.Exists(CacheDirectory))
        {
            Directory.Delete(CacheDirectory, recursive: true);
        }

        var started = Stopwatch.GetTimestamp();
        await using (var host = await BenchHost.CreateAsync(CacheDirectory, keep: true))
        {
            await DemoSeeder.SeedOnceAsync(host.Services, TextWriter.Null);
            var household = await host.DemoHouseholdAsync();
            await using var scope = host.ScopeFor(household);
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var categories = await db.Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);
            var accounts = await db.Accounts.ToDictionaryAsync(
                a => a.Kind switch { AccountKind.Checking => DemoAccount.JointChecking, AccountKind.CreditCard => DemoAccount.Visa, _ => DemoAccount.Cash },
                a => a.Id);
            var members = await db.Members.OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
            var memberIds = new Dictionary<DemoMember, long> { [DemoMember.Alex] = members[0], [DemoMember.Sam] = members[^1] };
            var today = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(1);
            await using var bulk = DemoDataWriter.CreateBulkContext(db.Database.GetConnectionString()!, db.Scope);
            var have = await db.Transactions.CountAsync();
            for (var seed = 2; have < Existing; seed++)
            {
                var inputs = DemoDataGenerator.Generate(seed, today).Transactions.Take(Existing - have)
                    .Select(t => t.ToInput(categories, accounts, memberIds)).ToList();
                have += await DemoDataWriter.InsertAsync(bulk, inputs, TimeProvider.System);
                bulk.ChangeTracker.Clear();
                Console.Write('.');
            }

            Console.WriteLine();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        await File.WriteAllTextAsync(marker, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Built the import benchmark database in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s."));
    }
}
