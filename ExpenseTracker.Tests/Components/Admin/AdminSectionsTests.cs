using Bunit;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Admin;
using ExpenseTracker.Web.Features.Notifications.Delivery;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components.Admin;

/// <summary>The /admin page's sections over the real services, rendered for the test household's owner as administrator.</summary>
public sealed class AdminSectionsTests : MudComponentTest
{
    private string adminId = string.Empty;
    private string otherId = string.Empty;

    public override async Task InitializeAsync()
    {
        Services.AddSingleton(_ => AppServices.GetRequiredService<AdminUsersService>());
        Services.AddSingleton(_ => AppServices.GetRequiredService<AdminSystemService>());
        Services.AddSingleton(_ => AppServices.GetRequiredService<AuditLogService>());
        Services.AddSingleton(_ => AppServices.GetRequiredService<OutboxStatusService>());
        Services.AddSingleton(_ => AppServices.GetRequiredService<ExpenseTracker.Web.Features.InstanceBackup.InstanceBackupOptions>());
        await base.InitializeAsync();
        var db = AppServices.GetRequiredService<AppDbContext>();
        adminId = await db.Users.Select(u => u.Id).SingleAsync();
        await db.Users.Where(u => u.Id == adminId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdministrator, true));
        var (other, _, _) = await App.CreateUserWithHouseholdAsync("zoe@example.com");
        otherId = other.Id;
    }

    [Fact]
    public void TheUserListOffersActionsForOthersButNotForTheAdministratorThemselves()
    {
        var section = Render<AdminUsersSection>(p => p.Add(s => s.ActorId, adminId));

        section.WaitForAssertion(() => Assert.Equal(2, section.FindAll("[data-testid=admin-user]").Count));
        var self = section.Find("[data-testid=admin-user][data-email='bunit@example.com']");
        Assert.Contains("You", self.TextContent, StringComparison.Ordinal);
        Assert.Contains("Administrator", self.TextContent, StringComparison.Ordinal);
        Assert.Empty(self.QuerySelectorAll("button"));
        var zoe = section.Find("[data-testid=admin-user][data-email='zoe@example.com']");
        Assert.NotNull(zoe.QuerySelector("[data-testid=admin-user-lock]"));
        Assert.NotNull(zoe.QuerySelector("[data-testid=admin-user-delete]"));
        Assert.Null(zoe.QuerySelector("[data-testid=admin-user-reset-2fa]"));
    }

    [Fact]
    public async Task LockingAfterConfirmingMarksTheAccountLocked()
    {
        var dialogs = Render<MudDialogProvider>();
        var section = Render<AdminUsersSection>(p => p.Add(s => s.ActorId, adminId));
        section.WaitForAssertion(() => section.Find("[data-testid=admin-user][data-email='zoe@example.com'] [data-testid=admin-user-lock]"));

        section.Find("[data-testid=admin-user][data-email='zoe@example.com'] [data-testid=admin-user-lock]").Click();
        var confirm = dialogs.WaitForElement(".mud-message-box button:last-of-type");
        Assert.Equal("Lock", confirm.TextContent.Trim());
        confirm.Click();

        section.WaitForAssertion(() => Assert.Equal("true", section.Find("[data-testid=admin-user][data-email='zoe@example.com']").GetAttribute("data-locked")));
        Assert.NotNull(section.Find("[data-testid=admin-user][data-email='zoe@example.com'] [data-testid=admin-user-unlock]"));
        var users = AppServices.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(otherId))!));
    }

    [Fact]
    public void TheSmtpTestWithoutAMailServerSaysWhereTheMessageWent()
    {
        var section = Render<AdminInstanceSection>(p => p.Add(s => s.ActorId, adminId));
        section.WaitForAssertion(() => section.Find("[data-testid=smtp-test]"));

        section.Find("[data-testid=smtp-test]").Click();

        section.WaitForAssertion(() => Assert.Equal("true", section.Find("[data-testid=smtp-test-result]").GetAttribute("data-succeeded")));
        Assert.Contains("written as an .eml file", section.Find("[data-testid=smtp-test-result]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditLogFiltersByEvent()
    {
        var audit = AppServices.GetRequiredService<SecurityAudit>();
        await audit.RecordAsync(SecurityEvents.SignIn, otherId, otherId, new { email = "zoe@example.com" });
        await audit.RecordAsync(SecurityEvents.UserLocked, otherId, adminId, new { email = "zoe@example.com" });
        var section = Render<AuditLogSection>(p => p.Add(s => s.ActorId, adminId));
        section.WaitForAssertion(() => Assert.Equal(2, section.FindAll("[data-testid=audit-row]").Count));
        Assert.Equal([SecurityEvents.UserLocked, SecurityEvents.SignIn], section.FindAll("[data-testid=audit-row]").Select(r => r.GetAttribute("data-action") ?? "-").ToArray());
        Assert.Contains("bunit@example.com", section.FindAll("[data-testid=audit-row]")[0].TextContent, StringComparison.Ordinal);

        section.Find("[data-testid=audit-event]").Change(SecurityEvents.SignIn);
        section.Find("form").Submit();

        section.WaitForAssertion(() => Assert.Equal(SecurityEvents.SignIn, Assert.Single(section.FindAll("[data-testid=audit-row]")).GetAttribute("data-action")));
    }

    [Fact]
    public void DiskUseAndJobsShowTheDataFolderAndTheSchedulerOff()
    {
        var disk = Render<AdminDiskSection>(p => p.Add(s => s.ActorId, adminId));
        var jobs = Render<AdminJobsSection>(p => p.Add(s => s.ActorId, adminId));

        disk.WaitForAssertion(() => Assert.Equal(8, disk.FindAll("[data-testid=disk-item]").Count));
        Assert.True(long.Parse(disk.FindAll("[data-testid=disk-item]")[0].GetAttribute("data-bytes")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains(App.DataDirectory, disk.Markup, StringComparison.Ordinal);
        jobs.WaitForAssertion(() => jobs.Find("[data-testid=scheduler-off]"));
    }
}
