using Microsoft.AspNetCore.Identity;

namespace ExpenseTracker.Web.Data;

/// <summary>Marks a row that belongs to exactly one household; the DbContext filters and checks it.</summary>
public interface IHouseholdOwned
{
    long HouseholdId { get; set; }
}

public sealed class AppUser : IdentityUser
{
    public bool IsAdministrator { get; set; }
    public bool DarkMode { get; set; }
    public long? CurrentHouseholdId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class Household
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>ISO 4217 code; locked once any transaction exists.</summary>
    public required string BaseCurrency { get; set; }
    /// <summary>IANA time zone id, e.g. Europe/Berlin.</summary>
    public required string TimeZoneId { get; set; }
    public DayOfWeek FirstDayOfWeek { get; set; } = DayOfWeek.Monday;
    /// <summary>Day of month (1–28) on which a budget month starts.</summary>
    public int MonthStartDay { get; set; } = 1;
    /// <summary>Culture for number and date display, e.g. en-US.</summary>
    public required string Culture { get; set; }
    public DateTime CreatedAt { get; set; }
}

public enum MemberRole
{
    Owner = 0,
    Member = 1,
    Viewer = 2,
    Child = 3,
}

public sealed class Member : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public Household? Household { get; set; }
    /// <summary>Null once the person left or deleted their account; the name stays on history.</summary>
    public string? UserId { get; set; }
    public AppUser? User { get; set; }
    public MemberRole Role { get; set; }
    public required string DisplayName { get; set; }
    public required string Color { get; set; }
    public DateTime JoinedAt { get; set; }
    public DateTime? LeftAt { get; set; }
}

public enum AccountKind
{
    Cash = 0,
    Checking = 1,
    Savings = 2,
    CreditCard = 3,
}

public sealed class PaymentAccount : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public required string Name { get; set; }
    public AccountKind Kind { get; set; }
    public required string Currency { get; set; }
    /// <summary>Masked bank account number (e.g. ****1234) used to match statements.</summary>
    public string? MaskedNumber { get; set; }
    public bool Archived { get; set; }
}

public sealed class Category : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public required string Name { get; set; }
    public required string Color { get; set; }
    /// <summary>A Material icon name, e.g. ShoppingCart.</summary>
    public required string Icon { get; set; }
    public int SortOrder { get; set; }
    public bool Archived { get; set; }
}

public sealed class Payee : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public required string Name { get; set; }
    /// <summary>Case-folded, accent-stripped name: SQLite's NOCASE folds ASCII only.</summary>
    public required string Key { get; set; }
}

public sealed class Tag : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public required string Name { get; set; }
    public required string Key { get; set; }
}

public enum TransactionKind
{
    Expense = 0,
    Refund = 1,
    Income = 2,
    Transfer = 3,
    Settlement = 4,
}

public enum TransactionSource
{
    Manual = 0,
    Import = 1,
    BankSync = 2,
    Bill = 3,
    Api = 4,
}

/// <summary>What the UI calls an expense. Spending = Expense − Refund; the other kinds never count as spending.</summary>
public sealed class Transaction : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public TransactionKind Kind { get; set; }
    /// <summary>Always positive, in minor units of the household currency; the kind gives the direction.</summary>
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public long? OriginalAmountMinor { get; set; }
    public string? OriginalCurrency { get; set; }
    /// <summary>Household currency per one unit of the original currency, as entered (never summed).</summary>
    public decimal? ExchangeRate { get; set; }
    public DateOnly Date { get; set; }
    public long? PayeeId { get; set; }
    public Payee? Payee { get; set; }
    public string? Notes { get; set; }
    /// <summary>Folded copy of Notes for accent- and case-insensitive search.</summary>
    public string? NotesKey { get; set; }
    public long AccountId { get; set; }
    public PaymentAccount? Account { get; set; }
    /// <summary>The receiving account of a transfer.</summary>
    public long? ToAccountId { get; set; }
    public PaymentAccount? ToAccount { get; set; }
    public long? PaidByMemberId { get; set; }
    public Member? PaidBy { get; set; }
    public TransactionSource Source { get; set; }
    public long? ImportBatchId { get; set; }
    public long? BillId { get; set; }
    public DateTime CreatedAt { get; set; }
    public long? CreatedByMemberId { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long? UpdatedByMemberId { get; set; }
    public DateTime? DeletedAt { get; set; }
    public long? DeletedByMemberId { get; set; }
    /// <summary>Concurrency token, bumped on every save.</summary>
    public long Version { get; set; }
    /// <summary>Visible in detail to its author only; others see it folded into "private (n items)".</summary>
    public bool IsPrivate { get; set; }
    public List<TransactionLine> Lines { get; set; } = [];
    public List<TransactionTag> Tags { get; set; } = [];
    /// <summary>Who owes what; no rows means the transaction is not shared.</summary>
    public List<MemberShare> Shares { get; set; } = [];
}

/// <summary>A member's share of a shared transaction, in minor units; the shares add up to the amount.</summary>
public sealed class MemberShare : IHouseholdOwned
{
    public long HouseholdId { get; set; }
    public long TransactionId { get; set; }
    public Transaction? Transaction { get; set; }
    public long MemberId { get; set; }
    public Member? Member { get; set; }
    public long AmountMinor { get; set; }
}

/// <summary>An invitation link to join a household: single use, expiring, only its hash is stored.</summary>
public sealed class Invitation : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public required string Email { get; set; }
    public MemberRole Role { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public long? CreatedByMemberId { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public string? AcceptedByUserId { get; set; }
    public DateTime? RevokedAt { get; set; }
}

public sealed class TransactionLine : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long TransactionId { get; set; }
    public Transaction? Transaction { get; set; }
    public long CategoryId { get; set; }
    public Category? Category { get; set; }
    public long AmountMinor { get; set; }
    public string? Note { get; set; }
}

public sealed class TransactionTag : IHouseholdOwned
{
    public long HouseholdId { get; set; }
    public long TransactionId { get; set; }
    public Transaction? Transaction { get; set; }
    public long TagId { get; set; }
    public Tag? Tag { get; set; }
}

public sealed class ChangeLogEntry
{
    public long Id { get; set; }
    public long? HouseholdId { get; set; }
    public required string Entity { get; set; }
    public required string EntityId { get; set; }
    /// <summary>Added, Modified, Deleted, SoftDeleted, Restored or Bulk.</summary>
    public required string Action { get; set; }
    public string? BeforeJson { get; set; }
    public string? AfterJson { get; set; }
    public string? UserId { get; set; }
    public DateTime At { get; set; }
}

/// <summary>Instance-wide settings the administrator changes at run time (e.g. Registration:Enabled).</summary>
public sealed class InstanceSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}

/// <summary>
/// A monthly budget for one category, or the overall budget when <see cref="CategoryId"/> is null. A child's
/// allowance is a budget with <see cref="MemberId"/> set. Its amount comes from <see cref="BudgetAmount"/> rows.
/// </summary>
public sealed class Budget : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long? CategoryId { get; set; }
    public Category? Category { get; set; }
    /// <summary>Set for a child's allowance budget: counts only that member's spending.</summary>
    public long? MemberId { get; set; }
    public Member? Member { get; set; }
    /// <summary>Unspent money carries into next month, overspending carries as a deficit.</summary>
    public bool Rollover { get; set; }
    /// <summary>Alert thresholds in percent of the budget (defaults 80 and 100); the notifications feature sends them.</summary>
    public int WarnPercent { get; set; } = 80;
    public int AlertPercent { get; set; } = 100;
    public DateTime CreatedAt { get; set; }
    public DateTime? ArchivedAt { get; set; }
    public List<BudgetAmount> Amounts { get; set; } = [];
}

/// <summary>
/// A budget amount from a month on (repeating until the next non-override row), or for that one month only
/// when <see cref="IsOverride"/> is set ("December: Gifts 400"). <see cref="Month"/> is the first day of the
/// budget month as the household counts months (its month start day).
/// </summary>
public sealed class BudgetAmount : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long BudgetId { get; set; }
    public Budget? Budget { get; set; }
    public DateOnly Month { get; set; }
    public long AmountMinor { get; set; }
    public bool IsOverride { get; set; }
}

/// <summary>One committed import: every transaction it added points here, and Undo removes exactly these.</summary>
public sealed class ImportBatch : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long AccountId { get; set; }
    public PaymentAccount? Account { get; set; }
    public required string FileName { get; set; }
    /// <summary>Reader format, e.g. OFX, CAMT, MT940, QIF, CSV, XLSX.</summary>
    public required string Format { get; set; }
    public long? CreatedByMemberId { get; set; }
    public DateTime CreatedAt { get; set; }
    public int RowCount { get; set; }
    public int DuplicateCount { get; set; }
    /// <summary>Statement currency when it differs from the household's, with the one rate used for the batch.</summary>
    public string? Currency { get; set; }
    public decimal? ExchangeRate { get; set; }
    public DateTime? UndoneAt { get; set; }
    public long? UndoneByMemberId { get; set; }
    /// <summary>The bank connection whose sync produced this batch; null for a file import.</summary>
    public long? BankConnectionId { get; set; }
}

/// <summary>
/// Remembers what an account has already imported: the bank's own id, else a fingerprint of date, amount, folded
/// payee and occurrence count. Unique per (household, account, key). Undoing a batch deletes its keys; deleting an
/// imported transaction by hand keeps its key so a re-import does not bring it back.
/// </summary>
public sealed class ImportKey : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public long AccountId { get; set; }
    public required string Key { get; set; }
    public long ImportBatchId { get; set; }
    public long? TransactionId { get; set; }
}

/// <summary>A saved CSV/XLSX column mapping, named per bank and offered next time.</summary>
public sealed class ImportProfile : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public required string Name { get; set; }
    /// <summary>The <c>CsvMapping</c> as JSON (column indexes, header, delimiter, date format, decimal separator).</summary>
    public required string MappingJson { get; set; }
    /// <summary>Web name of the text encoding (e.g. windows-1252); null means detected.</summary>
    public string? Encoding { get; set; }
    /// <summary>Name of the XLSX sheet; null means the first sheet.</summary>
    public string? SheetName { get; set; }
    public long? AccountId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum RuleField
{
    Payee = 0,
    Notes = 1,
    PayeeOrNotes = 2,
}

public enum RuleOperator
{
    Contains = 0,
    Equals = 1,
    Regex = 2,
}

/// <summary>
/// An auto-categorisation rule, applied in <see cref="Order"/> at import and on demand: the first enabled rule
/// whose text condition and optional amount range match sets the category, adds tags and may rename the payee.
/// </summary>
public sealed class CategoryRule : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public int Order { get; set; }
    public RuleField Field { get; set; }
    public RuleOperator Operator { get; set; }
    public required string Pattern { get; set; }
    /// <summary>Inclusive bounds on the absolute amount in minor units; null means unbounded.</summary>
    public long? MinAmountMinor { get; set; }
    public long? MaxAmountMinor { get; set; }
    public long? CategoryId { get; set; }
    public Category? Category { get; set; }
    public string? RenamePayee { get; set; }
    /// <summary>Tag names to add, separated by commas.</summary>
    public string? Tags { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}
