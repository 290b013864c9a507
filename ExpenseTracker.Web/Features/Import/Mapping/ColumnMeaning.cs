using ExpenseTracker.Web.Features.Import.Readers;

namespace ExpenseTracker.Web.Features.Import.Mapping;

/// <summary>What one column of a CSV or XLSX file holds, as the user maps it in the wizard.</summary>
public enum ColumnMeaning
{
    Ignore = 0,
    Date,
    Amount,
    Debit,
    Credit,
    Payee,
    Notes,
    Category,
    Tags,
    Currency,
    Reference,
    Direction,
}

/// <summary>What the wizard hands on: how to read the file, the profile saved (if any) and that profile's account.</summary>
public sealed record MappingChosen(ReaderOptions Options, string? ProfileName, long? AccountId);

/// <summary>Column meanings to and from a <see cref="CsvMapping"/>.</summary>
public static class ColumnMeanings
{
    public static string Label(ColumnMeaning meaning) => meaning switch
    {
        ColumnMeaning.Date => "Date",
        ColumnMeaning.Amount => "Amount (+ in, − out)",
        ColumnMeaning.Debit => "Money out (debit)",
        ColumnMeaning.Credit => "Money in (credit)",
        ColumnMeaning.Payee => "Payee",
        ColumnMeaning.Notes => "Notes",
        ColumnMeaning.Category => "Category",
        ColumnMeaning.Tags => "Tags",
        ColumnMeaning.Currency => "Currency",
        ColumnMeaning.Reference => "Bank reference",
        ColumnMeaning.Direction => "Debit/credit marker",
        _ => "Ignore",
    };

    /// <summary>One meaning per column, <paramref name="width"/> columns wide.</summary>
    public static ColumnMeaning[] FromMapping(CsvMapping mapping, int width)
    {
        var meanings = new ColumnMeaning[width];
        void Set(int? index, ColumnMeaning meaning)
        {
            if (index is { } i && i >= 0 && i < width)
            {
                meanings[i] = meaning;
            }
        }

        Set(mapping.Date, ColumnMeaning.Date);
        Set(mapping.Amount, ColumnMeaning.Amount);
        Set(mapping.Debit, ColumnMeaning.Debit);
        Set(mapping.Credit, ColumnMeaning.Credit);
        Set(mapping.Payee, ColumnMeaning.Payee);
        Set(mapping.Memo, ColumnMeaning.Notes);
        Set(mapping.Category, ColumnMeaning.Category);
        Set(mapping.Tags, ColumnMeaning.Tags);
        Set(mapping.Currency, ColumnMeaning.Currency);
        Set(mapping.Reference, ColumnMeaning.Reference);
        Set(mapping.Direction, ColumnMeaning.Direction);
        return meanings;
    }

    /// <summary>The column indexes of a mapping; header, delimiter, date format and decimal separator come from <paramref name="rest"/>.</summary>
    public static CsvMapping ToMapping(IReadOnlyList<ColumnMeaning> meanings, CsvMapping rest)
    {
        int? Find(ColumnMeaning meaning)
        {
            for (var i = 0; i < meanings.Count; i++)
            {
                if (meanings[i] == meaning)
                {
                    return i;
                }
            }

            return null;
        }

        return rest with
        {
            Date = Find(ColumnMeaning.Date),
            Amount = Find(ColumnMeaning.Amount),
            Debit = Find(ColumnMeaning.Debit),
            Credit = Find(ColumnMeaning.Credit),
            Payee = Find(ColumnMeaning.Payee),
            Memo = Find(ColumnMeaning.Notes),
            Category = Find(ColumnMeaning.Category),
            Tags = Find(ColumnMeaning.Tags),
            Currency = Find(ColumnMeaning.Currency),
            Reference = Find(ColumnMeaning.Reference),
            Direction = Find(ColumnMeaning.Direction),
        };
    }

    /// <summary>Gives column <paramref name="column"/> its meaning: a meaning belongs to one column only, and a signed
    /// amount excludes separate debit and credit columns (and the other way round).</summary>
    public static void Assign(ColumnMeaning[] meanings, int column, ColumnMeaning meaning)
    {
        for (var i = 0; i < meanings.Length; i++)
        {
            var clash = meaning != ColumnMeaning.Ignore && (meanings[i] == meaning
                || (meaning == ColumnMeaning.Amount && meanings[i] is ColumnMeaning.Debit or ColumnMeaning.Credit)
                || (meaning is ColumnMeaning.Debit or ColumnMeaning.Credit && meanings[i] == ColumnMeaning.Amount));
            if (i != column && clash)
            {
                meanings[i] = ColumnMeaning.Ignore;
            }
        }

        meanings[column] = meaning;
    }

    /// <summary>What is missing for the file to be read, in plain words; null when the mapping is complete.</summary>
    public static string? Problem(IReadOnlyList<ColumnMeaning> meanings)
    {
        if (!meanings.Contains(ColumnMeaning.Date))
        {
            return "Choose which column holds the date.";
        }

        if (!meanings.Any(m => m is ColumnMeaning.Amount or ColumnMeaning.Debit or ColumnMeaning.Credit))
        {
            return "Choose the amount column, or the money-out and money-in columns.";
        }

        return null;
    }
}
