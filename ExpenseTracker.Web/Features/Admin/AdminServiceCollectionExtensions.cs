namespace ExpenseTracker.Web.Features.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>The /admin page's services and the security audit log that Identity, tokens and memberships write to.</summary>
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SecurityAudit>();
        builder.Services.AddScoped<AdminUsersService>();
        builder.Services.AddScoped<AdminSystemService>();
        builder.Services.AddScoped<AuditLogService>();
        return builder;
    }
}
