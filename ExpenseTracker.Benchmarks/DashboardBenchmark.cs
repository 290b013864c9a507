using System.Diagnostics;
using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using HouseholdChange = ExpenseTracker.Web.Features.Live.HouseholdChange;

namespace ExpenseTracker.Benchmarks;

/// <summary>
/// `dashboard`: every analytics and budget-page query over 1,000,000 transactions, 250,000 of them in the measured household.
/// The database is built once (demo generator, many seeds; raw prepared INSERTs in one transaction) into
/// /tmp/et-bench-cache/dashboard-v{Version}, and reused while the version and the migrations are unchanged.
/// `live`: a save in one scope reaches a subscriber in another scope that then reloads its budget page's data.
/// </summary>
internal static class DashboardBenchmark
{
    /// <summary>Bump when the generated data or its shape changes.</summary>
    private const int Version = 1;
    private const int TotalTransactions = 1_000_000;
    private const int MeasuredHousehold = 250_000;
    private const int FillerHouseholds = 30;

    private static string CacheDirectory =>
        Path.Combine(Path.GetTempPath(), "et-bench-cache", string.Create(CultureInfo.InvariantCulture, $"dashboard-v{Version}"));

    public static async Task RunAsync(int iterations)
    {
        await using var host = await OpenOrBuildAsync();
        var household = await host.DemoHouseholdAsync();
        var total = await host.CountTransactionsAsync();
        await using var scope = host.ScopeFor(household);
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var own = await db.Transactions.CountAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total:N0} transactions in the database, {own:N0} in the measured household; {iterations} timed runs per query."));

        var analytics = services.GetRequiredService<AnalyticsService>();
        var budgets = services.GetRequiredService<BudgetService>();
        var time = services.GetRequiredService<TimeProvider>();
        var today = BudgetPeriods.Today(time, household.TimeZoneId);
        var month = BudgetPeriods.MonthOf(today, household.MonthStartDay);
        var year = AnalyticsFilter.LastMonths(12, today, household.MonthStartDay);
        var twoYears = AnalyticsFilter.LastMonths(24, today, household.MonthStartDay);
        var thisMonth = AnalyticsFilter.ForMonth(month, household.MonthStartDay);

        var queries = new (string Name, Func<Task<object>> Run)[]
        {
            ("budget_month", async () => await budgets.GetMonthAsync(month)),
            ("budget_list", async () => await budgets.ListAsync()),
            ("category_donut_month", async () => await analytics.SpendingByCategoryAsync(thisMonth)),
            ("category_donut_year", async () => await analytics.SpendingByCategoryAsync(year)),
            ("trend_24_months", async () => await analytics.MonthlyTrendAsync(twoYears)),
            ("budget_vs_actual", async () => await analytics.BudgetVsActualAsync(month)),
            ("cumulative_month", async () => await analytics.CumulativeSpendingAsync(month)),
            ("category_comparison", async () => await analytics.CategoryComparisonAsync(month)),
            ("top_payees_year", async () => await analytics.TopPayeesAsync(year)),
            ("per_member_year", async () => await analytics.SpendingPerMemberAsync(year)),
            ("income_vs_spending_24", async () => await analytics.IncomeVsSpendingAsync(twoYears)),
        };

        // Three states of the per-household monthly cache: warm (nothing changed), after an expense dated today (what every
        // open dashboard reloads after a live update: the current month is recomputed), and cold (a change of unknown dates,
        // or the first view after start: every month is recomputed).
        var notifier = services.GetRequiredService<HouseholdChangeNotifier>();
        var modes = new (string Suffix, Func<Task> Before)[]
        {
            ("", () => Task.CompletedTask),
            ("_after_change", () => notifier.DeliverAsync(new HouseholdChange(household.Id, HouseholdChangeKind.Transactions, time.GetUtcNow(), today, today))),
            ("_cold", () => notifier.DeliverAsync(new HouseholdChange(household.Id, HouseholdChangeKind.Transactions, time.GetUtcNow()))),
        };
        var slowest = new Dictionary<string, (double Median, string Name)>(StringComparer.Ordinal);
        foreach (var (suffix, before) in modes)
        {
            foreach (var (name, run) in queries)
            {
                for (var i = 0; i < Math.Min(3, iterations); i++)
                {
                    await before();
                    await run();
                }

                var samples = new List<double>(iterations);
                for (var i = 0; i < iterations; i++)
                {
                    await before();
                    var started = Stopwatch.GetTimestamp();
                    await run();
                    samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                var median = Percentile(samples, 50);
                BenchmarkProgram.Report("dashboard", name + suffix + "_median_ms", median, "ms");
                BenchmarkProgram.Report("dashboard", name + suffix + "_p95_ms", Percentile(samples, 95), "ms");
                if (median > slowest.GetValueOrDefault(suffix).Median)
                {
                    slowest[suffix] = (median, name);
                }
            }
        }

        Console.WriteLine($"Slowest: warm {slowest[""].Name}, after a change {slowest["_after_change"].Name}, cold {slowest["_cold"].Name}.");
        BenchmarkProgram.Report("dashboard", "transactions", total, "count");
        BenchmarkProgram.Report("dashboard", "household_transactions", own, "count");
        BenchmarkProgram.Report("dashboard", "slowest_query_warm_median_ms", slowest[""].Median, "ms");
        BenchmarkProgram.Report("dashboard", "slowest_query_cold_median_ms", slowest["_cold"].Median, "ms");

        // The headline: what an open dashboard pays on every live update (the household just logged an expense).
        BenchmarkProgram.Report("dashboard", "slowest_query_median_ms", slowest["_after_change"].Median, "ms");
    }

    /// <summary>The `live` scenario's in-process figure: the other "circuit" is a subscriber scope in the same process.</summary>
    public static async Task InProcessLiveAsync(int iterations)
    {
        await using var host = await BenchHost.CreateAsync();
        await DemoSeeder.SeedOnceAsync(host.Services, TextWriter.Null);
        var household = await host.DemoHouseholdAsync();
        var notifier = host.Services.GetRequiredService<HouseholdChangeNotifier>();
        await using var writer = host.ScopeFor(household);
        await using var reader = host.ScopeFor(household);
        var expenses = writer.ServiceProvider.GetRequiredService<ExpenseService>();
        var readerBudgets = reader.ServiceProvider.GetRequiredService<BudgetService>();
        var month = await readerBudgets.CurrentMonthAsync();
        var groceries = (await expenses.GetLookupsAsync()).Categories.Single(c => c.Name == "Groceries").Id;
        var account = (await expenses.GetLookupsAsync()).Accounts[0].Id;
        var today = BudgetPeriods.Today(TimeProvider.System, household.TimeZoneId);

        // The "other circuit": on a change it reloads its budget page's data, then counts as re-rendered.
        TaskCompletionSource<long>? rendered = null;
        using var subscription = notifier.Subscribe(household.Id, async _ =>
        {
            var view = await readerBudgets.GetMonthAsync(month);
            rendered?.TrySetResult(view.TotalSpentMinor);
        });

        var runs = Math.Max(iterations, 50);
        var samples = new List<double>(runs);
        for (var i = 0; i < runs + 5; i++)
        {
            rendered = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var started = Stopwatch.GetTimestamp();
            await expenses.CreateAsync(new ExpenseInput { AmountMinor = 1_00 + i, Date = today, AccountId = account, Lines = [new LineInput(groceries, 1_00 + i)] });
            await rendered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            if (i >= 5)
            {
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        BenchmarkProgram.Report("live", "in_process_median_ms", Percentile(samples, 50), "ms");
        BenchmarkProgram.Report("live", "in_process_p95_ms", Percentile(samples, 95), "ms");
    }

    internal static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    internal static async Task<BenchHost> OpenOrBuildAsync()
    {
        var directory = CacheDirectory;
        var marker = Path.Combine(directory, "complete-" + MigrationKey());
        if (File.Exists(marker))
        {
            Console.WriteLine($"Reusing the benchmark database in {directory}.");
            return await BenchHost.CreateAsync(directory, keep: true);
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var started = Stopwatch.GetTimestamp();
        var host = await BenchHost.CreateAsync(directory, keep: true);
        await BuildAsync(host);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Built the benchmark database in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s."));
        await File.WriteAllTextAsync(marker, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return host;
    }

    private static string MigrationKey()
    {
        var migrations = typeof(AppDbContext).Assembly.GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false).FirstOrDefault())
            .OfType<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>()
            .Select(a => a.Id)
            .Order(StringComparer.Ordinal)
            .LastOrDefault() ?? "none";
        return migrations;
    }

    private static async Task BuildAsync(BenchHost host)
    {
        // The measured household: the demo household (history ending last month) plus more seeds up to 250k, dated so the
        // history runs through the current month.
        await DemoSeeder.SeedOnceAsync(host.Services, TextWriter.Null);
        var demo = await host.DemoHouseholdAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(1);
        await using (var scope = host.ScopeFor(demo))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var ids = await HouseholdIdsAsync(db);
            var have = await db.Transactions.CountAsync();
            await InsertAsync(host.ConnectionString, demo.Id, ids, MeasuredHousehold - have, seed: 1, today);

            // Budgets for every category from the first month, rollover on: the budget page's heaviest case.
            var budgets = scope.ServiceProvider.GetRequiredService<BudgetService>();
            var first = BudgetPeriods.MonthOf(today, demo.MonthStartDay).AddMonths(-24);
            var amounts = new long[] { 80_000, 40_000, 30_000, 170_000, 35_000, 10_000, 20_000, 12_000, 45_000, 30_000, 10_000, 8_000 };
            var i = 0;
            foreach (var category in ids.Categories.OrderBy(c => c.Value))
            {
                var id = await budgets.SetCategoryBudgetAsync(category.Value, first, amounts[i++ % amounts.Length]);
                await budgets.SetRolloverAsync(id, true);
            }

            var overall = await budgets.SetOverallBudgetAsync(first, 550_000);
            await budgets.SetRolloverAsync(overall, true);
        }

        var perFiller = (TotalTransactions - MeasuredHousehold) / FillerHouseholds;
        for (var h = 0; h < FillerHouseholds; h++)
        {
            var household = await CreateFillerHouseholdAsync(host, h);
            await using var scope = host.ScopeFor(household);
            var ids = await HouseholdIdsAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>());
            var count = h == FillerHouseholds - 1 ? TotalTransactions - MeasuredHousehold - (perFiller * (FillerHouseholds - 1)) : perFiller;
            await InsertAsync(host.ConnectionString, household.Id, ids, count, seed: 1_000 + (h * 100), today);
            Console.Write('.');
        }

        Console.WriteLine();
    }

    private sealed record HouseholdIds(Dictionary<string, long> Categories, Dictionary<DemoAccount, long> Accounts, Dictionary<DemoMember, long> Members, Dictionary<string, long> Payees);

    private static async Task<HouseholdIds> HouseholdIdsAsync(AppDbContext db)
    {
        var categories = await db.Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal);
        var accounts = await db.Accounts.ToDictionaryAsync(
            a => a.Kind switch { AccountKind.Checking => DemoAccount.JointChecking, AccountKind.CreditCard => DemoAccount.Visa, _ => DemoAccount.Cash },
            a => a.Id);
        var members = await db.Members.OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
        var payees = await db.Payees.ToDictionaryAsync(p => p.Key, p => p.Id, StringComparer.Ordinal);
        return new HouseholdIds(categories, accounts, new Dictionary<DemoMember, long> { [DemoMember.Alex] = members[0], [DemoMember.Sam] = members[^1] }, payees);
    }

    private static async Task<Household> CreateFillerHouseholdAsync(BenchHost host, int index)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = DateTime.UtcNow;
        var household = new Household
        {
            Name = string.Create(CultureInfo.InvariantCulture, $"Filler {index}"),
            BaseCurrency = "USD",
            TimeZoneId = "America/New_York",
            Culture = "en-US",
            CreatedAt = now,
        };
        db.Households.Add(household);
        await db.SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<HouseholdScope>().Set(household.Id, null, null, MemberRole.Owner);
        db.Members.AddRange(
            new Member { DisplayName = "Alex", Role = MemberRole.Owner, Color = "#1E88E5", JoinedAt = now },
            new Member { DisplayName = "Sam", Role = MemberRole.Member, Color = "#D81B60", JoinedAt = now });
        db.Categories.AddRange(HouseholdProvisioning.DefaultCategories.Select((c, i) => new Category { Name = c.Name, Color = c.Color, Icon = c.Icon, SortOrder = i }));
        db.Accounts.AddRange(
            new PaymentAccount { Name = "Cash", Kind = AccountKind.Cash, Currency = "USD" },
            new PaymentAccount { Name = "Joint checking", Kind = AccountKind.Checking, Currency = "USD" },
            new PaymentAccount { Name = "Visa", Kind = AccountKind.CreditCard, Currency = "USD" });
        await db.SaveChangesAsync();
        return household;
    }

    /// <summary>Generated histories (seed after seed) until <paramref name="count"/> rows, in one transaction of prepared INSERTs.</summary>
    private static async Task InsertAsync(string connectionString, long householdId, HouseholdIds ids, int count, int seed, DateOnly today)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var payee = connection.CreateCommand();
        payee.Transaction = transaction;
        payee.CommandText = "INSERT INTO Payees (HouseholdId, Name, Key) VALUES ($h, $n, $k) RETURNING Id";
        var pH = payee.Parameters.Add("$h", SqliteType.Integer);
        var pN = payee.Parameters.Add("$n", SqliteType.Text);
        var pK = payee.Parameters.Add("$k", SqliteType.Text);

        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO Transactions (HouseholdId, Kind, AmountMinor, Currency, Date, PayeeId, Notes, NotesKey, AccountId, ToAccountId,
                PaidByMemberId, Source, CreatedAt, CreatedByMemberId, UpdatedAt, UpdatedByMemberId, Version, IsPrivate)
            VALUES ($h, $kind, $amount, 'USD', $date, $payee, $notes, $notesKey, $account, $to, $paidBy, 0, $now, $paidBy, $now, $paidBy, 1, 0)
            RETURNING Id
            """;
        var h = insert.Parameters.Add("$h", SqliteType.Integer);
        var kind = insert.Parameters.Add("$kind", SqliteType.Integer);
        var amount = insert.Parameters.Add("$amount", SqliteType.Integer);
        var date = insert.Parameters.Add("$date", SqliteType.Text);
        var payeeId = insert.Parameters.Add("$payee", SqliteType.Integer);
        var notes = insert.Parameters.Add("$notes", SqliteType.Text);
        var notesKey = insert.Parameters.Add("$notesKey", SqliteType.Text);
        var account = insert.Parameters.Add("$account", SqliteType.Integer);
        var to = insert.Parameters.Add("$to", SqliteType.Integer);
        var paidBy = insert.Parameters.Add("$paidBy", SqliteType.Integer);
        var now = insert.Parameters.Add("$now", SqliteType.Text);
        now.Value = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        var line = connection.CreateCommand();
        line.Transaction = transaction;
        line.CommandText = "INSERT INTO TransactionLines (HouseholdId, TransactionId, CategoryId, AmountMinor) VALUES ($h, $t, $c, $a)";
        var lH = line.Parameters.Add("$h", SqliteType.Integer);
        var lT = line.Parameters.Add("$t", SqliteType.Integer);
        var lC = line.Parameters.Add("$c", SqliteType.Integer);
        var lA = line.Parameters.Add("$a", SqliteType.Integer);
        h.Value = householdId;
        lH.Value = householdId;
        pH.Value = householdId;

        var written = 0;
        for (var s = seed; written < count; s++)
        {
            foreach (var t in DemoDataGenerator.Generate(s, today).Transactions)
            {
                if (written == count)
                {
                    break;
                }

                var key = TextKey.Fold(t.Payee);
                if (!ids.Payees.TryGetValue(key, out var pid))
                {
                    pN.Value = t.Payee;
                    pK.Value = key;
                    pid = Convert.ToInt64(await payee.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
                    ids.Payees[key] = pid;
                }

                kind.Value = (int)t.Kind;
                amount.Value = t.AmountMinor;
                date.Value = t.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                payeeId.Value = pid;
                notes.Value = (object?)t.Notes ?? DBNull.Value;
                notesKey.Value = t.Notes is null ? DBNull.Value : TextKey.Fold(t.Notes);
                account.Value = ids.Accounts[t.Account];
                to.Value = t.ToAccount is { } toAccount ? ids.Accounts[toAccount] : DBNull.Value;
                paidBy.Value = ids.Members[t.PaidBy];
                var id = Convert.ToInt64(await insert.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
                foreach (var l in t.Lines)
                {
                    lT.Value = id;
                    lC.Value = ids.Categories[l.Category];
                    lA.Value = l.AmountMinor;
                    await line.ExecuteNonQueryAsync();
                }

                written++;
            }
        }

        await transaction.CommitAsync();
    }
}
