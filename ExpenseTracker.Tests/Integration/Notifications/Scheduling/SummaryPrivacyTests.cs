using System.Globalization;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Notifications;
using ExpenseTracker.Web.Features.Notifications.Rules;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Scheduling;

/// <summary>
/// The monthly summary of November 2026, sent on 1 December at 08:00 Berlin, for Ana (owner) and Kim (child) of a
/// household where Ben keeps a private expense. Each summary shows what its reader sees on the pages, nothing more.
/// </summary>
/// <remarks>An app per case: the cases move the clock and the rule reads every household.</remarks>
public sealed class SummaryPrivacyTests : PerCaseApps
{
    private static readonly CultureInfo EnUs = CultureInfo.GetCultureInfo("en-US");
    private TestApp app = null!;
    private ReminderHousehold home = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = StartApp(provider);
        home = await ReminderHousehold.CreateAsync(app);
        await home.JoinAsync("Ben", MemberRole.Member);
        await home.JoinAsync("Kim", MemberRole.Child);
        await home.SetSettingsAsync("Ana", s => s.Summary = SummaryFrequency.Monthly);
        await home.SetSettingsAsync("Kim", s => s.Summary = SummaryFrequency.Monthly);
        await home.SetSettingsAsync("Ben", s => s.Summary = SummaryFrequency.Weekly);

        await AddAsync("Ana", "Groceries", 300_00);
        await AddAsync("Ana", "Health", 45_00, isPrivate: true);
        await AddAsync("Ben", "Dining out", 80_00);
        await AddAsync("Ben", "Gifts", 777_77, isPrivate: true);
        await AddAsync("Kim", "Kids", 12_34);
        await AddAsync("Kim", "Entertainment", 5_00);

        await using (var scope = home.As("Ana"))
        {
            await scope.ServiceProvider.GetRequiredService<BudgetService>().SetCategoryBudgetAsync(home.Home.Categories["Groceries"], new BudgetMonth(2026, 11), 250_00);
        }

        await home.AddBillAsync(home.Bill("Internet", BillScheduleKind.MonthlyOnDay, new DateOnly(2026, 11, 1), day: 3) with { AmountMinor = 39_99 });
        await home.AddBillAsync(home.Bill("Kim's phone", BillScheduleKind.MonthlyOnDay, new DateOnly(2026, 11, 1), day: 6, owner: home.Member("Kim")) with { AmountMinor = 9_99 });
    }

    [ProviderTheory]
    public async Task EachMembersSummaryShowsOnlyWhatThatMemberSees(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var summaries = await EvaluateAsync(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero));

        Assert.Equal(2, summaries.Count); // Ben's is weekly: Monday 30 November was before this window
        var ana = Assert.Single(summaries, s => s.MemberId == home.Member("Ana"));
        var kim = Assert.Single(summaries, s => s.MemberId == home.Member("Kim"));
        Assert.All(summaries, s =>
        {
            Assert.Equal(NotificationType.Summary, s.Type);
            Assert.Equal(SummaryRule.Monthly, s.Rule);
            Assert.Equal("2026-11", s.Period);
            Assert.Equal(new DateTime(2026, 12, 1, 7, 0, 0), s.DueAtUtc);
        });

        // Ana: everything that is not someone else's private expense, her own private one included.
        Assert.Contains("You spent " + Eur(300_00 + 45_00 + 80_00 + 12_34 + 5_00) + " in November 2026.", ana.Body, StringComparison.Ordinal);
        Assert.Contains("- Groceries: " + Eur(300_00), ana.Body, StringComparison.Ordinal);
        Assert.Contains("- Dining out: " + Eur(80_00), ana.Body, StringComparison.Ordinal);
        Assert.Contains("- Health: " + Eur(45_00), ana.Body, StringComparison.Ordinal);
        Assert.Contains("- Groceries (November 2026): spent " + Eur(300_00) + " of " + Eur(250_00), ana.Body, StringComparison.Ordinal);
        Assert.Contains("- Internet: " + Eur(39_99), ana.Body, StringComparison.Ordinal);
        Assert.Contains("- Kim's phone: " + Eur(9_99), ana.Body, StringComparison.Ordinal); // owners see personal bills on the bills page too

        // Kim: only her own spending and her own bill; no household budget.
        Assert.Contains("You spent " + Eur(12_34 + 5_00) + " in November 2026.", kim.Body, StringComparison.Ordinal);
        Assert.Contains("- Kids: " + Eur(12_34), kim.Body, StringComparison.Ordinal);
        Assert.Contains("- Kim's phone: " + Eur(9_99), kim.Body, StringComparison.Ordinal);
        foreach (var hidden in new[] { "Groceries", "Dining out", "Health", "Internet", "Budgets" })
        {
            Assert.DoesNotContain(hidden, kim.Body, StringComparison.Ordinal);
        }

        // Nobody but Ben hears of Ben's private gift, not even as part of a total.
        Assert.All(summaries, s => Assert.DoesNotContain("Gifts", s.Body, StringComparison.Ordinal));
        Assert.All(summaries, s => Assert.DoesNotContain(Eur(777_77), s.Body, StringComparison.Ordinal));
    }

    [ProviderTheory]
    public async Task BenGetsHisWeeklySummaryOnMondayMorningInHisZoneWithHisOwnPrivateExpense(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await home.SetSettingsAsync("Ben", s => s.TimeZoneId = "America/New_York");

        // Monday 30 November 2026, 08:00 in New York = 13:00 UTC; the week of 23–29 November.
        var summaries = await EvaluateAsync(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 13, 0, 0, TimeSpan.Zero));

        var ben = Assert.Single(summaries);
        Assert.Equal(home.Member("Ben"), ben.MemberId);
        Assert.Equal(SummaryRule.Weekly, ben.Rule);
        Assert.Equal("2026-W48", ben.Period);
        Assert.Equal(new DateTime(2026, 11, 30, 13, 0, 0), ben.DueAtUtc);
        Assert.Contains("- Gifts: " + Eur(777_77), ben.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Health", ben.Body, StringComparison.Ordinal);
    }

    private static string Eur(long minor) => Money.Format(minor, "EUR", EnUs);

    private async Task<IReadOnlyList<NotificationRequest>> EvaluateAsync(DateTimeOffset from, DateTimeOffset to)
    {
        app.Time.SetUtcNow(to);
        await using var scope = app.Services.CreateAsyncScope();
        var rule = scope.ServiceProvider.GetServices<IPeriodicNotificationRule>().OfType<SummaryRule>().Single();
        return await rule.EvaluateAsync(from, to, CancellationToken.None);
    }

    /// <summary>An expense logged and paid by <paramref name="author"/> on 25 November 2026 (in the week of 23–29 November).</summary>
    private async Task AddAsync(string author, string category, long amountMinor, bool isPrivate = false)
    {
        await using var scope = home.As(author);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = app.Time.GetUtcNow().UtcDateTime;
        db.Transactions.Add(new Transaction
        {
            Kind = TransactionKind.Expense,
            AmountMinor = amountMinor,
            Currency = "EUR",
            Date = new DateOnly(2026, 11, 25),
            AccountId = home.Home.CashAccountId,
            PaidByMemberId = home.Member(author),
            CreatedByMemberId = home.Member(author),
            CreatedAt = now,
            UpdatedAt = now,
            IsPrivate = isPrivate,
            Lines = [new TransactionLine { CategoryId = home.Home.Categories[category], AmountMinor = amountMinor }],
        });
        await db.SaveChangesAsync();
    }
}
