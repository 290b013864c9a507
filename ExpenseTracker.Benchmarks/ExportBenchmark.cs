using System.Diagnostics;
using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Export;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `export`: the expense export of a household of exactly 100,000 transactions, through <see cref="ExpenseExport"/> (the
/// code behind /export/expenses.csv and .xlsx) into a file, as CSV and as XLSX; median of the runs, and the peak RSS of the
/// process during the exports (Linux: the high-water mark is reset after the database is built or opened). The CSV time is
/// also printed as a ratio to a raw Microsoft.Data.Sqlite read of the same columns in the same run, which the load on
/// this shared machine affects alike.
/// The database (the demo household plus generated histories) is built once into /tmp/et-bench-cache/export-v{Version}.
/// </summary>
internal static class ExportBenchmark
{
    private const int Version = 1;
    private const int Rows = 100_000;

    private static string CacheDirectory =>
        Path.Combine(Path.GetTempPath(), "et-bench-cache", string.Create(CultureInfo.InvariantCulture, $"export-v{Version}"));

    public static async Task RunAsync(int iterations)
    {
        await using var host = await OpenOrBuildAsync();
        var household = await host.DemoHouseholdAsync();
        await using var scope = host.ScopeFor(household);
        var export = new ExpenseExport(
            scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>(), scope.ServiceProvider.GetRequiredService<HouseholdScope>());
        var runs = Math.Clamp(iterations, 1, 5);
        var path = Path.Combine(Path.GetTempPath(), "et-bench-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Warm-up (JIT, SQLite page cache), checked: every row is there.
            await ToFileAsync(path + ".csv", s => export.WriteCsvAsync(s, new ExpenseFilter()));
            var lines = File.ReadLines(path + ".csv").Count();
            if (lines != Rows + 1)
            {
                throw new InvalidOperationException($"The CSV has {lines} lines, expected {Rows + 1}.");
            }

            await ToFileAsync(path + ".xlsx", s => export.WriteXlsxAsync(s, new ExpenseFilter(), household.BaseCurrency));
            GC.Collect();
            ResetPeakRss();
            var baseline = RssMb("VmRSS:");

            var csv = new List<double>();
            var xlsx = new List<double>();
            var read = new List<double>();
            var raw = new List<double>();
            var csvToNull = new List<double>();
            var rowsOnly = new List<double>();
            var csvOnly = new List<double>();
            var connectionString = scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.GetConnectionString()!;
            for (var i = 0; i < runs; i++)
            {
                raw.Add(await RawReadAsync(connectionString, household.Id));
                csv.Add(await ToFileAsync(path + ".csv", s => export.WriteCsvAsync(s, new ExpenseFilter())));
                csvToNull.Add(await TimeAsync(() => export.WriteCsvAsync(Stream.Null, new ExpenseFilter())));
                xlsx.Add(await ToFileAsync(path + ".xlsx", s => export.WriteXlsxAsync(s, new ExpenseFilter(), household.BaseCurrency)));
                read.Add(await PlainReadAsync(scope.ServiceProvider));
                rowsOnly.Add(await TimeAsync(async () =>
                {
                    var count = 0;
                    await foreach (var row in export.RowsAsync(new ExpenseFilter()))
                    {
                        count += row.Payee is null ? 0 : 1;
                    }
                }));
                csvOnly.Add(CsvHelperOnly());
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Rows:N0} rows; CSV {new FileInfo(path + ".csv").Length / 1024.0 / 1024:0.0} MB, XLSX {new FileInfo(path + ".xlsx").Length / 1024.0 / 1024:0.0} MB; {runs} timed runs each."));
            BenchmarkProgram.Report("export", "csv_100k_ms", Median(csv), "ms");
            BenchmarkProgram.Report("export", "xlsx_100k_ms", Median(xlsx), "ms");
            BenchmarkProgram.Report("export", "peak_rss_mb", RssMb("VmHWM:"), "MB");
            BenchmarkProgram.Report("export", "rss_before_exports_mb", baseline, "MB");

            // A yardstick for this shared machine's load: EF reading the same 100k transactions' columns into a list, nothing else.
            BenchmarkProgram.Report("export", "plain_read_100k_ms", Median(read), "ms");
            BenchmarkProgram.Report("export", "raw_read_100k_ms", Median(raw), "ms");
            BenchmarkProgram.Report("export", "csv_to_null_100k_ms", Median(csvToNull), "ms");
            BenchmarkProgram.Report("export", "csv_ratio_to_raw_read", Median(csv) / Median(raw), "x");

            // Where the CSV time goes: reading the rows (as the XLSX's row objects), and CsvHelper alone on typical fields.
            BenchmarkProgram.Report("export", "rows_only_100k_ms", Median(rowsOnly), "ms");
            BenchmarkProgram.Report("export", "csvhelper_only_100k_ms", Median(csvOnly), "ms");
        }
        finally
        {
            File.Delete(path + ".csv");
            File.Delete(path + ".xlsx");
        }
    }

    private static async Task<double> ToFileAsync(string path, Func<Stream, Task> write)
    {
        var started = Stopwatch.GetTimestamp();
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            await write(file);
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>CsvHelper with the export's configuration writing 100k rows of ten typical fields to nowhere.</summary>
    private static double CsvHelperOnly()
    {
        var started = Stopwatch.GetTimestamp();
        var configuration = new CsvHelper.Configuration.CsvConfiguration(CultureInfo.InvariantCulture)
        {
            InjectionOptions = CsvHelper.Configuration.InjectionOptions.Escape,
            InjectionCharacters = ['=', '+', '-', '@', '\t', '\r'],
            InjectionEscapeCharacter = '\'',
            NewLine = "\r\n",
        };
        using var text = new StreamWriter(Stream.Null, new System.Text.UTF8Encoding(true), 256 * 1024);
        using var writer = new CsvHelper.CsvWriter(text, configuration);
        for (var i = 0; i < Rows; i++)
        {
            writer.WriteField("2026-11-03");
            writer.WriteField("Corner shop");
            writer.WriteField("Groceries");
            writer.WriteField("-12.50", shouldQuote: false);
            writer.WriteField("EUR");
            writer.WriteField("Joint checking");
            writer.WriteField("Alex");
            writer.WriteField(string.Empty);
            writer.WriteField("weekly shop");
            writer.WriteField("Expense");
            writer.NextRecord();
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// The yardstick of the ratio: the export's two queries (transactions with their lines, and their tags, newest first,
    /// the household's visible rows) by hand with Microsoft.Data.Sqlite, every column read, nothing formatted or written.
    /// </summary>
    private static async Task<double> RawReadAsync(string connectionString, long householdId)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var main = connection.CreateCommand();
        main.CommandText = """
            SELECT t.Id, t.Date, t.Kind, t.AmountMinor, t.Currency, t.PayeeId, t.Notes, t.AccountId, t.ToAccountId, t.PaidByMemberId,
                   l.Id, l.CategoryId, l.AmountMinor
            FROM Transactions AS t LEFT JOIN TransactionLines AS l ON l.TransactionId = t.Id
            WHERE t.HouseholdId = $household AND t.DeletedAt IS NULL AND NOT t.IsPrivate
            ORDER BY t.Date DESC, t.Id DESC
            """;
        main.Parameters.AddWithValue("$household", householdId);
        var transactions = 0L;
        long last = 0;
        await using (var reader = await main.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var id = reader.GetInt64(0);
                transactions += id == last ? 0 : 1;
                last = id;
                _ = reader.GetString(1);
                _ = reader.GetInt32(2) + reader.GetInt64(3);
                _ = reader.GetString(4);
                _ = reader.IsDBNull(5) ? 0 : reader.GetInt64(5);
                _ = reader.IsDBNull(6) ? null : reader.GetString(6);
                _ = reader.GetInt64(7) + (reader.IsDBNull(8) ? 0 : reader.GetInt64(8)) + (reader.IsDBNull(9) ? 0 : reader.GetInt64(9));
                _ = reader.IsDBNull(10) ? 0 : reader.GetInt64(10) + reader.GetInt64(11) + reader.GetInt64(12);
            }
        }

        await using var tags = connection.CreateCommand();
        tags.CommandText = """
            SELECT t.Id, x.TagId FROM Transactions AS t JOIN TransactionTags AS x ON x.TransactionId = t.Id
            WHERE t.HouseholdId = $household AND t.DeletedAt IS NULL AND NOT t.IsPrivate
            ORDER BY t.Date DESC, t.Id DESC
            """;
        tags.Parameters.AddWithValue("$household", householdId);
        await using (var reader = await tags.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                _ = reader.GetInt64(0) + reader.GetInt64(1);
            }
        }

        return transactions == Rows ? Stopwatch.GetElapsedTime(started).TotalMilliseconds : throw new InvalidOperationException($"The raw read saw {transactions} transactions.");
    }

    private static async Task<double> PlainReadAsync(IServiceProvider services)
    {
        var started = Stopwatch.GetTimestamp();
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var rows = await db.Transactions.AsNoTracking()
            .Select(t => new { t.Id, t.Date, t.Kind, t.AmountMinor, t.Currency, t.Notes, t.AccountId, t.PayeeId, t.PaidByMemberId })
            .ToListAsync();
        return rows.Count == Rows ? Stopwatch.GetElapsedTime(started).TotalMilliseconds : throw new InvalidOperationException("Row count changed.");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Linux resets the peak resident set size (VmHWM) when 5 is written to clear_refs.</summary>
    private static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine("Could not reset the peak RSS; it includes building the database.");
        }
    }

    /// <summary>A figure of /proc/self/status (VmHWM: peak, VmRSS: now); elsewhere the process's peak working set.</summary>
    private static double RssMb(string field)
    {
        if (File.Exists("/proc/self/status"))
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            if (line is not null)
            {
                var kb = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
    }

    private static async Task<BenchHost> OpenOrBuildAsync()
    {
        var directory = CacheDirectory;
        var marker = Path.Combine(directory, "complete");
        if (File.Exists(marker))
        {
            Console.WriteLine($"Reusing the benchmark database in {directory}.");
            return await BenchHost.CreateAsync(directory, keep: true);
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var started = Stopwatch.GetTimestamp();
        var host = await BenchHost.CreateAsync(directory, keep: true);
        await DemoSeeder.SeedOnceAsync(host.Services, TextWriter.Null);
        var household = await host.DemoHouseholdAsync();
        await using (var scope = host.ScopeFor(household))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var have = await db.Transactions.CountAsync();
            var categories = await db.Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);
            var accounts = await db.Accounts.ToDictionaryAsync(
                a => a.Kind switch { AccountKind.Checking => DemoAccount.JointChecking, AccountKind.CreditCard => DemoAccount.Visa, _ => DemoAccount.Cash },
                a => a.Id);
            var members = await db.Members.OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
            var memberIds = new Dictionary<DemoMember, long> { [DemoMember.Alex] = members[0], [DemoMember.Sam] = members[1] };
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var inputs = Enumerable.Range(1, 100)
                .SelectMany(seed => DemoDataGenerator.Generate(seed, today).Transactions)
                .Take(Rows - have)
                .Select(t => t.ToInput(categories, accounts, memberIds))
                .ToList();
            await using var bulk = DemoDataWriter.CreateBulkContext(db.Database.GetConnectionString()!, db.Scope);
            await DemoDataWriter.InsertAsync(bulk, inputs, TimeProvider.System);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Built the benchmark database in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s."));
        await File.WriteAllTextAsync(marker, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return host;
    }
}
