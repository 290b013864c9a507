using System.Text;
using Bunit;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Import;
using ExpenseTracker.Web.Features.Import.Readers;
using ExpenseTracker.Web.Features.Live;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ExpenseTracker.Tests.Integration.Import;

/// <summary>
/// The import history page in bUnit over the real app on each provider: two imports of the same statement (the second
/// skips both rows as duplicates). MudComponentTest runs on SQLite only, so this class wires the few services the page uses.
/// </summary>
public sealed class ImportHistoryPageTests : IAsyncLifetime
{
    private readonly BunitContext context = new();
    private TestApp? app;
    private AsyncServiceScope appScope;
    private HouseholdInfo household = null!;

    private IServiceProvider AppServices => appScope.ServiceProvider;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = new TestApp(provider);
        var (user, created, memberId) = await app.CreateUserWithHouseholdAsync("bunit@example.com");
        appScope = app.ScopeFor(created.Id, memberId, MemberRole.Owner, user.Id);
        household = new HouseholdInfo(created.Id, created.Name, created.BaseCurrency, created.TimeZoneId, created.Culture,
            created.FirstDayOfWeek, created.MonthStartDay, memberId, "bunit", MemberRole.Owner);

        var imports = AppServices.GetRequiredService<IImportService>();
        var cash = await AppServices.GetRequiredService<AppDbContext>().Accounts.Select(a => a.Id).SingleAsync();
        var csv = "Date,Amount,Payee\n2026-11-02,-3.50,Corner Coffee\n2026-11-03,-42.10,Supermarket\n";
        await imports.CommitAsync(new ImportRequest("november.csv", Encoding.UTF8.GetBytes(csv), ReaderOptions.Default) { AccountId = cash }, new ImportChoices());
        await imports.CommitAsync(new ImportRequest("november-again.csv", Encoding.UTF8.GetBytes(csv), ReaderOptions.Default) { AccountId = cash }, new ImportChoices());

        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddSingleton<TimeProvider>(app.Time);
        context.Services.AddSingleton(imports);
        context.Services.AddSingleton(app.Services.GetRequiredService<HouseholdChangeNotifier>());
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        await appScope.DisposeAsync();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [ProviderTheory]
    public async Task TheOwnerSeesEachBatchAndUndoesOneAfterConfirming(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var dialogs = context.Render<MudDialogProvider>();
        var page = context.Render<ImportHistoryPage>(p => p.AddCascadingValue(household));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=import-batch]").Count), TimeSpan.FromSeconds(15));
        Assert.Equal(["november-again.csv", "november.csv"], page.FindAll("[data-testid=import-batch-file]").Select(e => e.TextContent));
        Assert.Equal("0 rows added · 2 duplicates skipped", page.FindAll("[data-testid=import-batch-counts]")[0].TextContent.Trim());

        // Find and click in one turn of the renderer: the page may re-render between them when its own import's
        // change notification arrives (PostgreSQL delivers it asynchronously), leaving a stale event handler.
        await page.InvokeAsync(() => page.FindAll("[data-testid=import-batch-undo]")[1].Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Undo the import of november.csv?", dialogs.Markup, StringComparison.Ordinal));
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Undo import", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=import-batch-undone]")), TimeSpan.FromSeconds(15));
        Assert.Equal(0, await AppServices.GetRequiredService<AppDbContext>().Transactions.CountAsync());
    }

    [ProviderTheory]
    public async Task AViewerSeesTheHistoryWithoutUndo(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var page = context.Render<ImportHistoryPage>(p => p.AddCascadingValue(household with { Role = MemberRole.Viewer }));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=import-batch]").Count), TimeSpan.FromSeconds(15));
        Assert.Empty(page.FindAll("[data-testid=import-batch-undo]"));
    }
}
