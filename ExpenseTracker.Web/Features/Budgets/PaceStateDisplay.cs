using System.Globalization;
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

    /// <summary>Whether a budget belongs under the dashboard's "Budgets at risk": spending ahead of pace, or past its warning threshold.</summary>
    public static bool IsAtRisk(BudgetFigures figures) =>
        figures.State is PaceState.OverPace or PaceState.OverBudget || figures.Threshold != BudgetThreshold.None;

    /// <summary>
    /// Why a budget is at risk, in a few words: its pace when that is the reason, else how much of it is used. A budget
    /// past its warning threshold can still be on pace (rent paid on the 1st), and "at risk … On pace" read as a
    /// contradiction.
    /// </summary>
    public static (string Label, string Icon, Color Color) RiskReason(BudgetFigures figures) =>
        figures.State is PaceState.OverPace or PaceState.OverBudget
            ? (Label(figures.State), Icon(figures.State), Color(figures.State))
            : (string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(figures.PercentUsed ?? 100):0}% used"), Icons.Material.Filled.Warning, MudBlazor.Color.Warning);

    /// <summary>The progress bar's fill: share of the available amount used, 0–100.</summary>
    public static double Progress(BudgetFigures figures) => Math.Clamp(figures.PercentUsed ?? (figures.SpentMinor > 0 ? 100 : 0), 0, 100);
}
