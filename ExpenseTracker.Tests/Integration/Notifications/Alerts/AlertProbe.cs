using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Notifications.Alerts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Alerts;

/// <summary>Runs the alert pass as the listener does (a fresh scope, no member) and reads what reached the outbox.</summary>
internal static class AlertProbe
{
    public static async Task<int> ProcessAsync(TestApp app, long householdId, DateOnly? from = null, DateOnly? to = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SpendingAlerts>().ProcessAsync(householdId, from, to);
    }

    /// <summary>The in-app outbox messages of a household (one per request: every other channel mirrors it).</summary>
    public static async Task<List<OutboxMessage>> InAppAsync(TestApp app, long householdId, string? rulePrefix = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var messages = await db.OutboxMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.HouseholdId == householdId && m.Channel == NotificationChannel.InApp)
            .OrderBy(m => m.Id)
            .ToListAsync();
        return messages.Where(m => rulePrefix is null || m.Rule.StartsWith(rulePrefix, StringComparison.Ordinal)).ToList();
    }
}
