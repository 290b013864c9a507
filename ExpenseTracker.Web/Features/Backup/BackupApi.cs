using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Export;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExpenseTracker.Web.Features.Backup;

/// <summary>
/// <c>GET /household/backup/download</c>: the current household's full backup (a zip, see <see cref="BackupFormat"/>),
/// streamed. Owners only (others: 403; no household: 404). Restore is on <see cref="BackupPage"/>.
/// </summary>
public static class BackupApi
{
    public const string DownloadPath = "household/backup/download";

    public static WebApplicationBuilder AddBackup(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<HouseholdBackup>();
        builder.Services.AddScoped<HouseholdRestore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapBackup(this IEndpointRouteBuilder app)
    {
        app.MapGet("/" + DownloadPath, DownloadAsync).RequireAuthorization();
        return app;
    }

    private static async Task<Results<PushStreamHttpResult, NotFound, ProblemHttpResult>> DownloadAsync(
        HttpContext http, CurrentHousehold current, HouseholdBackup backup, TimeProvider time)
    {
        if (await current.ResolveAsync(http.User, http.RequestAborted) is not { } household)
        {
            return TypedResults.NotFound();
        }

        if (household.Role != MemberRole.Owner)
        {
            return TypedResults.Problem("Only an owner can back up the household.", statusCode: StatusCodes.Status403Forbidden);
        }

        var name = ExportApi.FileName(household.Name, "backup", household.Today(time), "zip");
        return TypedResults.Stream(stream => backup.WriteAsync(stream, http.RequestAborted), BackupFormat.ContentType, name);
    }
}
