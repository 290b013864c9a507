using ExpenseTracker.Web.Features.Budgets;
using MudBlazor;

namespace ExpenseTracker.Tests.Unit.Budgets;

/// <summary>The dashboard's "Budgets at risk": which budgets are listed, and the reason each one shows.</summary>
public sealed class PaceStateDisplayTests
{
    private static BudgetFigures Figures(PaceState state, double? percentUsed, BudgetThreshold threshold) =>
        new(2_000_00, 0, 2_000_00, (long)((percentUsed ?? 0) * 2_000), 0, null, 10, 1_800_00, percentUsed, state, threshold);

    [Theory]
    [InlineData(PaceState.UnderPace, 40.0, BudgetThreshold.None, false)]
    [InlineData(PaceState.OnPace, 70.0, BudgetThreshold.None, false)]
    [InlineData(PaceState.OnPace, 82.5, BudgetThreshold.Warn, true)]
    [InlineData(PaceState.OverPace, 60.0, BudgetThreshold.None, true)]
    [InlineData(PaceState.OverBudget, 104.0, BudgetThreshold.Alert, true)]
    public void ABudgetIsAtRiskWhenAheadOfPaceOrPastItsWarningThreshold(PaceState state, double percent, BudgetThreshold threshold, bool atRisk) =>
        Assert.Equal(atRisk, PaceStateDisplay.IsAtRisk(Figures(state, percent, threshold)));

    [Fact]
    public void AnOnPaceBudgetPastItsThresholdSaysHowMuchIsUsedNotOnPace()
    {
        // Housing after rent on the 1st: 82.5 % used, and on pace because the rent was expected that day.
        var (label, icon, color) = PaceStateDisplay.RiskReason(Figures(PaceState.OnPace, 82.5, BudgetThreshold.Warn));

        Assert.Equal("82% used", label);
        Assert.Equal(Icons.Material.Filled.Warning, icon);
        Assert.Equal(Color.Warning, color);
    }

    [Theory]
    [InlineData(PaceState.OverPace, "Over pace")]
    [InlineData(PaceState.OverBudget, "Over budget")]
    public void ABudgetAheadOfPaceSaysSo(PaceState state, string expected)
    {
        var (label, icon, color) = PaceStateDisplay.RiskReason(Figures(state, 90.0, BudgetThreshold.Warn));

        Assert.Equal(expected, label);
        Assert.Equal(PaceStateDisplay.Icon(state), icon);
        Assert.Equal(PaceStateDisplay.Color(state), color);
    }
}
