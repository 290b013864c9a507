using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Households;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Notifications.Preferences;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Notifications.Center;

/// <summary>A member's own notification preferences: defaults, round trip, validation that writes nothing, every role for themselves.</summary>
/// <remarks>An app per case: the cases assert that nothing at all was written, in any household.</remarks>
public sealed class NotificationSettingsServiceTests : PerCaseApps
{
    private TestApp app = null!;
    private Family family = null!;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = StartApp(provider);
        family = await Family.CreateAsync(app);
    }

    private async Task<NotificationSettingsForm> GetAsync(string person)
    {
        await using var scope = family.As(person);
        return await family.Service<NotificationSettingsService>(scope).GetAsync();
    }

    private async Task SaveAsync(string person, NotificationSettingsForm form)
    {
        await using var scope = family.As(person);
        await family.Service<NotificationSettingsService>(scope).SaveAsync(form);
    }

    private async Task<List<NotificationPreference>> RowsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().NotificationPreferences.IgnoreQueryFilters().AsNoTracking().ToListAsync();
    }

    private async Task<List<MemberNotificationSettings>> SettingsRowsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().MemberNotificationSettings.IgnoreQueryFilters().AsNoTracking().ToListAsync();
    }

    [ProviderTheory]
    public async Task WithNothingStoredTheDefaultsAndTheHouseholdsZoneApply(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var form = await GetAsync("Ben");

        Assert.Equal(13, form.Channels.Count); // 4 types × 3 channels, plus the summary's email
        Assert.All(form.Channels, c => Assert.Equal(NotificationDefaults.IsEnabled(c.Key.Type, c.Key.Channel), c.Value));
        Assert.DoesNotContain((NotificationType.Summary, NotificationChannel.InApp), form.Channels.Keys);
        Assert.Equal(("Europe/Berlin", null, null, null, SummaryFrequency.None),
            (form.HouseholdTimeZoneId, form.TimeZoneId, form.QuietHoursStart, form.QuietHoursEnd, form.Summary));
    }

    [ProviderTheory]
    public async Task ChoicesRoundTripAndOnlyDifferencesFromTheDefaultsAreStored(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var form = await GetAsync("Ben");
        form.Channels[(NotificationType.BudgetAlert, NotificationChannel.Email)] = false;
        form.Channels[(NotificationType.UnusualSpending, NotificationChannel.Push)] = false;
        form.TimeZoneId = "America/New_York";
        form.QuietHoursStart = new TimeOnly(22, 0);
        form.QuietHoursEnd = new TimeOnly(7, 30);
        form.Summary = SummaryFrequency.Weekly;
        await SaveAsync("Ben", form);

        var again = await GetAsync("Ben");
        Assert.False(again.Channels[(NotificationType.BudgetAlert, NotificationChannel.Email)]);
        Assert.False(again.Channels[(NotificationType.UnusualSpending, NotificationChannel.Push)]);
        Assert.True(again.Channels[(NotificationType.BillReminder, NotificationChannel.Email)]);
        Assert.Equal(("America/New_York", new TimeOnly(22, 0), new TimeOnly(7, 30), SummaryFrequency.Weekly),
            (again.TimeZoneId, again.QuietHoursStart, again.QuietHoursEnd, again.Summary));
        var rows = await RowsAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((family.Id("Ben"), family.HouseholdId, false), (r.MemberId, r.HouseholdId, r.Enabled)));

        // Back to the default: the row goes, and the household's zone is followed again.
        again.Channels[(NotificationType.BudgetAlert, NotificationChannel.Email)] = true;
        again.TimeZoneId = null;
        again.QuietHoursStart = again.QuietHoursEnd = null;
        await SaveAsync("Ben", again);
        var third = await GetAsync("Ben");
        Assert.Equal((null, null, null), (third.TimeZoneId, third.QuietHoursStart, third.QuietHoursEnd));
        var left = Assert.Single(await RowsAsync());
        Assert.Equal((NotificationType.UnusualSpending, NotificationChannel.Push), (left.Type, left.Channel));
    }

    [ProviderTheory]
    [InlineData("Mars/Olympus_Mons", null, null, "TimeZoneId")]
    [InlineData(null, "22:00", null, "QuietHours")]
    [InlineData(null, null, "07:00", "QuietHours")]
    [InlineData(null, "22:00", "22:00", "QuietHours")]
    public async Task BadInputIsRefusedWithAMessageAndNothingIsWritten(DatabaseProvider provider, string? zone, string? start, string? end, string field)
    {
        await StartAsync(provider);
        var form = await GetAsync("Ana");
        form.Channels[(NotificationType.BillReminder, NotificationChannel.InApp)] = false;
        form.Summary = SummaryFrequency.Monthly;
        form.TimeZoneId = zone;
        form.QuietHoursStart = start is null ? null : TimeOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture);
        form.QuietHoursEnd = end is null ? null : TimeOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture);

        var error = await Assert.ThrowsAsync<FieldValidationException>(() => SaveAsync("Ana", form));

        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Empty(await RowsAsync());
        Assert.Empty(await SettingsRowsAsync());
    }

    [ProviderTheory]
    [InlineData("Vic")]
    [InlineData("Kim")]
    public async Task ViewersAndChildrenSetTheirOwnPreferencesAndNobodyElses(DatabaseProvider provider, string person)
    {
        await StartAsync(provider);
        var form = await GetAsync(person);
        form.Channels[(NotificationType.BillReminder, NotificationChannel.Email)] = false;
        form.Summary = SummaryFrequency.Monthly;
        await SaveAsync(person, form);

        var row = Assert.Single(await RowsAsync());
        Assert.Equal(family.Id(person), row.MemberId);
        Assert.Equal(family.Id(person), Assert.Single(await SettingsRowsAsync()).MemberId);
        Assert.False((await GetAsync(person)).Channels[(NotificationType.BillReminder, NotificationChannel.Email)]);
        Assert.True((await GetAsync("Ana")).Channels[(NotificationType.BillReminder, NotificationChannel.Email)]);
        Assert.Equal(SummaryFrequency.None, (await GetAsync("Ana")).Summary);
    }

    [ProviderTheory]
    public async Task AnotherHouseholdsMemberWithTheSameChoicesDoesNotLeakIn(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var (_, household, memberId) = await app.CreateUserWithHouseholdAsync("stranger@example.com");
        await using (var scope = app.ScopeFor(household.Id, memberId, MemberRole.Owner))
        {
            var service = scope.ServiceProvider.GetRequiredService<NotificationSettingsService>();
            var theirs = await service.GetAsync();
            theirs.Channels[(NotificationType.BudgetAlert, NotificationChannel.InApp)] = false;
            theirs.TimeZoneId = "Asia/Tokyo";
            await service.SaveAsync(theirs);
        }

        var anas = await GetAsync("Ana");
        Assert.True(anas.Channels[(NotificationType.BudgetAlert, NotificationChannel.InApp)]);
        Assert.Null(anas.TimeZoneId);
    }

    [Fact]
    public void EveryListedZoneIsAnIanaIdTheServerResolves()
    {
        Assert.Contains("Europe/Berlin", NotificationSettingsService.TimeZoneIds);
        Assert.All(NotificationSettingsService.TimeZoneIds, id => Assert.True(TimeZoneInfo.TryFindSystemTimeZoneById(id, out _)));
    }
}
