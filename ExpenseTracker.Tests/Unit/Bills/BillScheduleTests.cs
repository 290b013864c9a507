using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;

namespace ExpenseTracker.Tests.Unit.Bills;

public sealed class BillScheduleTests
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    [Fact]
    public void TheThirtyFirstIsTheLastDayOfShorterMonthsAndComesBackInLongOnes()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.MonthlyOnDay, D(2026, 1, 31), DayOfMonth: 31);

        Assert.Equal(
            [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31)],
            BillSchedule.Between(spec, D(2026, 1, 1), D(2026, 5, 31)));
    }

    [Fact]
    public void FebruaryOfALeapYearEndsOnThe29th()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.MonthlyOnDay, D(2027, 12, 1), DayOfMonth: 30);

        Assert.Equal([D(2028, 1, 30), D(2028, 2, 29), D(2028, 3, 30)], BillSchedule.Between(spec, D(2028, 1, 1), D(2028, 3, 31)));
    }

    [Fact]
    public void AMonthlyDayBeforeTheStartBeginsTheNextMonth()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.MonthlyOnDay, D(2026, 3, 20), DayOfMonth: 5);

        Assert.Equal(D(2026, 4, 5), BillSchedule.Occurrences(spec).First());
    }

    [Fact]
    public void YearlyOnLeapDayFallsOnThe28thInOtherYears()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.Yearly, D(2024, 2, 29), Month: 2, DayOfMonth: 29);

        Assert.Equal([D(2024, 2, 29), D(2025, 2, 28), D(2026, 2, 28), D(2027, 2, 28), D(2028, 2, 29)], BillSchedule.Occurrences(spec).Take(5));
    }

    [Fact]
    public void YearlyWithAMonthEarlierThanTheStartBeginsNextYear()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.Yearly, D(2026, 6, 1), Month: 3, DayOfMonth: 15);

        Assert.Equal(D(2027, 3, 15), BillSchedule.NextOnOrAfter(spec, D(2026, 1, 1)));
    }

    [Fact]
    public void WeeklyStepsSevenDaysFromTheFirstMatchingWeekday()
    {
        // 2026-11-04 is a Wednesday; the bill is on Fridays.
        var spec = new BillScheduleSpec(BillScheduleKind.Weekly, D(2026, 11, 4), DayOfWeek: DayOfWeek.Friday);

        Assert.Equal([D(2026, 11, 6), D(2026, 11, 13), D(2026, 11, 20), D(2026, 11, 27)], BillSchedule.Between(spec, D(2026, 11, 1), D(2026, 11, 30)));
    }

    [Fact]
    public void WeeklyWithoutAWeekdayUsesTheStartsWeekday()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.Weekly, D(2026, 12, 28));

        Assert.Equal([D(2026, 12, 28), D(2027, 1, 4)], BillSchedule.Between(spec, D(2026, 12, 1), D(2027, 1, 10)));
    }

    [Fact]
    public void EveryTwoWeeksCountsFromTheStartNotFromTheQueryWindow()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.EveryNWeeks, D(2026, 1, 2), Interval: 2);

        Assert.Equal([D(2026, 3, 13), D(2026, 3, 27)], BillSchedule.Between(spec, D(2026, 3, 1), D(2026, 3, 31)));
    }

    [Fact]
    public void EveryThreeMonthsKeepsTheAnchorDayAfterAShortMonth()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.EveryNMonths, D(2025, 11, 30), Interval: 3, DayOfMonth: 30);

        Assert.Equal([D(2025, 11, 30), D(2026, 2, 28), D(2026, 5, 30), D(2026, 8, 30)], BillSchedule.Occurrences(spec).Take(4));
    }

    [Fact]
    public void TheEndDateIsTheLastPossibleOccurrence()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.MonthlyOnDay, D(2026, 1, 10), End: D(2026, 4, 10), DayOfMonth: 10);

        Assert.Equal([D(2026, 1, 10), D(2026, 2, 10), D(2026, 3, 10), D(2026, 4, 10)], BillSchedule.Occurrences(spec));
        Assert.Null(BillSchedule.NextAfter(spec, D(2026, 4, 10)));
    }

    [Fact]
    public void AStartLongAgoGivesTheNextDueAfterToday()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.MonthlyOnDay, D(2015, 3, 1), DayOfMonth: 1);

        Assert.Equal(D(2026, 12, 1), BillSchedule.NextAfter(spec, D(2026, 11, 27)));
        Assert.Equal(D(2026, 11, 1), BillSchedule.NextOnOrAfter(spec, D(2026, 11, 1)));
    }

    [Fact]
    public void NextAfterSkipsTheDayItself()
    {
        var spec = new BillScheduleSpec(BillScheduleKind.Weekly, D(2026, 11, 2));

        Assert.Equal(D(2026, 11, 9), BillSchedule.NextAfter(spec, D(2026, 11, 2)));
    }

    [Theory]
    [InlineData(BillScheduleKind.EveryNWeeks, 0, null, null, "Interval")]
    [InlineData(BillScheduleKind.MonthlyOnDay, 1, 32, null, "DayOfMonth")]
    [InlineData(BillScheduleKind.Yearly, 1, 31, 13, "Month")]
    [InlineData(BillScheduleKind.Yearly, 1, 30, 2, "DayOfMonth")]
    public void ImpossibleSchedulesAreRefusedByField(BillScheduleKind kind, int interval, int? day, int? month, string field)
    {
        var errors = BillSchedule.Validate(new BillScheduleSpec(kind, D(2026, 1, 1), Interval: interval, DayOfMonth: day, Month: month));

        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void AnEndBeforeTheStartIsRefusedAndALeapDayYearlyIsAccepted()
    {
        Assert.Contains("End", BillSchedule.Validate(new BillScheduleSpec(BillScheduleKind.Weekly, D(2026, 5, 1), End: D(2026, 4, 1))).Keys);
        Assert.Empty(BillSchedule.Validate(new BillScheduleSpec(BillScheduleKind.Yearly, D(2026, 1, 1), Month: 2, DayOfMonth: 29)));
    }
}
