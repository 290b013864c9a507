using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Admin;
using ExpenseTracker.Tests.Integration.Notifications.Delivery;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Admin;
using ExpenseTracker.Web.Features.Notifications.Unsubscribe;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Database;

/// <summary>The hand-written SQL (upserts, booleans, times) and the errors it is judged by behave the same on both engines.</summary>
public sealed class RawSqlOnBothEnginesTests
{
    [ProviderTheory]
    public async Task TheOutboxStoresARequestOncePerChannelWhateverTheKindOfItsTime(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var bed = await DeliveryBed.CreateAsync(app);
        var due = DateTime.SpecifyKind(app.Time.GetUtcNow().UtcDateTime.AddHours(2), DateTimeKind.Unspecified);

        var first = await bed.EnqueueAsync(bed.Request(dueAt: due));
        var second = await bed.EnqueueAsync(bed.Request(dueAt: due), bed.Request(dueAt: due));

        Assert.Equal((3, 0), (first, second));
        Assert.All(await bed.OutboxAsync(), o => Assert.Equal(due, o.NextAttemptAt));
    }

    [ProviderTheory]
    public async Task AnInAppMessageBecomesOneNotification(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var bed = await DeliveryBed.CreateAsync(app);
        await bed.EnqueueAsync(bed.Request());

        await bed.DeliverAsync();

        var notification = Assert.Single(await bed.NotificationsAsync());
        Assert.Equal("Water bill due in 3 days", notification.Title);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, notification.CreatedAt);
    }

    [ProviderTheory]
    public async Task UnsubscribingSwitchesTheEmailChoiceOffAndAgainKeepsItOff(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var bed = await DeliveryBed.CreateAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        var unsubscribe = scope.ServiceProvider.GetRequiredService<UnsubscribeService>();
        var request = new UnsubscribeRequest(bed.MemberId, NotificationType.BillReminder);

        Assert.True(await unsubscribe.SwitchOffAsync(request));
        Assert.False(await bed.PreferenceAsync(NotificationType.BillReminder, NotificationChannel.Email));
        await bed.SetPreferenceAsync(NotificationType.Summary, NotificationChannel.Email, enabled: true);

        Assert.True(await unsubscribe.SwitchOffAsync(request));
        Assert.True(await unsubscribe.SwitchOffAsync(request with { Type = NotificationType.Summary }));
        Assert.False(await bed.PreferenceAsync(NotificationType.BillReminder, NotificationChannel.Email));
        Assert.False(await bed.PreferenceAsync(NotificationType.Summary, NotificationChannel.Email));
    }

    [ProviderTheory]
    public async Task ADuplicateNameKeyIsRecognisedAsAUniqueViolationOfItsIndex(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await TestHousehold.CreateAsync(app, "ana@example.com");
        await using var scope = home.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Payees.Add(new Payee { Name = "Corner shop", Key = "corner shop" });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        db.Payees.Add(new Payee { Name = "CORNER SHOP", Key = "corner shop" });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(DbErrors.IsUniqueViolation(error));
        Assert.True(DbErrors.IsUniqueViolation(error, "Payees", "Key"));
        Assert.False(DbErrors.IsUniqueViolation(error, "Tags", "Key"));
        Assert.False(DbErrors.IsUniqueViolation(new DbUpdateException("other", new InvalidOperationException())));
    }

    [ProviderTheory]
    public async Task DiskUseMeasuresTheDatabaseOfEitherEngine(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var family = await AdminFixture.CreateAsync(app);
        await using var scope = family.As("Ana");

        var disk = await scope.ServiceProvider.GetRequiredService<AdminSystemService>().GetDiskUseAsync(family.People["Ana"].UserId);

        var database = Assert.Single(disk.Items, i => i.Name == "Database");
        Assert.True(database.Bytes > 0);
        Assert.Equal(provider == DatabaseProvider.Postgres, database.Path.StartsWith("PostgreSQL database ", StringComparison.Ordinal));
        Assert.Equal(provider == DatabaseProvider.Sqlite, disk.Items.Any(i => i.Name == "Scheduler database"));
        Assert.Equal(disk.Items.Sum(i => i.Bytes), disk.TotalBytes);
    }
}
