using System.Globalization;
using System.Text;

namespace ExpenseTracker.Web.Features.Import.Readers;

/// <summary>
/// Guesses a <see cref="CsvMapping"/>: a header is a first row none of whose cells is a date or an amount; its
/// names are matched against words banks use (English, German, French, Spanish, Hungarian); without a header,
/// or for columns the names do not settle, the data decides (the date column, then the amount column).
/// </summary>
public static class CsvMappingGuesser
{
    private static readonly string[] DateNames = ["date", "transaction date", "booking date", "buchungstag", "datum", "fecha", "journaldate", "date de valeur", "konyveles datuma", "datum transakce", "posted date", "value date", "wertstellung", "created", "transaktionsdatum"];
    private static readonly string[] AmountNames = ["amount", "betrag", "montant", "importe", "osszeg", "netamount", "net amount", "value", "total", "bedrag", "kwota", "amount (eur)", "transaction amount"];
    private static readonly string[] DebitNames = ["debit", "withdrawal", "withdrawals", "debit amount", "soll", "ausgang", "money out", "paid out", "charge", "cargo"];
    private static readonly string[] CreditNames = ["credit", "deposit", "deposits", "credit amount", "haben", "eingang", "money in", "paid in", "abono"];
    private static readonly string[] PayeeNames = ["payee", "partner name", "merchant name", "name", "auftraggeber/empfanger", "beneficiary", "counterparty", "empfanger", "partner nev", "description", "desc", "merchant", "beschreibung", "libelle", "concepto"];
    private static readonly string[] MemoNames = ["notes", "note", "memo", "comments", "comment", "reason", "purpose", "payment reference", "verwendungszweck", "vwz1", "kozlemeny", "megjegyzes", "description 1", "original description", "details", "buchungstext"];
    private static readonly string[] CategoryNames = ["category", "kategoria", "kategorie", "categorie", "class"];
    private static readonly string[] TagNames = ["tags", "labels", "tag"];
    private static readonly string[] CurrencyNames = ["currency", "wahrung", "monn.", "devizanem", "ccy", "devise", "moneda"];
    private static readonly string[] ReferenceNames = ["reference", "transaction id", "reference id", "tranzakcioazonosito", "n° de transaction", "id", "fitid", "check number", "checknumber", "num"];
    private static readonly string[] DirectionNames = ["transaction type", "type", "debit/credit", "cr/dr"];

    public static CsvMapping Guess(IReadOnlyList<IReadOnlyList<string>> rows, char delimiter)
    {
        var first = rows[0];
        var hasHeader = first.All(c => !Values.LooksLikeDate(c) && !IsAmount(c)) && first.Any(c => c.Any(char.IsLetter));
        var data = rows.Skip(hasHeader ? 1 : 0).Where(r => !hasHeader || !r.SequenceEqual(first, StringComparer.Ordinal)).Take(200).ToList();
        var mapping = new CsvMapping { HasHeader = hasHeader, Delimiter = delimiter };
        var used = new HashSet<int>();
        if (hasHeader)
        {
            var names = first.Select(Normalise).ToList();
            int? Find(string[] words, Func<int, bool>? accept = null)
            {
                foreach (var word in words)
                {
                    for (var i = 0; i < names.Count; i++)
                    {
                        if (!used.Contains(i) && names[i] == word && (accept?.Invoke(i) ?? true))
                        {
                            used.Add(i);
                            return i;
                        }
                    }
                }

                return null;
            }

            bool MostlyDates(int i) => Share(data, i, Values.LooksLikeDate) >= 0.5;
            bool MostlyAmounts(int i) => Share(data, i, IsAmount) >= 0.8;
            bool NumericOrEmpty(int i) => data.All(r => i >= r.Count || string.IsNullOrWhiteSpace(r[i]) || IsAmount(r[i]));

            mapping = mapping with
            {
                Date = Find(DateNames, MostlyDates) ?? FindContaining(names, used, ["date", "datum"], MostlyDates),
                Amount = Find(AmountNames, MostlyAmounts) ?? FindContaining(names, used, ["amount", "betrag", "montant"], MostlyAmounts, ["original", "converted", "refund", "transfer", "compensation", "exchange", "credit", "debit", "balance"]),
            };
            if (mapping.Amount is null)
            {
                mapping = mapping with { Debit = Find(DebitNames, NumericOrEmpty), Credit = Find(CreditNames, NumericOrEmpty) };
            }

            mapping = mapping with
            {
                Payee = Find(PayeeNames),
                Memo = Find(MemoNames),
                Category = Find(CategoryNames),
                Tags = Find(TagNames),
                Currency = Find(CurrencyNames, i => data.All(r => i >= r.Count || r[i].Trim().Length is 0 or 3)),
                Reference = Find(ReferenceNames),
                Direction = mapping.Amount is null ? null : Find(DirectionNames, i => data.All(r => i >= r.Count || r[i].Trim().ToLowerInvariant() is "debit" or "credit" or "" or "d" or "c" or "dr" or "cr")),
            };
        }

        if (mapping.Date is null)
        {
            mapping = mapping with { Date = FirstColumn(data, used, Values.LooksLikeDate) };
        }

        if (mapping.Amount is null && mapping.Debit is null && mapping.Credit is null)
        {
            mapping = mapping with { Amount = FirstColumn(data, used, c => IsAmount(c) && c.Any(ch => ch is '.' or ',' or '-')) ?? FirstColumn(data, used, IsAmount) };
        }

        if (!hasHeader)
        {
            mapping = mapping with { Payee = FirstColumn(data, used, c => c.Any(char.IsLetter)) };
            mapping = mapping with { Direction = FirstColumn(data, used, c => c.Trim().ToLowerInvariant() is "debit" or "credit") };
        }

        return mapping;
    }

    private static bool IsAmount(string c)
    {
        var t = c.Trim();
        return t.Length > 0 && t.Count(char.IsDigit) > 0 && !t.Any(char.IsLetter) && !Values.LooksLikeDate(t)
            && t.Count(ch => ch is '/' or ':') == 0 && Values.TryParseAmount(t, out _);
    }

    private static double Share(List<IReadOnlyList<string>> data, int i, Func<string, bool> test)
    {
        var values = data.Where(r => i < r.Count && r[i].Trim().Length > 0).Select(r => r[i]).ToList();
        return values.Count == 0 ? 0 : values.Count(test) / (double)values.Count;
    }

    private static int? FirstColumn(List<IReadOnlyList<string>> data, HashSet<int> used, Func<string, bool> test)
    {
        var width = data.Count == 0 ? 0 : data.Max(r => r.Count);
        for (var i = 0; i < width; i++)
        {
            if (!used.Contains(i) && Share(data, i, test) >= 0.8)
            {
                used.Add(i);
                return i;
            }
        }

        return null;
    }

    private static int? FindContaining(List<string> names, HashSet<int> used, string[] words, Func<int, bool> accept, string[]? exclude = null)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (!used.Contains(i) && words.Any(w => names[i].Contains(w, StringComparison.Ordinal))
                && !(exclude ?? []).Any(x => names[i].Contains(x, StringComparison.Ordinal)) && accept(i))
            {
                used.Add(i);
                return i;
            }
        }

        return null;
    }

    /// <summary>Lower case, trimmed, accents removed ("Könyvelés dátuma" → "konyveles datuma").</summary>
    private static string Normalise(string header)
    {
        var decomposed = header.Trim().Trim('\uFEFF').ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c);
            }
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
