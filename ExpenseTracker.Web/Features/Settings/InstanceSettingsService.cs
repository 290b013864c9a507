using ExpenseTracker.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Settings;

/// <summary>Instance-wide switches kept in the database; configuration only gives their initial default.</summary>
public sealed class InstanceSettingsService(IDbContextFactory<AppDbContext> dbFactory, IConfiguration configuration)
{
    public const string RegistrationEnabledKey = "Registration:Enabled";

    public async Task<bool> IsRegistrationEnabledAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.InstanceSettings.AsNoTracking()
            .Where(s => s.Key == RegistrationEnabledKey).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        return stored is null ? configuration.GetValue(RegistrationEnabledKey, false) : bool.Parse(stored);
    }

    /// <summary>Only the instance administrator may call this; callers check <see cref="AppUser.IsAdministrator"/>.</summary>
    public async Task SetRegistrationEnabledAsync(bool enabled, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var setting = await db.InstanceSettings.FirstOrDefaultAsync(s => s.Key == RegistrationEnabledKey, cancellationToken);
        var value = enabled ? bool.TrueString : bool.FalseString;
        if (setting is null)
        {
            db.InstanceSettings.Add(new InstanceSetting { Key = RegistrationEnabledKey, Value = value });
        }
        else
        {
            setting.Value = value;
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
