using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Demo;

namespace ExpenseTracker.Tests.Unit.Bills;

public sealed class RecurringDetectorTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);
    private static readonly HashSet<string> NoBills = new(StringComparer.Ordinal);

    private static PastExpense E(string payee, int year, int month, int day, long amount) =>
        new(RecurringDetector.KeyOf(payee), payee, new DateOnly(year, month, day), amount, 4, 1);

    [Fact]
    public void AMonthlyPaymentOfASimilarAmountIsFoundWithItsNextDueDay()
    {
        PastExpense[] history =
        [
            E("Gym Pro", 2026, 8, 3, 29_90), E("Gym Pro", 2026, 9, 2, 29_90), E("gym pro", 2026, 10, 3, 31_00), E("Gym Pro", 2026, 11, 3, 29_90),
            E("Bakery", 2026, 8, 3, 4_10), E("Bakery", 2026, 8, 5, 3_20), E("Bakery", 2026, 9, 21, 4_00), E("Bakery", 2026, 11, 2, 3_80),
        ];

        var candidate = Assert.Single(RecurringDetector.Detect(history, NoBills, Today));

        Assert.Equal(BillScheduleKind.MonthlyOnDay, candidate.Kind);
        Assert.Equal(29_90, candidate.AmountMinor);
        Assert.Equal(4, candidate.Occurrences);
        Assert.Equal(new DateOnly(2026, 12, 3), candidate.NextDue);
        var input = candidate.ToBillInput();
        Assert.Equal(3, input.DayOfMonth);
        Assert.Equal(new DateOnly(2026, 12, 3), input.Start);
    }

    [Fact]
    public void WeeklyAndYearlyRhythmsAreRecognised()
    {
        PastExpense[] history =
        [
            E("Cleaner", 2026, 11, 2, 40_00), E("Cleaner", 2026, 11, 9, 40_00), E("Cleaner", 2026, 11, 16, 40_00), E("Cleaner", 2026, 11, 23, 40_00),
            E("Car insurance", 2024, 3, 14, 480_00), E("Car insurance", 2025, 3, 14, 495_00), E("Car insurance", 2026, 3, 13, 510_00),
        ];

        var found = RecurringDetector.Detect(history, NoBills, Today).ToDictionary(c => c.PayeeName, StringComparer.Ordinal);

        Assert.Equal(BillScheduleKind.Weekly, found["Cleaner"].Kind);
        Assert.Equal(new DateOnly(2026, 11, 30), found["Cleaner"].NextDue);
        Assert.Equal(BillScheduleKind.Yearly, found["Car insurance"].Kind);
        Assert.Equal(new DateOnly(2027, 3, 13), found["Car insurance"].NextDue);
    }

    [Fact]
    public void TwoPaymentsARhythmThatStoppedAndPayeesWithABillAreNotCandidates()
    {
        PastExpense[] history =
        [
            E("New thing", 2026, 9, 1, 10_00), E("New thing", 2026, 10, 1, 10_00),
            E("Old gym", 2025, 1, 5, 30_00), E("Old gym", 2025, 2, 5, 30_00), E("Old gym", 2025, 3, 5, 30_00),
            E("Telco", 2026, 9, 20, 65_00), E("Telco", 2026, 10, 20, 65_00), E("Telco", 2026, 11, 20, 65_00),
        ];
        var billed = new HashSet<string>([RecurringDetector.KeyOf("TELCO")], StringComparer.Ordinal);

        Assert.Empty(RecurringDetector.Detect(history, billed, Today));
        Assert.Single(RecurringDetector.Detect(history, NoBills, Today));
    }

    [Fact]
    public void AVaryingAmountOnAStrictMonthlyRhythmBecomesAnEstimateWithItsRange()
    {
        PastExpense[] history = [E("Power", 2026, 8, 15, 85_00), E("Power", 2026, 9, 15, 160_00), E("Power", 2026, 10, 15, 120_00), E("Power", 2026, 11, 15, 99_00)];

        var candidate = Assert.Single(RecurringDetector.Detect(history, NoBills, Today));

        Assert.True(candidate.IsEstimate);
        Assert.Equal((85_00, 160_00), (candidate.MinAmountMinor, candidate.MaxAmountMinor));
        Assert.True(candidate.ToBillInput().IsEstimate);
    }

    [Fact]
    public void TheDemoHouseholdsSixBillsAreFoundAndLittleElse()
    {
        var data = DemoDataGenerator.Generate(DemoDataGenerator.DefaultSeed, Today);
        var history = data.Transactions
            .Where(t => t.Kind == TransactionKind.Expense)
            .Select(t => new PastExpense(RecurringDetector.KeyOf(t.Payee), t.Payee, t.Date, t.AmountMinor, null, (long)t.Account));

        var found = RecurringDetector.Detect(history, NoBills, Today);

        var bills = DemoDataGenerator.Bills.Select(b => b.Payee).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(bills, found.Select(c => c.PayeeName).Order(StringComparer.Ordinal));
        Assert.All(found, c => Assert.Equal(BillScheduleKind.MonthlyOnDay, c.Kind));
        var rent = found.Single(c => c.PayeeName == "Maple Street Apartments");
        Assert.Equal((165_000, new DateOnly(2026, 12, 1)), (rent.AmountMinor, rent.NextDue));
        Assert.True(found.Single(c => c.PayeeName == "City Power & Water").IsEstimate);
    }
}
