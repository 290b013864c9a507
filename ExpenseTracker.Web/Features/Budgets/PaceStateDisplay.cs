using MudBlazor;

namespace ExpenseTracker.Web.Features.Budgets;

/// <summary>How a budget's state looks: a colour always paired with a text label and an icon (never colour alone).</summary>
public static class PaceStateDisplay
{
    public static string Label(PaceState state) => state switch
    {
        PaceState.UnderPace => "Under pace",
        PaceState.OnPace => "On pace",
        PaceState.OverPace => "Over pace",
        _ => "Over budget",
    };

    public static Color Color(PaceState state) => state switch
    {
        PaceState.UnderPace => MudBlazor.Color.Success,
        PaceState.OnPace => MudBlazor.Color.Info,
        PaceState.OverPace => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Error,
    };

    public static string Icon(PaceState state) => state switch
    {
        PaceState.UnderPace => Icons.Material.Filled.CheckCircle,
        PaceState.OnPace => Icons.Material.Filled.TrendingFlat,
        PaceState.OverPace => Icons.Material.Filled.TrendingUp,
        _ => Icons.Material.Filled.Error,
    };

    /// <summary>"under-pace", "on-pace", ... for data attributes and CSS.</summary>
    public static string Key(PaceState state) => state switch
    {
        PaceState.UnderPace => "under-pace",
        PaceState.OnPace => "on-pace",
        PaceState.OverPace => "over-pace",
        _ => "over-budget",
    };

    /// <summary>The progress bar's fill: share of the available amount used, 0–100.</summary>
    public static double Progress(BudgetFigures figures) => Math.Clamp(figures.PercentUsed ?? (figures.SpentMinor > 0 ? 100 : 0), 0, 100);
}
