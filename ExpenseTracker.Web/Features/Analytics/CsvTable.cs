using System.Globalization;
using System.Text;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Web.Features.Analytics;

/// <summary>
/// A tiny RFC 4180 writer: comma-separated, CRLF line ends, fields with a comma, quote or line break quoted (quotes
/// doubled). Text cells that a spreadsheet would run as a formula (leading =, +, -, @, tab or CR) get a leading
/// apostrophe (OWASP CSV injection); numbers are written by us, invariant, and never escaped.
/// </summary>
public sealed class CsvTable
{
    private readonly StringBuilder text = new();
    private bool lineStarted;

    public CsvTable(params string[] header)
    {
        foreach (var name in header)
        {
            Text(name);
        }

        EndRow();
    }

    public CsvTable Text(string? value)
    {
        Separator();
        var cell = value ?? string.Empty;
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            cell = "'" + cell;
        }

        text.Append(cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell);
        return this;
    }

    /// <summary>An amount in major units with the currency's decimals, e.g. 1234.50 (a decimal point, no grouping).</summary>
    public CsvTable Money(long minor, string currency)
    {
        var exponent = Currencies.Exponent(currency);
        return Raw(Infrastructure.Money.ToMajor(minor, currency).ToString("F" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }

    public CsvTable Number(double? value, int decimals = 1) =>
        Raw(value is { } v ? Math.Round(v, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : string.Empty);

    public CsvTable Number(long value) => Raw(value.ToString(CultureInfo.InvariantCulture));

    public CsvTable Date(DateOnly value) => Raw(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public CsvTable EndRow()
    {
        text.Append("\r\n");
        lineStarted = false;
        return this;
    }

    public override string ToString() => text.ToString();

    private CsvTable Raw(string value)
    {
        Separator();
        text.Append(value);
        return this;
    }

    private void Separator()
    {
        if (lineStarted)
        {
            text.Append(',');
        }

        lineStarted = true;
    }
}
