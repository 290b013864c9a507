using Bunit;
using ExpenseTracker.Tests.Integration.BankSync;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.BankSync;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExpenseTracker.Tests.Components.BankSync;

/// <summary>
/// Settings → Bank connections over the real services and the fake SimpleFIN Bridge: add from a setup token, map the bank
/// account found, save and sync; viewers read only; children see nothing; a bad token is refused next to its field.
/// </summary>
public sealed class BankConnectionsPageTests : MudComponentTest, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private FakeSimpleFinServer bank = default!;

    public override async Task InitializeAsync()
    {
        App.With("BankSync:AllowInsecureHttp", "true");
        bank = await FakeSimpleFinServer.StartAsync();
        var account = new FakeAccount("ACT-9", "Joint Checking", balance: "-12.30");
        account.Transactions.Add(new("T-1", FakeSimpleFinServer.Utc(2026, 11, 10), "-25.00", "BOOKSHOP"));
        account.Transactions.Add(new("T-P", null, "-4.00", "COFFEE (pending)"));
        bank.Accounts.Add(account);
        Services.AddSingleton(_ => AppServices.GetRequiredService<BankConnectionService>());
        await base.InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await bank.DisposeAsync();
    }

    private IRenderedComponent<BankConnectionsPage> RenderPage(HouseholdInfo? household = null)
    {
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        var page = Render<BankConnectionsPage>(p => p.AddCascadingValue(household ?? Household));
        page.WaitForAssertion(() => Assert.DoesNotContain("Loading bank connections", page.Markup, StringComparison.Ordinal), Patience);
        return page;
    }

    [Fact]
    public async Task AddingAConnectionListsItsBankAccountsAndSavingTheMappingSyncsPostedTransactions()
    {
        var cashId = await AppServices.GetRequiredService<AppDbContext>().Accounts.Select(a => a.Id).SingleAsync();
        var page = RenderPage();
        Assert.NotNull(page.Find("[data-testid=bank-empty]"));
        Assert.Contains("Pending transactions are skipped until the bank posts them", page.Markup, StringComparison.Ordinal);

        page.Find("#bank-name").Change("Joint bank");
        page.Find("#bank-token").Change(bank.SetupToken);
        page.Find("#bank-history").Change("30");
        page.Find("[data-testid=bank-add-form]").Submit();

        // Claiming and reading the accounts are two HTTP round trips to the fake: a loaded machine needs more than bUnit's 1 s.
        var row = page.WaitForElement("[data-testid=bank-account]", Patience);
        Assert.Contains("Joint Checking", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Example Bank", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("12.30", page.Find("[data-testid=bank-balance]").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("-", page.Find("[data-testid=bank-balance]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("none", page.Find("[data-testid=bank-link-select]").GetAttribute("value"));
        Assert.Equal("ok", page.Find("[data-testid=bank-connection]").GetAttribute("data-status"));
        Assert.Equal(30, (await AppServices.GetRequiredService<AppDbContext>().BankConnections.AsNoTracking().SingleAsync()).HistoryDays);
        Assert.DoesNotContain(FakeSimpleFinServer.Password, page.Markup, StringComparison.Ordinal);

        page.Find("[data-testid=bank-link-select]").Change(cashId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        page.Find("[data-testid=bank-save-sync]").Click();

        page.WaitForAssertion(() => Assert.Contains("through", page.Find("[data-testid=bank-account]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal(cashId.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=bank-link-select]").GetAttribute("value"));
        Assert.Contains("Last synced", page.Find("[data-testid=bank-last-sync]").TextContent, StringComparison.Ordinal);
        var imported = await AppServices.GetRequiredService<AppDbContext>().Transactions.AsNoTracking()
            .Where(t => t.Source == TransactionSource.BankSync).Select(t => t.AmountMinor).ToListAsync();
        Assert.Equal([2_500L], imported);
    }

    [Fact]
    public void ABadSetupTokenIsRefusedNextToItsField()
    {
        var page = RenderPage();
        page.Find("#bank-name").Change("Bank");
        page.Find("#bank-token").Change("definitely not a token");
        page.Find("[data-testid=bank-add-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains("That is not a SimpleFIN setup token", page.Markup, StringComparison.Ordinal), Patience);
        Assert.NotNull(page.Find("[data-testid=bank-empty]"));
    }

    /// <summary>The owner connected the bank; the page as a member of another role sees it.</summary>
    private async Task<IRenderedComponent<BankConnectionsPage>> RenderConnectedAsAsync(MemberRole role)
    {
        await AppServices.GetRequiredService<BankConnectionService>().AddAsync("Joint bank", bank.SetupToken, 90);
        return RenderPage(Household with { Role = role });
    }

    [Fact]
    public async Task AViewerSeesConnectionsWithoutAnythingToChange()
    {
        var viewer = await RenderConnectedAsAsync(MemberRole.Viewer);

        Assert.NotNull(viewer.Find("[data-testid=bank-read-only]"));
        Assert.NotNull(viewer.Find("[data-testid=bank-connection]"));
        Assert.Empty(viewer.FindAll("form"));
        Assert.Empty(viewer.FindAll("select"));
        Assert.Empty(viewer.FindAll("[data-testid=bank-sync-now], [data-testid=bank-remove], [data-testid=bank-pause]"));
    }

    [Fact]
    public async Task AChildSeesNoConnections()
    {
        var child = await RenderConnectedAsAsync(MemberRole.Child);

        Assert.NotNull(child.Find("[data-testid=bank-denied]"));
        Assert.Empty(child.FindAll("[data-testid=bank-connection]"));
    }
}
