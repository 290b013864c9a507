using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Notifications;
using ExpenseTracker.Web.Features.Notifications.Alerts;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Alerts;

/// <summary>The household the pace cases only read, seeded once per provider.</summary>
public sealed class PaceHouseholds : ProviderFixture<TestHousehold>
{
    protected override async Task<TestHousehold> SeedAsync(TestApp app)
    {
        var household = await TestHousehold.CreateAsync(app, "pace@example.com");

        // Groceries: 20.00 a day on the 1st–10th of August, September and October; then 60.00 a day in November.
        // Dining out: 30.00 on the 5th of every month.
        foreach (var (month, groceries) in new[] { (8, 20_00L), (9, 20_00L), (10, 20_00L), (11, 60_00L) })
        {
            for (var day = 1; day <= 10; day++)
            {
                await household.AddExpenseAsync(household.Expense(groceries, "Groceries", new DateOnly(2026, month, day)));
            }

            await household.AddExpenseAsync(household.Expense(30_00, "Dining out", new DateOnly(2026, month, 5), "Pizza Napoli"));
        }

        return household;
    }
}

public sealed class CategoryPaceRuleTests(PaceHouseholds households) : IClassFixture<PaceHouseholds>
{
    private TestHousehold household = null!;

    private async Task StartAsync(DatabaseProvider provider) => household = await households.ForAsync(provider);

    private async Task<IReadOnlyList<NotificationRequest>> EvaluateAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await using var scope = household.App.Services.CreateAsyncScope();
        var rule = scope.ServiceProvider.GetServices<IPeriodicNotificationRule>().OfType<CategoryPaceRule>().Single();
        return await rule.EvaluateAsync(from, to, CancellationToken.None);
    }

    [ProviderTheory]
    public async Task AFastCategoryIsToldAtSixInTheEveningHouseholdTime(DatabaseProvider provider)
    {
        await StartAsync(provider);
        // Berlin is UTC+1 in November: 18:00 local is 17:00 UTC.
        var requests = await EvaluateAsync(new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 10, 17, 0, 0, TimeSpan.Zero));

        var request = Assert.Single(requests);
        Assert.Equal(household.OwnerMemberId, request.MemberId);
        Assert.Equal(NotificationType.UnusualSpending, request.Type);
        Assert.Equal("category-pace", request.Rule);
        Assert.Equal($"category:{household.Categories["Groceries"]}", request.Subject);
        Assert.Equal("2026-11", request.Period);
        Assert.Equal(new DateTime(2026, 11, 10, 17, 0, 0, DateTimeKind.Utc), request.DueAtUtc);
        Assert.Contains("600.00", request.Body, StringComparison.Ordinal);
        Assert.Contains("200.00", request.Body, StringComparison.Ordinal);
    }

    [ProviderTheory]
    public async Task AWindowWithoutTheEveningOrBeforeTheRushSaysNothing(DatabaseProvider provider)
    {
        await StartAsync(provider);
        Assert.Empty(await EvaluateAsync(new DateTimeOffset(2026, 11, 10, 17, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 11, 16, 59, 0, TimeSpan.Zero)));
        Assert.Empty(await EvaluateAsync(new DateTimeOffset(2026, 10, 10, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 10, 18, 0, 0, TimeSpan.Zero)));
    }

    [ProviderTheory]
    public async Task ACatchUpOverSeveralDaysAlertsOncePerCategoryAndMonth(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var requests = await EvaluateAsync(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 9, 23, 0, 0, TimeSpan.Zero));

        var request = Assert.Single(requests);
        Assert.Equal("2026-11", request.Period);
    }
}
