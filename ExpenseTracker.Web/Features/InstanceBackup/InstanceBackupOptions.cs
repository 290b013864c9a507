namespace ExpenseTracker.Web.Features.InstanceBackup;

/// <summary>The <c>Backup</c> configuration section: the nightly whole-instance backup and how many are kept.</summary>
public sealed class InstanceBackupOptions
{
    public const string Section = "Backup";

    /// <summary>False: no nightly job (the <c>backup</c> command still works).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The hour (0–23) of the nightly backup, on the wall clock of <see cref="TimeZone"/>.</summary>
    public int NightlyHour { get; set; } = 3;

    /// <summary>An IANA or Windows zone id; empty: the server's local zone (the TZ environment variable; UTC in most containers).</summary>
    public string TimeZone { get; set; } = string.Empty;

    public int KeepDaily { get; set; } = 7;

    /// <summary>
    /// The instance runs on PostgreSQL (<c>Database:Provider</c>): this backup copies the SQLite file only, so there is no
    /// nightly job and the <c>backup</c> command refuses; pg_dump backs the database up (deploy/README.md).
    /// </summary>
    public bool DatabaseIsPostgres { get; set; }

    public int KeepWeekly { get; set; } = 4;

    public TimeZoneInfo Zone =>
        string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Local
        : TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone
        : throw new InvalidOperationException($"Backup:TimeZone '{TimeZone}' is not a time zone this server knows.");

    public static InstanceBackupOptions From(IConfiguration configuration)
    {
        var options = new InstanceBackupOptions();
        configuration.GetSection(Section).Bind(options);
        if (Infrastructure.DatabaseOptions.FromConfiguration(configuration).IsPostgres)
        {
            options.DatabaseIsPostgres = true;
            options.Enabled = false;
        }
        if (options.NightlyHour is < 0 or > 23 || options.KeepDaily < 1 || options.KeepWeekly < 0)
        {
            throw new InvalidOperationException("Backup: NightlyHour must be 0–23, KeepDaily at least 1 and KeepWeekly at least 0.");
        }

        return options;
    }
}
