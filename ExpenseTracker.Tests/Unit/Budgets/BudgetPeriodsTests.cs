using ExpenseTracker.Web.Features.Budgets;
using Microsoft.Extensions.Time.Testing;

namespace ExpenseTracker.Tests.Unit.Budgets;

public sealed class BudgetPeriodsTests
{
    private static readonly BudgetMonth November = new(2026, 11);

    [Fact]
    public void WithTheFirstAsStartDayABudgetMonthIsTheCalendarMonth()
    {
        var range = BudgetPeriods.RangeOf(November, 1);

        Assert.Equal(new DateOnly(2026, 11, 1), range.From);
        Assert.Equal(new DateOnly(2026, 11, 30), range.To);
        Assert.Equal(30, range.Days);
        Assert.Equal(November, BudgetPeriods.MonthOf(new DateOnly(2026, 11, 30), 1));
        Assert.Equal(new BudgetMonth(2026, 12), BudgetPeriods.MonthOf(new DateOnly(2026, 12, 1), 1));
    }

    [Fact]
    public void APaydayMonthStartingThe25thIsNamedAfterTheMonthItStartsIn()
    {
        var range = BudgetPeriods.RangeOf(November, 25);

        Assert.Equal(new DateOnly(2026, 11, 25), range.From);
        Assert.Equal(new DateOnly(2026, 12, 24), range.To);
        Assert.Equal(November, BudgetPeriods.MonthOf(new DateOnly(2026, 11, 25), 25));
        Assert.Equal(November, BudgetPeriods.MonthOf(new DateOnly(2026, 12, 24), 25));
        Assert.Equal(new BudgetMonth(2026, 10), BudgetPeriods.MonthOf(new DateOnly(2026, 11, 24), 25));
        Assert.Equal(new BudgetMonth(2026, 12), BudgetPeriods.MonthOf(new DateOnly(2026, 12, 25), 25));
    }

    [Fact]
    public void APaydayMonthAcrossNewYearAndFebruaryHasTheRightLength()
    {
        var december = BudgetPeriods.RangeOf(new BudgetMonth(2026, 12), 25);
        var january = BudgetPeriods.RangeOf(new BudgetMonth(2027, 1), 25);

        Assert.Equal(new DateOnly(2027, 1, 24), december.To);
        Assert.Equal(new DateOnly(2027, 2, 24), january.To);
        Assert.Equal(28, BudgetPeriods.RangeOf(new BudgetMonth(2027, 2), 1).Days);
        Assert.Equal(29, BudgetPeriods.RangeOf(new BudgetMonth(2028, 2), 1).Days);
        Assert.Equal(31, BudgetPeriods.RangeOf(new BudgetMonth(2027, 1), 25).Days);
    }

    [Fact]
    public void ConsecutiveMonthsTileTheCalendarWithoutGapsOrOverlaps()
    {
        var ranges = BudgetPeriods.RangesEndingWith(new BudgetMonth(2027, 3), 30, 17);

        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.Equal(ranges[i - 1].To.AddDays(1), ranges[i].From);
            Assert.Equal(ranges[i - 1].Month.Next, ranges[i].Month);
        }

        Assert.All(ranges, r => Assert.Equal(r.Month, BudgetPeriods.MonthOf(r.From, 17)));
        Assert.All(ranges, r => Assert.Equal(r.Month, BudgetPeriods.MonthOf(r.To, 17)));
    }

    [Fact]
    public void TodayInKiritimatiIsAlreadyTheNextMonthWhileUtcIsStillInTheOldOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 10, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 12, 1), BudgetPeriods.Today(time, "Pacific/Kiritimati"));
        Assert.Equal(new BudgetMonth(2026, 12), BudgetPeriods.CurrentMonth(time, "Pacific/Kiritimati", 1));
        Assert.Equal(November, BudgetPeriods.CurrentMonth(time, "Etc/UTC", 1));
    }

    [Fact]
    public void TodayInPagoPagoIsStillTheOldMonthWhileUtcIsAlreadyInTheNextOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 11, 30), BudgetPeriods.Today(time, "Pacific/Pago_Pago"));
        Assert.Equal(November, BudgetPeriods.CurrentMonth(time, "Pacific/Pago_Pago", 1));
        Assert.Equal(new BudgetMonth(2026, 12), BudgetPeriods.CurrentMonth(time, "Pacific/Kiritimati", 1));
    }

    [Fact]
    public void DaysLeftCountTodayAndAreAllOrNothingOutsideTheMonth()
    {
        var range = BudgetPeriods.RangeOf(November, 1);

        Assert.Equal(30, BudgetPeriods.DaysLeft(range, new DateOnly(2026, 11, 1)));
        Assert.Equal(16, BudgetPeriods.DaysLeft(range, new DateOnly(2026, 11, 15)));
        Assert.Equal(1, BudgetPeriods.DaysLeft(range, new DateOnly(2026, 11, 30)));
        Assert.Equal(0, BudgetPeriods.DaysLeft(range, new DateOnly(2026, 12, 1)));
        Assert.Equal(30, BudgetPeriods.DaysLeft(range, new DateOnly(2026, 10, 31)));
        Assert.Equal(15, BudgetPeriods.DaysElapsed(range, new DateOnly(2026, 11, 15)));
        Assert.Equal(0, BudgetPeriods.DaysElapsed(range, new DateOnly(2026, 10, 31)));
        Assert.Equal(30, BudgetPeriods.DaysElapsed(range, new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void MonthsParseAndPrintAsYearDashMonth()
    {
        Assert.True(BudgetMonth.TryParse("2026-11", out var month));
        Assert.Equal(November, month);
        Assert.Equal("2026-11", month.ToString());
        Assert.False(BudgetMonth.TryParse("2026-13", out _));
        Assert.Equal(new BudgetMonth(2027, 1), November.AddMonths(2));
        Assert.Equal(new BudgetMonth(2025, 11), November.AddMonths(-12));
    }
}
