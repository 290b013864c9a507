using System.IO.Compression;
using System.Net;
using System.Reflection;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Backup;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Backup;

/// <summary>
/// Backup then restore into a new, empty household reproduces every row of every table, field by field; the ids and the
/// household id are new and every reference follows them. Files restore refuses leave the database exactly as it was.
/// </summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private readonly TestApp app = new();
    private TestHousehold source = null!;

    public async Task InitializeAsync() => source = await BackupHousehold.CreateAsync(app);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<RestoreResult> RestoreAsync(TestHousehold target, byte[] backup, MemberRole role = MemberRole.Owner) => RestoreAsync(app, target, backup, role);

    private static async Task<RestoreResult> RestoreAsync(TestApp app, TestHousehold target, byte[] backup, MemberRole role = MemberRole.Owner)
    {
        await using var scope = app.ScopeFor(target.Id, target.OwnerMemberId, role, target.OwnerUserId);
        return await scope.ServiceProvider.GetRequiredService<HouseholdRestore>().RestoreAsync(new MemoryStream(backup));
    }

    [ProviderTheory]
    public async Task RestoringIntoAnEmptyHouseholdReproducesEveryRowOfEveryTable(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var source = await BackupHousehold.CreateAsync(app);
        var backup = await BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId);
        var target = await TestHousehold.CreateAsync(app, "zed@example.com", currency: "USD");

        var result = await RestoreAsync(app, target, backup);

        Assert.Equal("ana@example.com's household", result.HouseholdName);
        Assert.Equal(9, result.Rows["transactions"]);
        await using var db = app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<AppDbContext>();
        var comparer = new HouseholdComparer(db, source.Id, target.Id);
        await comparer.HouseholdAsync();
        await comparer.TableAsync<Member>(m => m.Id, except: nameof(Member.UserId));
        await comparer.TableAsync<PaymentAccount>(a => a.Id);
        await comparer.TableAsync<Category>(c => c.Id);
        await comparer.TableAsync<Payee>(p => p.Id);
        await comparer.TableAsync<Tag>(t => t.Id);
        await comparer.TableAsync<Bill>(b => b.Id);
        await comparer.TableAsync<ImportBatch>(b => b.Id);
        await comparer.TableAsync<Transaction>(t => t.Id);
        await comparer.TableAsync<TransactionLine>(l => l.Id);
        await comparer.TableAsync<TransactionTag>(t => (t.TransactionId * 1_000_000) + t.TagId,
            t => (comparer.Source(nameof(Transaction), t.TransactionId) * 1_000_000) + comparer.Source(nameof(Tag), t.TagId));
        await comparer.TableAsync<MemberShare>(s => (s.TransactionId * 1_000_000) + s.MemberId,
            s => (comparer.Source(nameof(Transaction), s.TransactionId) * 1_000_000) + comparer.Source(nameof(Member), s.MemberId));
        await comparer.TableAsync<Budget>(b => b.Id);
        await comparer.TableAsync<BudgetAmount>(a => a.Id);
        await comparer.TableAsync<CategoryRule>(r => r.Id);
        await comparer.TableAsync<ImportProfile>(p => p.Id);
        await comparer.TableAsync<ImportKey>(k => k.Id);
        await comparer.TableAsync<MemberNotificationSettings>(s => s.MemberId, s => comparer.Source(nameof(Member), s.MemberId));
        await comparer.TableAsync<NotificationPreference>(p => p.Id);
        await comparer.TableAsync<SavedSearch>(s => s.Id);
        await comparer.TableAsync<Attachment>(a => a.Id, except: nameof(Attachment.StorageKey));

        // Every household-owned entity type of the model is compared above, so a new table cannot be forgotten silently.
        var owned = db.Model.GetEntityTypes().Select(e => e.ClrType).Where(t => typeof(IHouseholdOwned).IsAssignableFrom(t) && !BackupFormat.NotBackedUp.ContainsKey(t));
        Assert.Empty(owned.Except(comparer.Compared));

        // The restoring owner keeps their sign-in and role; the others come back without one.
        var zed = await db.Members.IgnoreQueryFilters().SingleAsync(m => m.Id == target.OwnerMemberId);
        Assert.Equal(target.OwnerUserId, zed.UserId);
        Assert.Equal(MemberRole.Owner, zed.Role);
        Assert.All(await db.Members.IgnoreQueryFilters().Where(m => m.HouseholdId == target.Id && m.Id != zed.Id).ToListAsync(), m => Assert.Null(m.UserId));
    }

    [Fact]
    public async Task TheDownloadEndpointStreamsABackupThatRestores()
    {
        var forms = new AccountForms(app);
        Assert.Equal(HttpStatusCode.Redirect, (await forms.SignInAsync("ana@example.com")).StatusCode);

        var response = await forms.Client.GetAsync(new Uri("/" + BackupApi.DownloadPath, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ana-example-com-s-household-backup-2026-11-15.zip", response.Content.Headers.ContentDisposition?.FileNameStar);
        var backup = await response.Content.ReadAsByteArrayAsync();
        var page = await forms.GetTextAsync("/household/backup");
        Assert.Contains("href=\"household/backup/download\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"restore-file\"", page, StringComparison.Ordinal);
        var target = await TestHousehold.CreateAsync(app, "zed@example.com");
        var result = await RestoreAsync(target, backup);
        Assert.Equal(9, result.Rows["transactions"]);
    }

    [Fact]
    public async Task TheManifestNamesTheFormatTheAppTheTimeAndTheHousehold()
    {
        var backup = await BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId);
        using var zip = new ZipArchive(new MemoryStream(backup), ZipArchiveMode.Read);
        var manifest = System.Text.Json.JsonSerializer.Deserialize<BackupManifest>(zip.GetEntry(BackupFormat.ManifestEntry)!.Open(), BackupFormat.Json)!;

        Assert.Equal(BackupFormat.Kind, manifest.Format);
        Assert.Equal(BackupFormat.Version, manifest.FormatVersion);
        Assert.False(string.IsNullOrWhiteSpace(manifest.AppVersion));
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, manifest.CreatedAt);
        Assert.Equal(source.Id, manifest.HouseholdId);
        Assert.Equal(BackupFormat.Tables.Select(BackupFormat.EntryName), manifest.Entries.Select(e => e.Name));
        Assert.All(manifest.Entries, e => Assert.Equal(64, e.Sha256.Length));
    }

    public static TheoryData<string> Refusals => new() { "newer-version", "checksum", "truncated", "malformed-json", "not-a-zip", "dangling-reference" };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ADamagedTamperedOrNewerFileIsRefusedAndChangesNothing(string damage)
    {
        var backup = await BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId);
        var bad = damage switch
        {
            "newer-version" => BackupHousehold.Rewrite(backup, (name, text) => name == BackupFormat.ManifestEntry
                ? text.Replace($"\"formatVersion\":{BackupFormat.Version}", $"\"formatVersion\":{BackupFormat.Version + 1}", StringComparison.Ordinal) : text, fixChecksums: false),
            "checksum" => BackupHousehold.Rewrite(backup, (name, text) => name == "transactions.json"
                ? text.Replace("\"amountMinor\":1250", "\"amountMinor\":1", StringComparison.Ordinal) : text, fixChecksums: false),
            "truncated" => backup[..(backup.Length / 2)],
            // A file whose checksums were recomputed after breaking it: caught while restoring, inside the transaction.
            "malformed-json" => BackupHousehold.Rewrite(backup, (name, text) => name == "transactions.json" ? text[..(text.Length / 2)] : text, fixChecksums: true),
            "dangling-reference" => BackupHousehold.Rewrite(backup, (name, text) => name == "transactionLines.json"
                ? text.Replace("\"categoryId\":", "\"categoryId\":9", StringComparison.Ordinal) : text, fixChecksums: true),
            _ => "this is not a zip file"u8.ToArray(),
        };
        var target = await TestHousehold.CreateAsync(app, "zed@example.com", currency: "USD");
        var before = await SnapshotAsync(target.Id);

        var refusal = await Assert.ThrowsAsync<BackupRejectedException>(() => RestoreAsync(target, bad));

        Assert.Contains("Nothing was changed", refusal.Message, StringComparison.Ordinal);
        if (damage == "newer-version")
        {
            Assert.Contains("newer version", refusal.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(target.Id));
    }

    [Fact]
    public async Task AVersion1BackupWithoutBillsStillRestores()
    {
        var backup = await BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId);
        // What version 1 wrote: no bills file, and no transaction pointing at a bill.
        var version1 = BackupHousehold.Rewrite(backup, (name, text) => name switch
        {
            BackupFormat.ManifestEntry => System.Text.RegularExpressions.Regex.Replace(
                text.Replace($"\"formatVersion\":{BackupFormat.Version}", "\"formatVersion\":1", StringComparison.Ordinal),
                ",?\\{\"name\":\"(bills|notificationSettings|notificationPreferences|savedSearches|attachments)\\.json\"[^}]*\\}", string.Empty),
            "transactions.json" => System.Text.RegularExpressions.Regex.Replace(text, "\"billId\":\\d+", "\"billId\":null"),
            "bills.json" => "[]",
            _ => text,
        }, fixChecksums: true);
        var target = await TestHousehold.CreateAsync(app, "zed@example.com", currency: "USD");

        var result = await RestoreAsync(target, version1);

        Assert.Equal(9, result.Rows["transactions"]);
        Assert.False(result.Rows.ContainsKey("bills"));
        await using var db = app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(0, await db.Bills.IgnoreQueryFilters().CountAsync(b => b.HouseholdId == target.Id));
    }

    [Fact]
    public async Task AHouseholdWithExpensesIsNotATargetAndStaysAsItWas()
    {
        var backup = await BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId);
        var target = await TestHousehold.CreateAsync(app, "zed@example.com");
        await target.AddExpenseAsync(target.Expense(1_00));
        var before = await SnapshotAsync(target.Id);

        var refusal = await Assert.ThrowsAsync<BackupRejectedException>(() => RestoreAsync(target, backup));

        Assert.Contains("empty household", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(target.Id));
    }

    [Theory]
    [InlineData(MemberRole.Member)]
    [InlineData(MemberRole.Viewer)]
    [InlineData(MemberRole.Child)]
    public async Task OnlyAnOwnerBacksUpOrRestores(MemberRole role)
    {
        await Assert.ThrowsAsync<HouseholdAccessException>(() => BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId, role));
        var backup = await BackupHousehold.BackupAsync(app, source.Id, source.OwnerMemberId);
        var target = await TestHousehold.CreateAsync(app, "zed@example.com");
        var before = await SnapshotAsync(target.Id);

        await Assert.ThrowsAsync<HouseholdAccessException>(() => RestoreAsync(target, backup, role));

        Assert.Equal(before, await SnapshotAsync(target.Id));
    }

    [Fact]
    public async Task ANonOwnerGetsNoBackupFromTheEndpoint()
    {
        var sam = await source.AddMemberAsync("Sam2");
        var users = app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        var user = new AppUser { UserName = "sam@example.com", Email = "sam@example.com", EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, AccountForms.Password)).Succeeded);
        await using (var scope = source.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Members.Where(m => m.Id == sam)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.UserId, user.Id));
        }

        var forms = new AccountForms(app);
        Assert.Equal(HttpStatusCode.Redirect, (await forms.SignInAsync("sam@example.com")).StatusCode);
        var response = await forms.Client.GetAsync(new Uri("/" + BackupApi.DownloadPath, UriKind.Relative));
        var anonymous = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
            .GetAsync(new Uri("/" + BackupApi.DownloadPath, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
    }

    /// <summary>Every row of the household, as text: equal snapshots mean nothing changed.</summary>
    private async Task<string> SnapshotAsync(long householdId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var parts = new List<string>
        {
            System.Text.Json.JsonSerializer.Serialize(await db.Households.IgnoreQueryFilters().Where(h => h.Id == householdId).ToListAsync(), BackupFormat.Json),
            await RowsAsync(db.Members, householdId), await RowsAsync(db.Accounts, householdId), await RowsAsync(db.Categories, householdId),
            await RowsAsync(db.Payees, householdId), await RowsAsync(db.Tags, householdId), await RowsAsync(db.Transactions, householdId),
            await RowsAsync(db.TransactionLines, householdId), await RowsAsync(db.TransactionTags, householdId), await RowsAsync(db.MemberShares, householdId),
            await RowsAsync(db.Budgets, householdId), await RowsAsync(db.BudgetAmounts, householdId), await RowsAsync(db.CategoryRules, householdId),
            await RowsAsync(db.ImportProfiles, householdId), await RowsAsync(db.ImportBatches, householdId), await RowsAsync(db.ImportKeys, householdId),
            await RowsAsync(db.Bills, householdId),
            (await db.ChangeLog.CountAsync(c => c.HouseholdId == householdId)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return string.Join('\n', parts);
    }

    private static async Task<string> RowsAsync<T>(DbSet<T> set, long householdId)
        where T : class, IHouseholdOwned =>
        System.Text.Json.JsonSerializer.Serialize(await set.IgnoreQueryFilters().AsNoTracking().Where(x => x.HouseholdId == householdId).ToListAsync(), BackupFormat.Json);
}

/// <summary>
/// Compares one table of two households row by row: rows pair up in order of <c>key</c>, every scalar column must be
/// equal except the ids, the household id and the named exceptions; a reference column must point at the row that pairs
/// with the one it pointed at in the source.
/// </summary>
internal sealed class HouseholdComparer(AppDbContext db, long sourceId, long targetId)
{
    private static readonly Dictionary<string, string> References = new(StringComparer.Ordinal)
    {
        ["AccountId"] = nameof(PaymentAccount), ["ToAccountId"] = nameof(PaymentAccount), ["PayeeId"] = nameof(Payee),
        ["CategoryId"] = nameof(Category), ["TagId"] = nameof(Tag), ["TransactionId"] = nameof(Transaction), ["BudgetId"] = nameof(Budget),
        ["ImportBatchId"] = nameof(ImportBatch), ["MemberId"] = nameof(Member), ["PaidByMemberId"] = nameof(Member),
        ["CreatedByMemberId"] = nameof(Member), ["UpdatedByMemberId"] = nameof(Member), ["DeletedByMemberId"] = nameof(Member),
        ["UndoneByMemberId"] = nameof(Member), ["OwnerMemberId"] = nameof(Member), ["BillId"] = nameof(Bill), ["UploadedByMemberId"] = nameof(Member),
    };

    /// <summary>Per table: target id → source id.</summary>
    private readonly Dictionary<string, Dictionary<long, long>> back = new(StringComparer.Ordinal);

    public List<Type> Compared { get; } = [];

    /// <summary>The source id of a target row already compared (for ordering link tables).</summary>
    public long Source(string table, long targetId) => back[table][targetId];

    public async Task HouseholdAsync()
    {
        var rows = await db.Households.IgnoreQueryFilters().AsNoTracking().Where(h => h.Id == sourceId || h.Id == targetId).ToListAsync();
        var (s, t) = (rows.Single(h => h.Id == sourceId), rows.Single(h => h.Id == targetId));
        Assert.Equal((s.Name, s.BaseCurrency, s.TimeZoneId, s.FirstDayOfWeek, s.MonthStartDay, s.Culture, s.CreatedAt),
            (t.Name, t.BaseCurrency, t.TimeZoneId, t.FirstDayOfWeek, t.MonthStartDay, t.Culture, t.CreatedAt));
    }

    /// <param name="key">Orders the source rows.</param>
    /// <param name="targetKey">Orders the target rows the same way (for tables without an id); else target rows go by id.</param>
    public async Task TableAsync<T>(Func<T, long> key, Func<T, long>? targetKey = null, params string[] except)
        where T : class, IHouseholdOwned
    {
        var set = db.Set<T>().IgnoreQueryFilters().AsNoTracking();
        var source = (await set.Where(x => x.HouseholdId == sourceId).ToListAsync()).OrderBy(key).ToList();
        var target = await set.Where(x => x.HouseholdId == targetId).ToListAsync();
        var table = typeof(T).Name;
        var idProperty = typeof(T).GetProperty("Id");
        if (idProperty is not null)
        {
            target = target.OrderBy(x => (long)idProperty.GetValue(x)!).ToList();
            back[table] = target.Zip(source).ToDictionary(p => (long)idProperty.GetValue(p.First)!, p => (long)idProperty.GetValue(p.Second)!);
        }
        else
        {
            target = target.OrderBy(targetKey ?? key).ToList();
        }

        Assert.True(source.Count > 0, $"The test household has no {table} rows to compare.");
        Assert.Equal(source.Count, target.Count);
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => IsScalar(p.PropertyType) && p.Name is not ("Id" or "HouseholdId") && !except.Contains(p.Name))
            .ToList();
        foreach (var (s, t) in source.Zip(target))
        {
            foreach (var property in properties)
            {
                var expected = property.GetValue(s);
                var actual = property.GetValue(t);
                if (References.TryGetValue(property.Name, out var referenced) && actual is long targetRef)
                {
                    actual = back[referenced][targetRef];
                }

                Assert.True(Equals(expected, actual), $"{table}.{property.Name}: expected {expected ?? "null"}, got {actual ?? "null"}.");
            }
        }

        Compared.Add(typeof(T));
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateOnly);
    }
}
