using ExpenseTracker.Web.Features.Budgets;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>The table behind each chart as CSV (see <see cref="CsvTable"/>); amounts in major units of <c>currency</c>.</summary>
public static class AnalyticsCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string Of(CategorySpending data, string currency)
    {
        var csv = new CsvTable("Category", "Amount", "Percent");
        foreach (var s in data.Slices)
        {
            csv.Text(s.Name).Money(s.AmountMinor, currency).Number(s.Percent).EndRow();
        }

        if (data.Private is { } hidden)
        {
            csv.Text(hidden.Label).Money(hidden.AmountMinor, currency).Number(hidden.Percent).EndRow();
        }

        return csv.Text("Total").Money(data.TotalMinor, currency).Number(100.0).EndRow().ToString();
    }

    public static string Of(MonthlyTrend data, string currency)
    {
        var csv = new CsvTable(["Category", .. data.Months.Select(m => m.Month.ToString())]);
        foreach (var series in data.Series)
        {
            csv.Text(series.Name);
            foreach (var cell in series.Cells)
            {
                csv.Money(cell.AmountMinor, currency);
            }

            csv.EndRow();
        }

        if (data.Private is { } hidden)
        {
            csv.Text(hidden.Label);
            foreach (var cell in hidden.Cells)
            {
                csv.Money(cell.AmountMinor, currency);
            }

            csv.EndRow();
        }

        csv.Text("Total");
        foreach (var month in data.Months)
        {
            csv.Money(month.TotalMinor, currency);
        }

        csv.EndRow().Text("Average").Money(data.AverageMinor, currency).EndRow();
        return csv.ToString();
    }

    public static string Of(BudgetVsActual data, string currency)
    {
        var csv = new CsvTable("Category", "Budget", "Spent", "State");
        foreach (var bar in data.Bars)
        {
            csv.Text(bar.Name).Money(bar.BudgetMinor, currency).Money(bar.SpentMinor, currency).Text(bar.State.ToString()).EndRow();
        }

        return csv.ToString();
    }

    public static string Of(CumulativeSpending data, string currency)
    {
        var csv = new CsvTable("Date", "Spent", "Cumulative", "Pace");
        foreach (var day in data.Days)
        {
            csv.Date(day.Date).Money(day.DayMinor, currency);
            if (day.CumulativeMinor is { } cumulative)
            {
                csv.Money(cumulative, currency);
            }
            else
            {
                csv.Text(null);
            }

            if (day.PaceMinor is { } pace)
            {
                csv.Money(pace, currency);
            }
            else
            {
                csv.Text(null);
            }

            csv.EndRow();
        }

        if (data.Private is { } hidden)
        {
            // Already in the days' amounts: the line says how much of them is other members' private spending.
            csv.Text(hidden.Label).Money(hidden.AmountMinor, currency).Text(null).Text(null).EndRow();
        }

        return csv.ToString();
    }

    public static string Of(CategoryComparison data, string currency)
    {
        var csv = new CsvTable("Category", data.ThisMonth.ToString(), data.LastMonth.ToString(), data.SameMonthLastYear.ToString(),
            "Change vs last month", "Change vs last month %", "Change vs last year", "Change vs last year %");
        foreach (var row in data.Rows.Concat(data.Private is { } hidden ? [hidden.Row] : []).Append(data.Total))
        {
            csv.Text(row.Name).Money(row.ThisMonth.AmountMinor, currency).Money(row.LastMonth.AmountMinor, currency)
                .Money(row.SameMonthLastYear.AmountMinor, currency).Money(row.DiffVsLastMinor, currency).Number(row.DiffVsLastPercent)
                .Money(row.DiffVsLastYearMinor, currency).Number(row.DiffVsLastYearPercent).EndRow();
        }

        return csv.ToString();
    }

    public static string Of(TopPayees data, string currency)
    {
        var csv = new CsvTable("Payee", "Amount", "Transactions", "Percent");
        foreach (var p in data.Payees)
        {
            csv.Text(p.Name).Money(p.AmountMinor, currency).Number(p.Count).Number(p.Percent).EndRow();
        }

        if (data.Private is { } hidden)
        {
            csv.Text(hidden.Label).Money(hidden.AmountMinor, currency).Number(hidden.Count).Number(hidden.Percent).EndRow();
        }

        return csv.ToString();
    }

    public static string Of(MemberSpendingChart data, string currency)
    {
        var csv = new CsvTable("Member", "Amount", "Percent");
        foreach (var m in data.Members)
        {
            csv.Text(m.Name).Money(m.AmountMinor, currency).Number(m.Percent).EndRow();
        }

        if (data.Private is { } hidden)
        {
            csv.Text(hidden.Label).Money(hidden.AmountMinor, currency).Number(hidden.Percent).EndRow();
        }

        return csv.Text("Total").Money(data.TotalMinor, currency).Number(100.0).EndRow().ToString();
    }

    public static string Of(IncomeVsSpending data, string currency)
    {
        var csv = new CsvTable("Month", "Income", "Spending", "Net");
        foreach (var m in data.Months)
        {
            csv.Text(m.Month.ToString()).Money(m.Income.AmountMinor, currency).Money(m.Spending.AmountMinor, currency).Money(m.NetMinor, currency).EndRow();
        }

        if (data.Private is { } hidden)
        {
            // Already in the months' figures, as in the list's private line.
            csv.Text(hidden.Label).Money(hidden.IncomeMinor, currency).Money(hidden.SpendingMinor, currency).Money(hidden.IncomeMinor - hidden.SpendingMinor, currency).EndRow();
        }

        return csv.ToString();
    }

    public static string Of(BudgetMonthView view)
    {
        var csv = new CsvTable("Budget", "Amount", "Carried", "Available", "Spent", "Remaining", "Per day left", "State");
        foreach (var row in view.Categories.Concat(view.Allowances).Concat(view.Overall is null ? [] : [view.Overall]))
        {
            var f = row.Figures;
            csv.Text(row.Name).Money(f.BudgetMinor, view.Currency).Money(f.CarriedMinor, view.Currency).Money(f.AvailableMinor, view.Currency)
                .Money(f.SpentMinor, view.Currency).Money(f.RemainingMinor, view.Currency);
            if (f.RemainingPerDayMinor is { } perDay)
            {
                csv.Money(perDay, view.Currency);
            }
            else
            {
                csv.Text(null);
            }

            csv.Text(f.State.ToString()).EndRow();
        }

        return csv.Text("Unbudgeted").Text(null).Text(null).Text(null).Money(view.Unbudgeted.SpentMinor, view.Currency).EndRow().ToString();
    }
}
