using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Analytics;
using ExpenseTracker.Web.Features.Budgets;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Analytics;

/// <summary>Every chart segment's filter lists exactly what it counts: the expense list's total equals the segment to the cent.</summary>
public sealed class AnalyticsDrillDownTests(AnalyticsHouseholds households) : IClassFixture<AnalyticsHouseholds>
{
    private AnalyticsHousehold data = null!;

    private async Task OnAsync(DatabaseProvider provider) => data = await households.ForAsync(provider);

    private static readonly AnalyticsFilter Period = new() { From = new DateOnly(2025, 11, 1), To = new DateOnly(2026, 11, 30) };
    private static readonly BudgetMonth November = new(2026, 11);

    private async Task AssertListSpends(long expected, ExpenseFilter filter, string segment)
    {
        var page = await data.ListAsync(filter);
        Assert.True(expected == page.SpendingMinor, $"{segment}: chart {expected}, list {page.SpendingMinor}");
    }

    [ProviderTheory]
    public async Task CategorySlicesDrillDownToTheirLines(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var chart = await data.AsOwnerAsync(a => a.SpendingByCategoryAsync(Period));

        Assert.NotEmpty(chart.Slices);
        await AssertListSpends(chart.TotalMinor, chart.DrillDown, "total");
        foreach (var slice in chart.Slices)
        {
            await AssertListSpends(slice.AmountMinor, slice.DrillDown, slice.Name);
        }
    }

    [ProviderTheory]
    public async Task EveryCellOfTheMonthlyTrendDrillsDownToItsMonthAndCategory(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var trend = await data.AsOwnerAsync(a => a.MonthlyTrendAsync(Period));

        Assert.Equal(13, trend.Months.Count);
        foreach (var month in trend.Months)
        {
            await AssertListSpends(month.TotalMinor, month.DrillDown, month.Month.ToString());
        }

        foreach (var series in trend.Series)
        {
            for (var i = 0; i < series.Cells.Count; i++)
            {
                await AssertListSpends(series.Cells[i].AmountMinor, series.Cells[i].DrillDown, $"{series.Name} {trend.Months[i].Month}");
            }
        }
    }

    [ProviderTheory]
    public async Task ComparisonCellsDrillDownToTheirMonths(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var comparison = await data.AsOwnerAsync(a => a.CategoryComparisonAsync(November));

        foreach (var row in comparison.Rows.Append(comparison.Total))
        {
            await AssertListSpends(row.ThisMonth.AmountMinor, row.ThisMonth.DrillDown, row.Name + " this");
            await AssertListSpends(row.LastMonth.AmountMinor, row.LastMonth.DrillDown, row.Name + " last");
            await AssertListSpends(row.SameMonthLastYear.AmountMinor, row.SameMonthLastYear.DrillDown, row.Name + " last year");
        }
    }

    [ProviderTheory]
    public async Task PayeeAndMemberSlicesDrillDownToTheirTransactions(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var payees = await data.AsOwnerAsync(a => a.TopPayeesAsync(Period));
        var members = await data.AsOwnerAsync(a => a.SpendingPerMemberAsync(Period));

        foreach (var payee in payees.Payees)
        {
            await AssertListSpends(payee.AmountMinor, payee.DrillDown, payee.Name);
            Assert.Equal(payee.Count, (await data.ListAsync(payee.DrillDown)).TotalCount);
        }

        foreach (var member in members.Members)
        {
            await AssertListSpends(member.AmountMinor, member.DrillDown, member.Name);
        }
    }

    [ProviderTheory]
    public async Task IncomeAndSpendingCellsDrillDownToTheirTransactions(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var chart = await data.AsOwnerAsync(a => a.IncomeVsSpendingAsync(Period));

        foreach (var month in chart.Months)
        {
            await AssertListSpends(month.Spending.AmountMinor, month.Spending.DrillDown, month.Month + " spending");
            var income = await data.ListAsync(month.Income.DrillDown);
            Assert.All(income.Items, i => Assert.Equal(TransactionKind.Income, i.Kind));
            Assert.Equal(month.Income.AmountMinor, income.Items.Sum(i => i.AmountMinor));
        }
    }

    [ProviderTheory]
    public async Task CumulativeDaysAndBudgetBarsDrillDownToTheirTransactions(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var cumulative = await data.AsOwnerAsync(a => a.CumulativeSpendingAsync(November));
        var bars = await data.AsOwnerAsync(a => a.BudgetVsActualAsync(November));

        foreach (var day in cumulative.Days.Where(d => d.CumulativeMinor is not null))
        {
            await AssertListSpends(day.DayMinor, day.DayDrillDown, day.Date.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await AssertListSpends(day.CumulativeMinor!.Value, day.ToDateDrillDown, "to " + day.Date.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var bar in bars.Bars)
        {
            await AssertListSpends(bar.SpentMinor, bar.DrillDown, bar.Name);
        }
    }

    [ProviderTheory]
    public async Task TheMemberFilterAppliesToChartsAndTheirDrillDownsAlike(DatabaseProvider provider)
    {
        await OnAsync(provider);
        var filtered = Period with { MemberIds = [data.Sam] };
        var chart = await data.AsOwnerAsync(a => a.SpendingByCategoryAsync(filtered));

        // Paid by Sam: dinner 50 in October, transport 15 in November.
        Assert.Equal(65_00, chart.TotalMinor);
        foreach (var slice in chart.Slices)
        {
            await AssertListSpends(slice.AmountMinor, slice.DrillDown, slice.Name);
        }
    }
}
