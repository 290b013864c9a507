namespace ExpenseTracker.Web.Data;

/// <summary>
/// A row of the SQLite FTS5 table <c>TransactionSearch</c> (rowid = Transactions.Id; payee name, notes and tag names,
/// accents folded by the tokenizer). Triggers on Transactions, Payees, Tags and TransactionTags keep it in step in the same
/// transaction as every write (migration "Search"); it is read only, through <see cref="Match"/>, and only joined to
/// transactions the reader may see.
/// </summary>
public sealed class TransactionSearchRow
{
    public long RowId { get; set; }
    public string? Payee { get; set; }
    public string? Notes { get; set; }
    public string? Tags { get; set; }

    /// <summary>The table-named hidden column: <c>WHERE TransactionSearch = 'query'</c> is an FTS5 full-text match.</summary>
    public string? Match { get; set; }
}
