using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Tests.Integration.Identity;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Admin;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Admin;

/// <summary>
/// Ana's family (Ana and Olga owners, Ben and Max members, Vic viewer, Kim child; six accounts, all with the password
/// <see cref="AccountForms.Password"/>) where Ana administers the instance. The set-up's own audit rows and invitation
/// mails are cleared, so a test sees only what it did.
/// </summary>
internal static class AdminFixture
{
    public static async Task<Family> CreateAsync(TestApp app)
    {
        var family = await Family.CreateAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var (_, userId, _) in family.People.Values)
        {
            var user = (await users.FindByIdAsync(userId))!;
            if (!await users.HasPasswordAsync(user))
            {
                Assert.True((await users.AddPasswordAsync(user, AccountForms.Password)).Succeeded);
            }
        }

        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ana = family.People["Ana"].UserId;
        await db.Users.Where(u => u.Id == ana).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdministrator, true));
        await db.ChangeLog.Where(c => c.Entity == SecurityEvents.Entity).ExecuteDeleteAsync();
        var mail = Path.Combine(app.DataDirectory, "mail");
        if (Directory.Exists(mail))
        {
            Directory.Delete(mail, recursive: true);
        }

        return family;
    }

    /// <summary>The security audit rows, oldest first.</summary>
    public static async Task<List<ChangeLogEntry>> AuditRowsAsync(TestApp app, string? action = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.ChangeLog.AsNoTracking()
            .Where(c => c.Entity == SecurityEvents.Entity && (action == null || c.Action == action))
            .OrderBy(c => c.Id).ToListAsync();
    }

    public static async Task<AppUser> UserAsync(TestApp app, string userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.AsNoTracking().SingleAsync(u => u.Id == userId);
    }
}

/// <summary>An app per provider with <see cref="AdminFixture"/>'s family, for a class whose tests only read it.</summary>
public sealed class AdminApps : ProviderFixture<TestApp>
{
    protected override async Task<TestApp> SeedAsync(TestApp app)
    {
        await AdminFixture.CreateAsync(app);
        return app;
    }
}

/// <summary>
/// A class whose tests each change accounts or read back exactly the audit rows they caused: every test starts its own
/// app on its provider with <see cref="AdminFixture"/>'s family (<see cref="StartAsync"/>).
/// </summary>
public abstract class AdminFamilyTests : IAsyncLifetime
{
    private protected TestApp app = null!;
    private protected Family family = null!;

    private protected async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        family = await AdminFixture.CreateAsync(app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
