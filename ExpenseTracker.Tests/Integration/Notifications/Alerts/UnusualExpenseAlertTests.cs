using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Alerts;

public sealed class UnusualExpenseAlertTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    private TestApp app = null!;
    private Family family = null!;

    /// <summary>A new family with its usual spending, in the provider's shared app.</summary>
    private async Task StartAsync(DatabaseProvider provider)
    {
        app = await apps.ForAsync(provider);
        family = await Family.CreateAsync(app, Unique.Prefix());

        // Usual: 10–15 at the corner shop, twice a month from August to October.
        long[] usual = [10_00, 12_00, 11_00, 15_00, 13_00, 10_00];
        for (var i = 0; i < usual.Length; i++)
        {
            await SpendAsync("Ben", usual[i], new DateOnly(2026, 8 + (i / 2), 5 + (i % 2 * 10)));
        }

        await AlertProbe.ProcessAsync(app, family.HouseholdId);
    }

    private async Task<long> SpendAsync(string who, long amountMinor, DateOnly date, bool isPrivate = false)
    {
        var (memberId, userId, role) = family.People[who];
        await using var scope = app.ScopeFor(family.HouseholdId, memberId, role, userId);
        return await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
        {
            AmountMinor = amountMinor,
            Date = date,
            AccountId = family.CashAccountId,
            Payee = "Corner shop",
            PaidByMemberId = memberId,
            IsPrivate = isPrivate,
            Lines = [new LineInput(family.GroceriesId, amountMinor)],
        });
    }

    private async Task<List<OutboxMessage>> UnusualAsync() => await AlertProbe.InAppAsync(app, family.HouseholdId, "unusual-expense");

    private string NameOf(long memberId) => family.People.Single(p => p.Value.MemberId == memberId).Key;

    [ProviderTheory]
    public async Task AnExpenseFarAboveTheUsualAlertsTheAdultsOnce(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await SpendAsync("Ben", 14_00, new DateOnly(2026, 11, 9));
        var id = await SpendAsync("Ana", 200_00, new DateOnly(2026, 11, 10));
        await AlertProbe.ProcessAsync(app, family.HouseholdId);
        await AlertProbe.ProcessAsync(app, family.HouseholdId); // a second pass (a restart) judges nothing twice

        var alerts = await UnusualAsync();
        Assert.Equal(["Ana", "Ben", "Max", "Olga"], alerts.Select(a => NameOf(a.MemberId)).Order(StringComparer.Ordinal));
        var alert = alerts[0];
        Assert.Equal($"unusual-expense:transaction:{id}:2026-11:m{alert.MemberId}:app", alert.Key);
        Assert.Equal(NotificationType.UnusualSpending, alert.Type);
        Assert.Contains("200.00", alert.Title, StringComparison.Ordinal);
        Assert.Contains("Corner shop", alert.Title, StringComparison.Ordinal);
        Assert.Contains("12.00", alert.Body, StringComparison.Ordinal); // usually: the median of 10, 10, 11, 12, 13, 14, 15
        Assert.StartsWith("expenses?range=custom&from=2026-11-10&to=2026-11-10&payee=", alert.Link, StringComparison.Ordinal);
    }

    /// <summary>
    /// One pass judges many new expenses together (a script's burst, an import): each against the expenses before it,
    /// new ones included, whatever order they were saved in; another payee and category are judged on their own history.
    /// </summary>
    [ProviderTheory]
    public async Task ManyNewExpensesInOnePassAreEachJudgedAgainstWhatCameBeforeThem(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var big = await SpendAsync("Ana", 200_00, new DateOnly(2026, 11, 5));
        await SpendAsync("Ben", 12_00, new DateOnly(2026, 11, 6));
        await SpendAsync("Ben", 13_00, new DateOnly(2026, 11, 8));
        // Saved after, dated before: its history is August to October only, where 11.00 is usual.
        await SpendAsync("Ben", 11_00, new DateOnly(2026, 11, 1));
        var (memberId, userId, role) = family.People["Ana"];
        await using (var scope = app.ScopeFor(family.HouseholdId, memberId, role, userId))
        {
            // Another payee with no history of its own: judged on the category's, where 14.00 is usual too.
            await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
            {
                AmountMinor = 14_00,
                Date = new DateOnly(2026, 11, 9),
                AccountId = family.CashAccountId,
                Payee = "Farm stand",
                Lines = [new LineInput(family.GroceriesId, 14_00)],
            });
        }

        await AlertProbe.ProcessAsync(app, family.HouseholdId);

        var alerts = await UnusualAsync();
        Assert.Equal(4, alerts.Count);
        Assert.All(alerts, a => Assert.Equal($"unusual-expense:transaction:{big}:2026-11:m{a.MemberId}:app", a.Key));
        // Usually: the median of what is dated before it when it is judged. The app's own listener may judge the first
        // expenses before the later-saved 1 November one exists (10, 10, 11, 12, 13, 15: the mean of the middle two,
        // 11.50), or all in one pass with it (10, 10, 11, 11, 12, 13, 15: 11.00).
        Assert.Matches("Usually about EUR 11\\.(00|50) at Corner shop", alerts[0].Body);

        // The 200.00 is in the later ones' history now, but the median barely moves: nothing else is news.
        var later = await SpendAsync("Ben", 16_00, new DateOnly(2026, 11, 12));
        await AlertProbe.ProcessAsync(app, family.HouseholdId);
        Assert.DoesNotContain(await UnusualAsync(), a => a.Key.Contains($"transaction:{later}:", StringComparison.Ordinal));
    }

    [ProviderTheory]
    public async Task APrivateExpenseIsOnlyMentionedToItsCreator(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await SpendAsync("Ben", 300_00, new DateOnly(2026, 11, 10), isPrivate: true);
        await AlertProbe.ProcessAsync(app, family.HouseholdId);

        Assert.Equal(["Ben"], (await UnusualAsync()).Select(a => NameOf(a.MemberId)));
    }

    [ProviderTheory]
    public async Task OldHistoryBeingEnteredIsNotNews(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await SpendAsync("Ana", 500_00, new DateOnly(2026, 9, 20));
        await AlertProbe.ProcessAsync(app, family.HouseholdId);

        Assert.Empty(await UnusualAsync());
    }
}
