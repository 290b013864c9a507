using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Backup;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Backup;

/// <summary>
/// A household with something in every table a backup holds: members (one who left), two accounts, an archived
/// category, tagged and split expenses, a shared one, a private one, a soft-deleted one, a transfer, a foreign-currency
/// income, budgets with rollover, an override and an allowance, rules, an import profile, an import batch with its keys.
/// </summary>
internal static class BackupHousehold
{
    public static async Task<TestHousehold> CreateAsync(TestApp app, string email = "ana@example.com")
    {
        var home = await TestHousehold.CreateAsync(app, email);
        var sam = await home.AddMemberAsync("Sam");
        var lea = await home.AddMemberAsync("Lea", MemberRole.Child);
        var visa = await home.AddAccountAsync("Visa", AccountKind.CreditCard);
        await using var scope = home.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var expenses = scope.ServiceProvider.GetRequiredService<ExpenseService>();
        var groceries = home.Categories["Groceries"];
        var shopping = home.Categories["Shopping"];
        var now = app.Time.GetUtcNow().UtcDateTime;

        await db.Accounts.Where(a => a.Id == visa).ExecuteUpdateAsync(s => s.SetProperty(a => a.MaskedNumber, "****1234"));
        var batch = new ImportBatch { AccountId = visa, FileName = "visa-2026-10.ofx", Format = "OFX", CreatedAt = now, CreatedByMemberId = home.OwnerMemberId, RowCount = 2, DuplicateCount = 1, Currency = "USD", ExchangeRate = 0.9215m };
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync();

        var market = await expenses.CreateAsync(home.Expense(12_50, date: new DateOnly(2026, 10, 2), payee: "Market") with { Tags = ["food", "weekly"], Notes = "first shop" });
        var attachments = scope.ServiceProvider.GetRequiredService<ExpenseTracker.Web.Features.Attachments.AttachmentService>();
        await attachments.UploadAsync(market, "receipt.jpg", new MemoryStream(Attachments.ReceiptFiles.Jpeg()));
        await attachments.UploadAsync(market, "invoice.pdf", new MemoryStream(Attachments.ReceiptFiles.Pdf()));
        await expenses.CreateAsync(new ExpenseInput
        {
            AmountMinor = 60_00, Date = new DateOnly(2026, 10, 3), AccountId = visa, Payee = "SuperSave",
            Lines = [new LineInput(groceries, 40_00, "food"), new LineInput(shopping, 20_00, "socks")],
        });
        await expenses.CreateAsync(home.Expense(90_00, "Dining out", new DateOnly(2026, 10, 12), "Luigi's") with
        {
            Split = new ShareSplit(SplitMethod.ExactAmounts, [new SplitPart(home.OwnerMemberId, 30_00), new SplitPart(sam, 60_00)]),
        });
        await expenses.CreateAsync(home.Expense(42_00, "Gifts", new DateOnly(2026, 10, 14), "Secret shop") with { IsPrivate = true });
        var deleted = await expenses.CreateAsync(home.Expense(7_77, date: new DateOnly(2026, 10, 15), payee: "Oops"));
        await attachments.UploadAsync(deleted, "oops.png", new MemoryStream(Attachments.ReceiptFiles.Png()));
        await expenses.DeleteAsync(deleted);
        await expenses.CreateAsync(home.Expense(5_25, date: new DateOnly(2026, 10, 16), payee: "Market") with { Kind = TransactionKind.Refund, PaidByMemberId = sam });
        await expenses.CreateAsync(new ExpenseInput { Kind = TransactionKind.Transfer, AmountMinor = 200_00, Date = new DateOnly(2026, 10, 20), AccountId = home.CashAccountId, ToAccountId = visa });
        await expenses.CreateAsync(new ExpenseInput
        {
            Kind = TransactionKind.Income, AmountMinor = 921_50, Date = new DateOnly(2026, 10, 25), AccountId = visa, Payee = "Employer",
            OriginalAmountMinor = 1_000_00, OriginalCurrency = "USD", ExchangeRate = 0.9215m,
        });
        var imported = await expenses.CreateAsync(home.Expense(33_10, date: new DateOnly(2026, 10, 5), payee: "Fuel Co") with { AccountId = visa, Source = TransactionSource.Import });
        await db.Transactions.Where(t => t.Id == imported).ExecuteUpdateAsync(s => s.SetProperty(t => t.ImportBatchId, batch.Id));
        db.ImportKeys.AddRange(
            new ImportKey { AccountId = visa, Key = "FITID-1", ImportBatchId = batch.Id, TransactionId = imported },
            new ImportKey { AccountId = visa, Key = "FITID-2", ImportBatchId = batch.Id });
        db.ImportProfiles.Add(new ImportProfile { Name = "My bank", MappingJson = "{\"date\":0,\"amount\":3}", Encoding = "windows-1252", SheetName = "Sheet 1", AccountId = visa, CreatedAt = now, UpdatedAt = now });
        db.CategoryRules.AddRange(
            new CategoryRule { Order = 1, Field = RuleField.Payee, Operator = RuleOperator.Contains, Pattern = "market", CategoryId = groceries, Tags = "food", CreatedAt = now },
            new CategoryRule { Order = 2, Field = RuleField.Notes, Operator = RuleOperator.Regex, Pattern = "^fuel", MinAmountMinor = 10_00, MaxAmountMinor = 200_00, RenamePayee = "Fuel", Enabled = false, CreatedAt = now });
        var rent = new Bill
        {
            Name = "Rent", PayeeName = "Landlord", CategoryId = shopping, AmountMinor = 800_00, Currency = "EUR", ScheduleKind = BillScheduleKind.MonthlyOnDay,
            DayOfMonth = 31, StartDate = new DateOnly(2026, 1, 31), EndDate = new DateOnly(2027, 12, 31), ReminderLeadDays = 5, AutoCreate = true,
            AccountId = visa, OwnerMemberId = sam, NextDue = new DateOnly(2026, 11, 30), CreatedAt = now,
        };
        db.Bills.AddRange(rent, new Bill
        {
            Name = "Power", AmountMinor = 90_00, Currency = "EUR", IsEstimate = true, MinAmountMinor = 85_00, MaxAmountMinor = 160_00,
            ScheduleKind = BillScheduleKind.EveryNMonths, Interval = 2, DayOfMonth = 15, StartDate = new DateOnly(2026, 2, 15), NextDue = new DateOnly(2026, 12, 15), CreatedAt = now,
        });
        db.MemberNotificationSettings.Add(new MemberNotificationSettings
        {
            MemberId = sam, TimeZoneId = "America/New_York", QuietHoursStart = new TimeOnly(22, 0), QuietHoursEnd = new TimeOnly(7, 30), Summary = SummaryFrequency.Weekly,
        });
        db.NotificationPreferences.AddRange(
            new NotificationPreference { MemberId = sam, Type = NotificationType.BudgetAlert, Channel = NotificationChannel.Email, Enabled = false },
            new NotificationPreference { MemberId = home.OwnerMemberId, Type = NotificationType.Summary, Channel = NotificationChannel.Email, Enabled = true });
        db.SavedSearches.AddRange(
            new SavedSearch { MemberId = sam, Name = "Coffee this month", Url = "expenses?range=this-month&q=coffee", Pinned = true, CreatedAt = now },
            new SavedSearch { MemberId = home.OwnerMemberId, Name = "Big ones", Url = "expenses?q=amount%3E100", CreatedAt = now });
        await db.SaveChangesAsync();
        await db.Transactions.Where(t => t.Id == imported).ExecuteUpdateAsync(s => s.SetProperty(t => t.BillId, rent.Id));

        var budgets = scope.ServiceProvider.GetRequiredService<BudgetService>();
        var groceriesBudget = await budgets.SetCategoryBudgetAsync(groceries, new BudgetMonth(2026, 9), 100_00);
        await budgets.SetRolloverAsync(groceriesBudget, true);
        await budgets.OverrideMonthAsync(groceriesBudget, new BudgetMonth(2026, 12), 250_00);
        await budgets.SetOverallBudgetAsync(new BudgetMonth(2026, 10), 500_00);
        await budgets.SetAllowanceAsync(lea, new BudgetMonth(2026, 10), 20_00);

        await db.Categories.Where(c => c.Name == "Gifts").ExecuteUpdateAsync(s => s.SetProperty(c => c.Archived, true));
        await db.Members.Where(m => m.Id == lea).ExecuteUpdateAsync(s => s.SetProperty(m => m.LeftAt, now));
        return home;
    }

    public static async Task<byte[]> BackupAsync(TestApp app, long householdId, long memberId, MemberRole role = MemberRole.Owner)
    {
        await using var scope = app.ScopeFor(householdId, memberId, role);
        using var output = new MemoryStream();
        await scope.ServiceProvider.GetRequiredService<HouseholdBackup>().WriteAsync(output);
        return output.ToArray();
    }

    /// <summary>Rewrites a backup: <paramref name="change"/> gets each entry's text and returns the new text.</summary>
    public static byte[] Rewrite(byte[] backup, Func<string, string, string> change, bool fixChecksums)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var zip = new ZipArchive(new MemoryStream(backup), ZipArchiveMode.Read))
        {
            foreach (var entry in zip.Entries)
            {
                // Attachment bytes (files/<id>) are not text: kept as they are, unless change drops them.
                if (entry.FullName.StartsWith("files/", StringComparison.Ordinal))
                {
                    using var bytes = new MemoryStream();
                    entry.Open().CopyTo(bytes);
                    files[entry.FullName] = bytes.ToArray();
                    continue;
                }

                using var reader = new StreamReader(entry.Open());
                texts[entry.FullName] = reader.ReadToEnd();
            }
        }

        foreach (var name in texts.Keys.ToList())
        {
            texts[name] = change(name, texts[name]);
        }

        if (fixChecksums)
        {
            var manifest = JsonNode.Parse(texts[BackupFormat.ManifestEntry])!;
            foreach (var entry in manifest["entries"]!.AsArray())
            {
                entry!["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(texts[(string)entry["name"]!])));
            }

            texts[BackupFormat.ManifestEntry] = manifest.ToJsonString();
        }

        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in texts)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }

            foreach (var (name, bytes) in files.Where(f => change(f.Key, "file") == "file"))
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }
}
