using ExpenseTracker.Web.Features.Expenses;

namespace ExpenseTracker.Web.Features.Budgets;

/// <summary>What the budget page shows for one month. All amounts are minor units of <see cref="Currency"/>.</summary>
/// <param name="Categories">One row per category budget that applies this month, in category order.</param>
/// <param name="Overall">The overall monthly budget (all spending), when one is set.</param>
/// <param name="Unbudgeted">Spending in categories without a budget this month (zero rows when there is none).</param>
/// <param name="Allowances">Children's allowance budgets (a child sees only their own, and nothing else).</param>
/// <param name="TotalSpentMinor">All spending of the month the reader may see (Expense − Refund).</param>
public sealed record BudgetMonthView(
    BudgetMonth Month,
    MonthRange Range,
    DateOnly Today,
    bool IsCurrentMonth,
    int DaysLeft,
    string Currency,
    IReadOnlyList<BudgetRow> Categories,
    BudgetRow? Overall,
    UnbudgetedRow Unbudgeted,
    IReadOnlyList<BudgetRow> Allowances,
    long TotalSpentMinor,
    bool CanEdit);

/// <summary>One budget in one month: its figures (see <see cref="BudgetMath"/>) and the expense list that makes up Spent.</summary>
/// <param name="Name">The category's name, "Overall", or the member's display name for an allowance.</param>
/// <param name="IsOverride">This month's amount is a one-month override.</param>
/// <param name="DrillDown">Lists exactly the transactions counted in <see cref="BudgetFigures.SpentMinor"/>.</param>
public sealed record BudgetRow(
    long BudgetId,
    long? CategoryId,
    long? MemberId,
    string Name,
    string? Color,
    string? Icon,
    bool Rollover,
    int WarnPercent,
    int AlertPercent,
    bool IsOverride,
    BudgetFigures Figures,
    ExpenseFilter DrillDown);

public sealed record UnbudgetedRow(long SpentMinor, IReadOnlyList<UnbudgetedCategory> Categories, ExpenseFilter DrillDown);

public sealed record UnbudgetedCategory(long CategoryId, string Name, string Color, string Icon, long SpentMinor, ExpenseFilter DrillDown);

/// <summary>A budget with its stored amounts, for an editor.</summary>
public sealed record BudgetDetails(
    long Id,
    long? CategoryId,
    long? MemberId,
    string Name,
    bool Rollover,
    int WarnPercent,
    int AlertPercent,
    DateTime? ArchivedAt,
    IReadOnlyList<BudgetAmountEntry> Amounts);

/// <summary>A stored amount: from <see cref="Month"/> on (repeating), or that month only when <see cref="IsOverride"/>.</summary>
public sealed record BudgetAmountEntry(BudgetMonth Month, long AmountMinor, bool IsOverride);
