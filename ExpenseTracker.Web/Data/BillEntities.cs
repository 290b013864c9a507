namespace ExpenseTracker.Web.Data;

public enum BillScheduleKind
{
    /// <summary>Every month on <see cref="Bill.DayOfMonth"/>; the 31st means the last day of shorter months.</summary>
    MonthlyOnDay = 0,
    /// <summary>Every week on the weekday of the start date.</summary>
    Weekly = 1,
    /// <summary>Every <see cref="Bill.Interval"/> weeks from the start date.</summary>
    EveryNWeeks = 2,
    /// <summary>Every <see cref="Bill.Interval"/> months from the start month, on <see cref="Bill.DayOfMonth"/>.</summary>
    EveryNMonths = 3,
    /// <summary>Every year on <see cref="Bill.Month"/>/<see cref="Bill.DayOfMonth"/> (29 Feb is 28 Feb in other years).</summary>
    Yearly = 4,
}

/// <summary>A bill the household pays on a schedule; marking it paid records an expense with Source = Bill.</summary>
public sealed class Bill : IHouseholdOwned
{
    public long Id { get; set; }
    public long HouseholdId { get; set; }
    public required string Name { get; set; }
    public long? PayeeId { get; set; }
    public Payee? Payee { get; set; }
    /// <summary>The payee's name as entered, kept for display and for recording the expense.</summary>
    public string? PayeeName { get; set; }
    public long? CategoryId { get; set; }
    public Category? Category { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public bool IsEstimate { get; set; }
    public long? MinAmountMinor { get; set; }
    public long? MaxAmountMinor { get; set; }
    public BillScheduleKind ScheduleKind { get; set; }
    /// <summary>N of "every N weeks/months"; 1 otherwise.</summary>
    public int Interval { get; set; } = 1;
    public int? DayOfMonth { get; set; }
    public DayOfWeek? DayOfWeek { get; set; }
    public int? Month { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public int ReminderLeadDays { get; set; } = 3;
    public bool AutoCreate { get; set; }
    /// <summary>The account a paid bill's expense is recorded on.</summary>
    public long? AccountId { get; set; }
    /// <summary>Set: a personal bill of that member; null: household-wide.</summary>
    public long? OwnerMemberId { get; set; }
    public Member? Owner { get; set; }
    /// <summary>The first occurrence not yet paid; null when the schedule has ended.</summary>
    public DateOnly? NextDue { get; set; }
    public DateTime? ArchivedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
