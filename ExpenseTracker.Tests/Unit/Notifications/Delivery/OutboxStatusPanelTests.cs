using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using ExpenseTracker.Tests.Components;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Notifications;
using ExpenseTracker.Web.Features.Notifications.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Unit.Notifications.Delivery;

public sealed class OutboxStatusPanelTests : MudComponentTest
{
    private BunitAuthorizationContext authorization = default!;
    private string userId = string.Empty;

    public override async Task InitializeAsync()
    {
        Services.AddSingleton(_ => AppServices.GetRequiredService<OutboxStatusService>());
        authorization = AddAuthorization();
        await base.InitializeAsync();
        await using var db = await Factory().CreateDbContextAsync();
        userId = await db.Users.Select(u => u.Id).SingleAsync();
        authorization.SetAuthorized("bunit@example.com");
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));

        await AppServices.GetRequiredService<NotificationOutbox>().EnqueueAsync(
        [
            new NotificationRequest(Household.Id, Household.MemberId, NotificationType.BillReminder, "bill-due-soon", "bill:1", "2026-11-18",
                "Water bill due", "Due on 18 Nov.", "bills", App.Time.GetUtcNow().UtcDateTime),
        ]);
        await db.OutboxMessages.IgnoreQueryFilters().Where(o => o.Channel == NotificationChannel.Email)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OutboxStatus.Failed).SetProperty(o => o.Attempts, 10)
                .SetProperty(o => o.LastError, "SocketException: Connection refused"));
    }

    [Fact]
    public async Task AnAdministratorSeesCountsByStatusAndTheLatestFailures()
    {
        await using (var db = await Factory().CreateDbContextAsync())
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdministrator, true));
        }

        var panel = Render<OutboxStatusPanel>();

        panel.WaitForAssertion(() => Assert.Equal("Pending: 2", panel.Find("[data-testid=outbox-count-Pending]").TextContent.Trim()));
        Assert.Equal("Failed: 1", panel.Find("[data-testid=outbox-count-Failed]").TextContent.Trim());
        var failures = panel.Find("[data-testid=outbox-failures]").TextContent;
        Assert.Contains("bill-due-soon:bill:1:2026-11-18:m" + Household.MemberId + ":email", failures);
        Assert.Contains("SocketException: Connection refused", failures);
    }

    [Fact]
    public async Task SomeoneWhoIsNotTheAdministratorSeesNothing()
    {
        var panel = Render<OutboxStatusPanel>();

        Assert.Null(await AppServices.GetRequiredService<OutboxStatusService>().GetAsync(userId));
        Assert.Empty(panel.FindAll("[data-testid=outbox-status]"));
        Assert.Empty(panel.Markup.Trim());
    }

    private IDbContextFactory<AppDbContext> Factory() => AppServices.GetRequiredService<IDbContextFactory<AppDbContext>>();
}
