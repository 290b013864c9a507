using ExpenseTracker.Web.Data;

namespace ExpenseTracker.Web.Features.Bills;

/// <summary>What the add and edit dialogs send. Amounts are minor units of the household currency.</summary>
public sealed record BillInput
{
    public string Name { get; init; } = "";
    public string? Payee { get; init; }
    public long? CategoryId { get; init; }
    public long AmountMinor { get; init; }
    public bool IsEstimate { get; init; }
    public long? MinAmountMinor { get; init; }
    public long? MaxAmountMinor { get; init; }
    public BillScheduleKind Kind { get; init; } = BillScheduleKind.MonthlyOnDay;
    public int Interval { get; init; } = 1;
    public int? DayOfMonth { get; init; }
    public DayOfWeek? DayOfWeek { get; init; }
    public int? Month { get; init; }
    public DateOnly Start { get; init; }
    public DateOnly? End { get; init; }
    public int ReminderLeadDays { get; init; } = 3;
    public bool AutoCreate { get; init; }
    public long? AccountId { get; init; }
    /// <summary>Set: a personal bill of that member; null: household-wide.</summary>
    public long? OwnerMemberId { get; init; }

    public BillScheduleSpec Schedule => new(Kind, Start, End, Interval, DayOfMonth, DayOfWeek, Month);
}

public sealed record BillDetails(
    long Id,
    string Name,
    string? PayeeName,
    long? CategoryId,
    string? CategoryName,
    long AmountMinor,
    string Currency,
    bool IsEstimate,
    long? MinAmountMinor,
    long? MaxAmountMinor,
    BillScheduleKind Kind,
    int Interval,
    int? DayOfMonth,
    DayOfWeek? DayOfWeek,
    int? Month,
    DateOnly Start,
    DateOnly? End,
    int ReminderLeadDays,
    bool AutoCreate,
    long? AccountId,
    long? OwnerMemberId,
    DateOnly? NextDue,
    bool Archived)
{
    public BillScheduleSpec Schedule => new(Kind, Start, End, Interval, DayOfMonth, DayOfWeek, Month);

    public BillInput ToInput() => new()
    {
        Name = Name, Payee = PayeeName, CategoryId = CategoryId, AmountMinor = AmountMinor, IsEstimate = IsEstimate,
        MinAmountMinor = MinAmountMinor, MaxAmountMinor = MaxAmountMinor, Kind = Kind, Interval = Interval, DayOfMonth = DayOfMonth,
        DayOfWeek = DayOfWeek, Month = Month, Start = Start, End = End, ReminderLeadDays = ReminderLeadDays, AutoCreate = AutoCreate,
        AccountId = AccountId, OwnerMemberId = OwnerMemberId,
    };
}

/// <summary>A bill's next due date as seen on <see cref="Today"/>; overdue when it is before today.</summary>
public sealed record UpcomingBill(BillDetails Bill, DateOnly Due, DateOnly Today)
{
    public bool IsOverdue => Due < Today;
    public int DaysUntil => Due.DayNumber - Today.DayNumber;
}

/// <summary>One occurrence of a bill in a calendar month; <see cref="Paid"/> when it is before the bill's next due date.</summary>
public sealed record BillOccurrence(long BillId, string Name, DateOnly Date, long AmountMinor, bool Paid, bool Overdue);

public sealed record BillsOverview(DateOnly Today, string Currency, bool CanEdit, IReadOnlyList<UpcomingBill> Upcoming, IReadOnlyList<BillDetails> Bills);
