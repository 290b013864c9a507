using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Demo;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Households;
using Microsoft.Extensions.Time.Testing;

namespace ExpenseTracker.Tests.Unit.Demo;

/// <summary>The countable properties documented on <see cref="DemoDataGenerator"/>, checked for several seeds and days.</summary>
public sealed class DemoDataGeneratorTests
{
    public static TheoryData<int, string> SeedsAndDays => new()
    {
        { DemoDataGenerator.DefaultSeed, "2026-11-15" },
        { 1, "2026-01-01" },
        { 7, "2025-03-31" },
        { 12345, "2028-02-29" },
    };

    private static DemoData Generate(int seed, string today) => DemoDataGenerator.Generate(seed, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

    private static IEnumerable<DemoTransaction> Expenses(DemoData data) => data.Transactions.Where(t => t.Kind == TransactionKind.Expense);

    private static DateOnly MonthOf(DateOnly date) => new(date.Year, date.Month, 1);

    [Fact]
    public void TheSameSeedAndDayGiveTheSameData()
    {
        var first = Generate(42, "2026-11-15");
        var second = Generate(42, "2026-11-15");
        Assert.Equal(first.Transactions, second.Transactions, DemoTransactionComparer.Instance);
        Assert.NotEqual(first.Transactions.Select(t => t.AmountMinor), Generate(43, "2026-11-15").Transactions.Select(t => t.AmountMinor));
    }

    [Fact]
    public void TodayComesFromTheClockInTheHouseholdsTimeZone()
    {
        // 02:00 UTC on 1 December is still 30 November in New York: the window ends with October.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var data = new DemoDataGenerator(time, newYork).Generate();
        Assert.Equal(new DateOnly(2026, 10, 31), data.Window.To);

        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal(new DateOnly(2026, 11, 30), new DemoDataGenerator(time, berlin).Generate().Window.To);
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void HistoryCoversExactly24WholeMonthsEndingLastMonth(int seed, string today)
    {
        var data = Generate(seed, today);
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);
        var firstOfThisMonth = MonthOf(day);
        Assert.Equal(firstOfThisMonth.AddMonths(-24), data.Window.From);
        Assert.Equal(firstOfThisMonth.AddDays(-1), data.Window.To);
        Assert.All(data.Transactions, t => Assert.InRange(t.Date, data.Window.From, data.Window.To));
        Assert.Equal(24, data.Transactions.Select(t => MonthOf(t.Date)).Distinct().Count());
        Assert.Contains(data.Transactions, t => t.Date == data.Window.From);
        Assert.Contains(data.Transactions, t => MonthOf(t.Date) == firstOfThisMonth.AddMonths(-1));
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void EachYearHoldsBetween2800And3200Expenses(int seed, string today)
    {
        var data = Generate(seed, today);
        var secondYear = data.Window.From.AddMonths(12);
        var first = Expenses(data).Count(t => t.Date < secondYear);
        var second = Expenses(data).Count(t => t.Date >= secondYear);
        Assert.InRange(first, 2800, 3200);
        Assert.InRange(second, 2800, 3200);
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void ExpensesUseEveryDefaultCategoryAndNoOther(int seed, string today)
    {
        var used = Expenses(Generate(seed, today)).SelectMany(t => t.Lines).Select(l => l.Category).ToHashSet();
        var defaults = HouseholdProvisioning.DefaultCategories.Select(c => c.Name).ToHashSet();
        Assert.Equal(defaults.Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void EveryMonthUsesJointCheckingVisaAndCash(int seed, string today)
    {
        var data = Generate(seed, today);
        foreach (var month in data.Transactions.GroupBy(t => MonthOf(t.Date)))
        {
            Assert.Equal([DemoAccount.JointChecking, DemoAccount.Visa, DemoAccount.Cash], month.Select(t => t.Account).Distinct().Order());
        }
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void EveryBillIsPaidExactlyOnceAMonthOnItsFixedDay(int seed, string today)
    {
        var data = Generate(seed, today);
        Assert.Contains(DemoDataGenerator.Bills, b => b.Category == "Housing");
        Assert.Contains(DemoDataGenerator.Bills, b => b.Payee.Contains("Power", StringComparison.Ordinal));
        Assert.Contains(DemoDataGenerator.Bills, b => b.Payee.Contains("Mobile", StringComparison.Ordinal));
        Assert.Contains(DemoDataGenerator.Bills, b => b.Tag == "subscription");
        foreach (var bill in DemoDataGenerator.Bills)
        {
            var paid = data.Transactions.Where(t => t.Payee == bill.Payee).ToList();
            Assert.Equal(24, paid.Count);
            Assert.Equal(24, paid.Select(t => MonthOf(t.Date)).Distinct().Count());
            Assert.All(paid, t => Assert.Equal(bill.Day, t.Date.Day));
            Assert.All(paid, t => Assert.Equal(bill.Category, Assert.Single(t.Lines).Category));
        }
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void DecemberGiftSpendingIsAtLeastThreeTimesAnyOtherMonths(int seed, string today)
    {
        var gifts = SpendingByMonth(Generate(seed, today), "Gifts");
        var decembers = gifts.Where(g => g.Key.Month == 12).ToList();
        Assert.Equal(2, decembers.Count);
        var otherMax = gifts.Where(g => g.Key.Month != 12).Max(g => g.Value);
        Assert.All(decembers, d => Assert.True(d.Value >= 3 * otherMax, $"December {d.Key.Year}: {d.Value} vs {otherMax}"));
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void SummerTravelSpendingExceedsEveryOtherMonths(int seed, string today)
    {
        var travel = SpendingByMonth(Generate(seed, today), "Travel");
        var summer = travel.Where(t => t.Key.Month is 7 or 8).ToList();
        Assert.Equal(4, summer.Count);
        var otherMax = travel.Where(t => t.Key.Month is not (7 or 8)).Max(t => t.Value);
        Assert.All(summer, s => Assert.True(s.Value > otherMax, $"{s.Key}: {s.Value} vs {otherMax}"));
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void ExactlySixPlantedOutliersStandFarAboveTheirCategory(int seed, string today)
    {
        var data = Generate(seed, today);
        Assert.Equal(6, DemoDataGenerator.Outliers.Count);
        foreach (var outlier in DemoDataGenerator.Outliers)
        {
            var date = outlier.DateIn(data.Window);
            var planted = Assert.Single(data.Transactions, t => t.Date == date && t.AmountMinor == outlier.AmountMinor && t.Lines[0].Category == outlier.Category);
            Assert.Equal(TransactionKind.Expense, planted.Kind);
            var largestOrdinary = Expenses(data).Where(t => !ReferenceEquals(t, planted))
                .SelectMany(t => t.Lines).Where(l => l.Category == outlier.Category).Max(l => l.AmountMinor);
            Assert.True(outlier.AmountMinor >= 3 * largestOrdinary, $"{outlier.Category}: {outlier.AmountMinor} vs {largestOrdinary}");
        }
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void BothMembersPayAtLeastAThirdOfTheExpenses(int seed, string today)
    {
        var expenses = Expenses(Generate(seed, today)).ToList();
        foreach (var member in Enum.GetValues<DemoMember>())
        {
            Assert.True(expenses.Count(t => t.PaidBy == member) * 3 >= expenses.Count, $"{member} pays too few");
        }
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void IncomeTransfersAndRefundsAppearBesideTheExpenses(int seed, string today)
    {
        var data = Generate(seed, today);
        Assert.Equal(48, data.Transactions.Count(t => t.Kind == TransactionKind.Income));
        Assert.Equal(24, data.Transactions.Count(t => t.Kind == TransactionKind.Transfer && t.ToAccount == DemoAccount.Visa));
        Assert.InRange(data.Transactions.Count(t => t.Kind == TransactionKind.Refund), 6, 24);
    }

    [Theory]
    [MemberData(nameof(SeedsAndDays))]
    public void EveryGeneratedTransactionPassesTheExpenseValidator(int seed, string today)
    {
        var categories = HouseholdProvisioning.DefaultCategories.Select((c, i) => (c.Name, Id: (long)i + 1)).ToDictionary(c => c.Name, c => c.Id);
        var accounts = new Dictionary<DemoAccount, long> { [DemoAccount.JointChecking] = 1, [DemoAccount.Visa] = 2, [DemoAccount.Cash] = 3 };
        var members = new Dictionary<DemoMember, long> { [DemoMember.Alex] = 1, [DemoMember.Sam] = 2 };
        Assert.All(Generate(seed, today).Transactions, t => Assert.Empty(ExpenseValidator.Validate(t.ToInput(categories, accounts, members), "USD")));
    }

    private static Dictionary<DateOnly, long> SpendingByMonth(DemoData data, string category) =>
        Enumerable.Range(0, DemoWindow.Months).Select(i => data.Window.From.AddMonths(i)).ToDictionary(
            month => month,
            month => Expenses(data).Where(t => MonthOf(t.Date) == month).SelectMany(t => t.Lines).Where(l => l.Category == category).Sum(l => l.AmountMinor));

    private sealed class DemoTransactionComparer : IEqualityComparer<DemoTransaction>
    {
        public static readonly DemoTransactionComparer Instance = new();

        public bool Equals(DemoTransaction? x, DemoTransaction? y) =>
            x is not null && y is not null && x.Date == y.Date && x.Kind == y.Kind && x.AmountMinor == y.AmountMinor && x.Payee == y.Payee
            && x.Account == y.Account && x.PaidBy == y.PaidBy && x.Lines.SequenceEqual(y.Lines) && x.Tags.SequenceEqual(y.Tags);

        public int GetHashCode(DemoTransaction obj) => HashCode.Combine(obj.Date, obj.AmountMinor, obj.Payee);
    }
}
