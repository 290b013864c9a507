namespace ExpenseTracker.Web.Data;

/// <summary>
/// A row of the SQLite FTS5 table <c>TransactionSearch</c> (rowid = Transactions.Id; payee name, notes and tag names,
/// accents folded by the tokenizer). Triggers on Transactions, Payees, Tags and TransactionTags keep it in step in the same
/// transaction as every write (migrations "Search" and "SearchByHousehold": a fourth column, household, holds the row's
/// household as one token that every search ANDs); it is read only, through <see cref="Match"/>, and only joined to
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

    /// <summary>PostgreSQL only: the folded words of payee, notes and tags (<c>document @@ to_tsquery(...)</c>).</summary>
    public NpgsqlTypes.NpgsqlTsVector? Document { get; set; }
}

/// <summary>A member's named search of the expense list (the list's URL), optionally pinned in the navigation.</summary>
public sealed class SavedSearch : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long MemberId { get; set; }
    public required string Name { get; set; }
    /// <summary>The expense list's relative URL with its filter, e.g. "expenses?q=coffee%20date%3Athis-month".</summary>
    public required string Url { get; set; }
    public bool Pinned { get; set; }
    public DateTime CreatedAt { get; set; }
}
