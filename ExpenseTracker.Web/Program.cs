using ExpenseTracker.Web.Components;
using ExpenseTracker.Web.Features.Admin;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Api;
using ExpenseTracker.Web.Features.Attachments;
using ExpenseTracker.Web.Features.Backup;
using ExpenseTracker.Web.Features.BankSync;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Categories;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Export;
using ExpenseTracker.Web.Features.Forecast;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.Identity;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Rules;
using ExpenseTracker.Web.Features.InstanceBackup;
using ExpenseTracker.Web.Features.Import.Mapping;
using ExpenseTracker.Web.Features.Notifications;
using ExpenseTracker.Web.Features.Notifications.Scheduling;
using ExpenseTracker.Web.Features.Notifications.Unsubscribe;
using ExpenseTracker.Web.Features.Operations;
using ExpenseTracker.Web.Features.PaymentAccounts;
using ExpenseTracker.Web.Features.Settings;
using ExpenseTracker.Web.Infrastructure;
using MudBlazor.Services;

// Reads a statement file and prints it; needs no host, database or data folder.
if (ImportCommand.IsCommand(args) && !ImportCommitCommand.IsCommand(args))
{
    return await ImportCommand.RunAsync(args, Console.Out, Console.Error);
}

// Backup and restore of the whole instance work on the data folder alone, without the host (restore: with the app stopped).
if (InstanceBackupCommands.IsCommand(args))
{
    return await InstanceBackupCommands.RunAsync(args, Console.In, Console.Out, Console.Error);
}

// Our own switches are not configuration keys: keep them away from the command-line configuration provider.
var hostArgs = args.Where(a => a != DemoSeeder.Flag).ToArray();
var builder = WebApplication.CreateBuilder(AdminCommands.IsCommand(args) || ImportCommitCommand.IsCommand(args) || TokenCommands.IsCommand(args) ? [] : hostArgs);

builder.AddStorage();
builder.AddData();
builder.AddIdentityAccounts();
builder.AddExpenses();
builder.AddHouseholds();
builder.AddCategories();
builder.AddPaymentAccounts();
builder.AddImportMapping();
builder.AddBudgetsAndAnalytics();
builder.AddSettings();
builder.AddImportRules();
builder.AddImport();
builder.AddBankSync();
builder.AddExport();
builder.AddBackup();
builder.AddInstanceBackup();
builder.AddBills();
builder.AddNotifications();
builder.AddNotificationAlerts();
builder.AddNotificationJobs();
builder.AddForecasting();
builder.AddApi();
builder.AddAttachments();
builder.AddAdmin();
builder.AddRateLimits();
builder.AddOperations();
builder.Services.AddMudServices(options =>
{
    options.SnackbarConfiguration.VisibleStateDuration = 4000;
    options.SnackbarConfiguration.ShowTransitionDuration = 200;
    options.SnackbarConfiguration.HideTransitionDuration = 200;
    options.SnackbarConfiguration.MaxDisplayedSnackbars = 3;
});
// Bounded circuits (Microsoft's Blazor Server threat guidance): few disconnected circuits kept, for a short time, small
// messages, one invocation at a time per client, and a cap on render batches waiting for the browser.
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents(options =>
    {
        options.DisconnectedCircuitMaxRetained = 100;
        options.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
        options.JSInteropDefaultCallTimeout = TimeSpan.FromMinutes(1);
        options.MaxBufferedUnacknowledgedRenderBatches = 10;
    })
    .AddHubOptions(options =>
    {
        options.MaximumReceiveMessageSize = 32 * 1024;
        options.MaximumParallelInvocationsPerClient = 1;
    });

var app = builder.Build();

await DatabaseSetup.MigrateAsync(app.Services);
if (AdminCommands.IsCommand(args))
{
    return await AdminCommands.RunAsync(app.Services, args, Console.In, Console.Out);
}

if (TokenCommands.IsCommand(args))
{
    return await TokenCommands.RunAsync(app.Services, args, Console.Out, Console.Error);
}

if (ImportCommitCommand.IsCommand(args))
{
    return await ImportCommitCommand.RunAsync(app.Services, args, Console.Out, Console.Error);
}

await FirstRunSetup.EnsureSetupCodeAsync(app.Services);
if (args.Contains(DemoSeeder.Flag))
{
    await DemoSeeder.SeedOnceAsync(app.Services, Console.Out);
}

// Behind a reverse proxy (loopback unless ForwardedHeaders:KnownProxies/KnownNetworks say otherwise) cookies and
// redirects follow its https, and client addresses are the real ones.
app.UseTrustedForwardedHeaders();

app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    // Only over HTTPS (and never for localhost): browsers then refuse plain HTTP to this host for a year.
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseNoStatusCodePagesForApi();
app.UseRateLimits();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapHealth();
app.MapRazorPages();
app.MapAnalytics();
app.MapExport();
app.MapBackup();
app.MapNotificationUnsubscribe();
app.MapApi();
app.MapAttachments();
// Our Content-Security-Policy already says frame-ancestors 'none' (SecurityHeaders); no second header.
// Circuits:WebSocketCompression (README), off by default: per-message deflate keeps native state per open page (the
// `circuits` benchmark measured several hundred KB of RSS per circuit), and on a home network the bytes it saves are cheap.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options =>
{
    options.ContentSecurityFrameAncestorsPolicy = null;
    options.DisableWebSocketCompression = !app.Configuration.GetValue("Circuits:WebSocketCompression", false);
});

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
