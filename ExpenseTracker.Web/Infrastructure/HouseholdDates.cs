namespace ExpenseTracker.Web.Infrastructure;

/// <summary>Calendar facts in the household's time zone ("today" is where the family lives, not where the server runs).</summary>
public static class HouseholdDates
{
    public static DateOnly Today(this HouseholdInfo household, TimeProvider time) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), household.TimeZone).DateTime);

    public static (DateOnly From, DateOnly To) MonthOf(DateOnly day)
    {
        var from = new DateOnly(day.Year, day.Month, 1);
        return (from, from.AddMonths(1).AddDays(-1));
    }

    public static (DateOnly From, DateOnly To) YearOf(DateOnly day) => (new DateOnly(day.Year, 1, 1), new DateOnly(day.Year, 12, 31));
}

public static class HouseholdInfoExtensions
{
    public static bool IsOwner(this HouseholdInfo household) => household.Role == Data.MemberRole.Owner;
}
