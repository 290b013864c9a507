namespace ExpenseTracker.Web.Features.Import.Page;

/// <summary>
/// What the user chose in the preview: accounts per statement, unticked rows, changed categories and the batch rate.
/// Duplicates start unticked; choices survive a new preview of the same file (after an account or rate change).
/// </summary>
public sealed class ImportSelections
{
    public Dictionary<int, long> Accounts { get; } = [];
    public HashSet<(int Statement, int Row)> Excluded { get; } = [];
    public Dictionary<(int Statement, int Row), long> Categories { get; } = [];

    /// <summary>Household currency per one unit of the statement currency; one rate per import.</summary>
    public decimal? Rate { get; set; }

    public static ImportSelections For(ImportPreview preview, ImportSelections? previous = null)
    {
        var selections = new ImportSelections { Rate = previous?.Rate };
        foreach (var statement in preview.Statements)
        {
            if (previous?.Accounts.TryGetValue(statement.Index, out var chosen) == true)
            {
                selections.Accounts[statement.Index] = chosen;
            }
            else if (statement.AccountId is { } matched)
            {
                selections.Accounts[statement.Index] = matched;
            }

            foreach (var row in statement.Rows)
            {
                var key = (statement.Index, row.Index);
                if (previous is null ? row.Status == PreviewRowStatus.Duplicate : previous.Excluded.Contains(key))
                {
                    selections.Excluded.Add(key);
                }

                if (previous?.Categories.TryGetValue(key, out var category) == true)
                {
                    selections.Categories[key] = category;
                }
            }
        }

        return selections;
    }

    public bool IsIncluded(int statement, int row) => !Excluded.Contains((statement, row));

    public void SetIncluded(int statement, int row, bool included)
    {
        if (included)
        {
            Excluded.Remove((statement, row));
        }
        else
        {
            Excluded.Add((statement, row));
        }
    }

    public int IncludedCount(ImportPreview preview) =>
        preview.Statements.Sum(s => s.Rows.Count(r => IsIncluded(s.Index, r.Index)));

    /// <summary>What still has to be chosen before the import can run, in plain words; null when nothing.</summary>
    public string? Problem(ImportPreview preview)
    {
        if (preview.Statements.FirstOrDefault(s => !Accounts.ContainsKey(s.Index)) is { } noAccount)
        {
            return preview.Statements.Count == 1
                ? "Choose the account these transactions belong to."
                : $"Choose the account for statement {noAccount.Index + 1}.";
        }

        if (preview.Statements.Any(s => s.NeedsRate) && Rate is not > 0m)
        {
            return "Enter the exchange rate for the statement in another currency.";
        }

        return IncludedCount(preview) == 0 ? "Tick at least one row to import." : null;
    }

    public ImportChoices ToChoices() => new()
    {
        Accounts = new Dictionary<int, long>(Accounts),
        Excluded = new HashSet<(int, int)>(Excluded),
        Categories = new Dictionary<(int, int), long>(Categories),
    };
}
