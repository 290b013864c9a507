using Bunit;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Categories;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Features.PaymentAccounts;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ExpenseTracker.Tests.Components;

/// <summary>
/// bUnit with MudBlazor registered, over the real app (TestApp's SQLite file and migrations) and a household of
/// one owner. MudBlazor's services are only IAsyncDisposable, hence IAsyncLifetime.
/// </summary>
public abstract class MudComponentTest : BunitContext, IAsyncLifetime
{
    private AsyncServiceScope appScope;

    protected TestApp App { get; } = new();

    protected HouseholdInfo Household { get; private set; } = default!;

    /// <summary>The app's services for this household, as a request or circuit of its owner would see them.</summary>
    protected IServiceProvider AppServices => appScope.ServiceProvider;

    public virtual async Task InitializeAsync()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();

        var (user, household, memberId) = await App.CreateUserWithHouseholdAsync("bunit@example.com");
        appScope = App.ScopeFor(household.Id, memberId, MemberRole.Owner, user.Id);
        Household = new HouseholdInfo(household.Id, household.Name, household.BaseCurrency, household.TimeZoneId, household.Culture,
            household.FirstDayOfWeek, household.MonthStartDay, memberId, "bunit", MemberRole.Owner);

        Services.AddSingleton<TimeProvider>(App.Time);
        Services.AddSingleton(AppServices.GetRequiredService<HouseholdScope>());
        Services.AddSingleton(_ => CreateExpenseService());
        Services.AddSingleton(AppServices.GetRequiredService<CategoryService>());
        Services.AddSingleton(AppServices.GetRequiredService<PaymentAccountService>());
        Services.AddSingleton(App.Services.GetRequiredService<ExpenseTracker.Web.Features.Live.HouseholdChangeNotifier>());
        Services.AddSingleton(AppServices.GetRequiredService<MembershipService>());
        Services.AddSingleton(AppServices.GetRequiredService<InvitationService>());
        Services.AddSingleton(AppServices.GetRequiredService<BalanceService>());
        Services.AddSingleton(AppServices.GetRequiredService<ActivityService>());
        Services.AddSingleton(AppServices.GetRequiredService<ExpenseTracker.Web.Features.Budgets.BudgetService>());
        Services.AddSingleton(AppServices.GetRequiredService<ExpenseTracker.Web.Features.Analytics.AnalyticsService>());
        Services.AddSingleton(AppServices.GetRequiredService<ExpenseTracker.Web.Features.Forecast.ForecastService>());
        Services.AddSingleton(AppServices.GetRequiredService<ExpenseTracker.Web.Features.Search.SavedSearchService>());
        Services.AddSingleton(AppServices.GetRequiredService<ExpenseTracker.Web.Features.Notifications.Push.PushSubscriptionService>());
        Services.AddSingleton(AppServices.GetRequiredService<ExpenseTracker.Web.Features.Attachments.AttachmentService>());
        Services.AddScoped<ExpenseEvents>();
        Services.AddScoped<ExpenseActions>();

        // As in a circuit: pages subscribe to live household changes only when interactive.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>The expense service the components get; tests may hand them one over an observed context factory.</summary>
    protected virtual ExpenseService CreateExpenseService() => AppServices.GetRequiredService<ExpenseService>();

    /// <summary>Opens a dialog the way the app does and returns the provider that renders it.</summary>
    protected async Task<IRenderedComponent<MudDialogProvider>> ShowDialogAsync<TDialog>(DialogParameters<TDialog> parameters)
        where TDialog : IComponent
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<TDialog>(string.Empty, parameters));
        return provider;
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await appScope.DisposeAsync();
        await App.DisposeAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync();
}
