using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Households;

namespace ExpenseTracker.Web.Features.Expenses;

public sealed record LineInput(long CategoryId, long AmountMinor, string? Note = null);

/// <summary>
/// How an expense is split among members: the method and one part per member (see <see cref="SplitPart"/> for what
/// Value means per method). The service turns it into MemberShare rows with <see cref="SplitCalculator"/>.
/// </summary>
public sealed record ShareSplit(SplitMethod Method, IReadOnlyList<SplitPart> Parts);

/// <summary>What the editor, quick add, imports and the API submit. Amounts are minor units of the household currency.</summary>
public sealed record ExpenseInput
{
    public TransactionKind Kind { get; init; } = TransactionKind.Expense;
    public long AmountMinor { get; init; }
    public DateOnly Date { get; init; }
    public string? Payee { get; init; }
    public string? Notes { get; init; }
    public long AccountId { get; init; }
    public long? ToAccountId { get; init; }
    public long? PaidByMemberId { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<LineInput> Lines { get; init; } = [];
    public long? OriginalAmountMinor { get; init; }
    public string? OriginalCurrency { get; init; }
    public decimal? ExchangeRate { get; init; }
    public TransactionSource Source { get; init; } = TransactionSource.Manual;

    /// <summary>Visible in detail to its author only; others see it folded into "private (n items)".</summary>
    public bool IsPrivate { get; init; }

    /// <summary>Null (or no parts): not shared.</summary>
    public ShareSplit? Split { get; init; }
}

public sealed record ExpenseDetails(
    long Id,
    long Version,
    TransactionKind Kind,
    long AmountMinor,
    string Currency,
    DateOnly Date,
    string? Payee,
    string? Notes,
    long AccountId,
    long? ToAccountId,
    long? PaidByMemberId,
    IReadOnlyList<string> Tags,
    IReadOnlyList<LineInput> Lines,
    long? OriginalAmountMinor,
    string? OriginalCurrency,
    decimal? ExchangeRate,
    bool IsPrivate = false,
    IReadOnlyList<ShareAmount>? Shares = null)
{
    public bool IsShared => Shares is { Count: > 0 };

    public ExpenseInput ToInput() => new()
    {
        Kind = Kind, AmountMinor = AmountMinor, Date = Date, Payee = Payee, Notes = Notes, AccountId = AccountId,
        ToAccountId = ToAccountId, PaidByMemberId = PaidByMemberId, Tags = Tags, Lines = Lines,
        OriginalAmountMinor = OriginalAmountMinor, OriginalCurrency = OriginalCurrency, ExchangeRate = ExchangeRate,
        IsPrivate = IsPrivate,
        Split = IsShared ? new ShareSplit(SplitMethod.ExactAmounts, Shares!.Select(s => new SplitPart(s.MemberId, s.AmountMinor)).ToList()) : null,
    };
}

public enum ExpenseSort
{
    Date = 0,
    Amount = 1,
    Payee = 2,
}

public sealed record ExpenseFilter
{
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public IReadOnlyList<long> CategoryIds { get; init; } = [];
    public IReadOnlyList<long> TagIds { get; init; } = [];
    public IReadOnlyList<long> MemberIds { get; init; } = [];
    public IReadOnlyList<long> AccountIds { get; init; } = [];
    public IReadOnlyList<TransactionKind> Kinds { get; init; } = [];

    /// <summary>The query line as typed (see <see cref="Search.QueryLine"/>); <see cref="Terms"/> is what it means.</summary>
    public string? Text { get; init; }

    /// <summary>
    /// The parsed query line (<see cref="ExpenseQuery.ToFilter"/> fills it). A filter built in code with only
    /// <see cref="Text"/> searches its plain words.
    /// </summary>
    public IReadOnlyList<Search.SearchTerm> Terms { get; init; } = [];

    public long? MinAmountMinor { get; init; }
    public long? MaxAmountMinor { get; init; }

    /// <summary>Drill-down from "top payees": only these payees' transactions.</summary>
    public IReadOnlyList<long> PayeeIds { get; init; } = [];

    /// <summary>
    /// Drill-down from "spending per member": the transactions counted in this member's spending (their share of a shared
    /// one, else the ones they paid), and the spending total counts only their share.
    /// </summary>
    public long? SpendingOfMemberId { get; init; }
}

public sealed record ExpensePageRequest(ExpenseFilter Filter, int Skip, int Take, ExpenseSort Sort = ExpenseSort.Date, bool Descending = true);

public sealed record CategoryChip(long Id, string Name, string Color, string Icon);

public sealed record ExpenseRow(
    long Id,
    long Version,
    DateOnly Date,
    TransactionKind Kind,
    long AmountMinor,
    string? Payee,
    string? Notes,
    string Account,
    string? ToAccount,
    string? PaidBy,
    IReadOnlyList<CategoryChip> Categories,
    IReadOnlyList<string> Tags,
    bool IsPrivate = false,
    bool IsShared = false);

/// <param name="SpendingMinor">Spending of the visible rows.</param>
/// <param name="HiddenPrivate">Other people's private transactions within the same filter: add it to get the household total.</param>
public sealed record ExpensePage(IReadOnlyList<ExpenseRow> Items, int TotalCount, long SpendingMinor, PrivateSummary? HiddenPrivate = null)
{
    public PrivateSummary Private => HiddenPrivate ?? PrivateSummary.None;

    /// <summary>Visible spending plus the private line: the same total a chart over this filter shows.</summary>
    public long TotalSpendingMinor => SpendingMinor + Private.SpendingMinor;
}

public sealed record LookupItem(long Id, string Name, string? Color = null, string? Icon = null, bool Archived = false);

public sealed record ExpenseLookups(
    IReadOnlyList<LookupItem> Categories,
    IReadOnlyList<LookupItem> Accounts,
    IReadOnlyList<LookupItem> Members,
    IReadOnlyList<LookupItem> Tags);

/// <summary>A user-fixable problem with the input, keyed by field name (as ProblemDetails' errors).</summary>
public sealed class ExpenseValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception(string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>Someone else saved this expense since it was opened.</summary>
public sealed class ConcurrencyConflictException()
    : Exception("Someone else changed this expense since you opened it. Reload to see their change, then edit again.");

/// <summary>The id does not exist in the current household (which includes: it belongs to another one).</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");
