using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;

namespace ExpenseTracker.Web.Features.Demo;

public enum DemoAccount
{
    JointChecking = 0,
    Visa = 1,
    Cash = 2,
}

public enum DemoMember
{
    Alex = 0,
    Sam = 1,
}

public sealed record DemoLine(string Category, long AmountMinor);

/// <summary>One generated transaction, by names rather than ids so it needs no database.</summary>
public sealed record DemoTransaction(
    DateOnly Date,
    TransactionKind Kind,
    long AmountMinor,
    string Payee,
    DemoAccount Account,
    DemoMember PaidBy,
    IReadOnlyList<DemoLine> Lines,
    IReadOnlyList<string> Tags,
    string? Notes = null,
    DemoAccount? ToAccount = null)
{
    /// <summary>The service input for this transaction, given the household's ids.</summary>
    public ExpenseInput ToInput(
        IReadOnlyDictionary<string, long> categoryIds,
        IReadOnlyDictionary<DemoAccount, long> accountIds,
        IReadOnlyDictionary<DemoMember, long> memberIds) => new()
        {
            Kind = Kind,
            AmountMinor = AmountMinor,
            Date = Date,
            Payee = Payee,
            Notes = Notes,
            AccountId = accountIds[Account],
            ToAccountId = ToAccount is { } to ? accountIds[to] : null,
            PaidByMemberId = memberIds[PaidBy],
            Tags = Tags,
            Lines = Lines.Select(l => new LineInput(categoryIds[l.Category], l.AmountMinor)).ToList(),
        };
}

/// <summary>A bill paid every month on the same day of the month.</summary>
public sealed record DemoBill(string Payee, string Category, int Day, long MinAmountMinor, long MaxAmountMinor, DemoAccount Account, DemoMember PaidBy, string? Tag = null);

/// <summary>
/// An expense far outside its category's normal range, planted for the anomaly alerts of a later issue.
/// <see cref="MonthIndex"/> counts from the first month of the window (0–23).
/// </summary>
public sealed record PlantedOutlier(int MonthIndex, int Day, string Category, long AmountMinor, string Payee, string Story)
{
    public DateOnly DateIn(DemoWindow window) => window.From.AddMonths(MonthIndex).AddDays(Day - 1);
}

/// <summary>The 24 whole months the demo covers.</summary>
public sealed record DemoWindow(DateOnly From, DateOnly To)
{
    public const int Months = 24;

    /// <summary>24 months ending with the last day of the month before <paramref name="today"/>.</summary>
    public static DemoWindow EndingLastMonth(DateOnly today)
    {
        var firstOfThisMonth = new DateOnly(today.Year, today.Month, 1);
        return new DemoWindow(firstOfThisMonth.AddMonths(-Months), firstOfThisMonth.AddDays(-1));
    }
}

public sealed record DemoData(DemoWindow Window, IReadOnlyList<DemoTransaction> Transactions);

/// <summary>
/// Deterministic demo history for a two-person household (Alex and Sam). The same seed and "today" always give
/// the same data. Amounts are minor units of a two-decimal currency (the demo household uses USD).
///
/// Countable properties (asserted by DemoDataGeneratorTests; charts, alerts and benchmarks may rely on them):
/// 1. Exactly 24 whole months, from the first day of the month 24 months before "today" to the last day of
///    last month. "Today" is the injected TimeProvider's date in the household's time zone. Nothing is dated in
///    the current month.
/// 2. Each of the two 12-month years holds 2,800–3,200 expenses (Kind = Expense), guaranteed by construction:
///    6 bills a month, 232 ± 8 everyday expenses a month, 28 extra gifts in December, 12 extra travel expenses in
///    July and in August, plus the outliers — i.e. 2,812–3,010 a year for any seed. They use all 12 default
///    categories (<see cref="Households.HouseholdProvisioning.DefaultCategories"/>).
/// 3. Three accounts: "Joint checking" (Checking) and "Visa" (CreditCard), plus the "Cash" account every
///    household has. Every month each account is used.
/// 4. Monthly bills on fixed days (<see cref="Bills"/>): rent on the 1st, streaming on the 7th and 12th, internet on
///    the 10th, power and water on the 15th, phones on the 20th — exactly one of each in every month.
/// 5. Seasonal peaks: December gift spending is at least three times any other month's (tag "christmas");
///    July and August travel spending exceeds every other month's (tag "vacation").
/// 6. Exactly 6 planted outliers (<see cref="Outliers"/>), each at least three times the largest ordinary expense
///    of its category.
/// 7. Paid by Alex (the demo user) or Sam (a member without a sign-in); each pays at least a third.
/// Besides expenses: two salaries a month (Income), a monthly Visa payment from Joint checking (Transfer) and
/// about one refund a month, none of which count as spending except the refund.
/// </summary>
public sealed class DemoDataGenerator(TimeProvider time, TimeZoneInfo zone)
{
    public const int DefaultSeed = 2024;
    public const int BillsPerMonth = 6;
    public const int EverydayPerMonth = 232;
    public const int EverydayJitter = 8;
    public const int DecemberGifts = 28;
    public const int SummerTravelPerMonth = 12;

    public static readonly IReadOnlyList<DemoBill> Bills =
    [
        new("Maple Street Apartments", "Housing", 1, 165_000, 165_000, DemoAccount.JointChecking, DemoMember.Alex),
        new("StreamFlix", "Entertainment", 7, 1_549, 1_549, DemoAccount.Visa, DemoMember.Alex, "subscription"),
        new("FiberNet", "Utilities", 10, 4_999, 4_999, DemoAccount.JointChecking, DemoMember.Alex),
        new("Tunes Music", "Entertainment", 12, 1_099, 1_099, DemoAccount.Visa, DemoMember.Sam, "subscription"),
        new("City Power & Water", "Utilities", 15, 8_500, 16_000, DemoAccount.JointChecking, DemoMember.Sam),
        new("Telco Mobile", "Utilities", 20, 6_500, 6_500, DemoAccount.JointChecking, DemoMember.Sam),
    ];

    public static readonly IReadOnlyList<PlantedOutlier> Outliers =
    [
        new(2, 14, "Groceries", 68_950, "Fresh Market", "Catering for a big party"),
        new(5, 9, "Health", 145_000, "Downtown Dental", "Emergency root canal"),
        new(9, 22, "Transport", 238_000, "Quick Fix Garage", "Gearbox repair"),
        new(13, 5, "Dining out", 41_200, "Le Grand Bistro", "Anniversary dinner"),
        new(16, 18, "Shopping", 189_900, "ElectroWorld", "New laptop"),
        new(20, 11, "Kids", 98_000, "Summer Camp Co", "Two weeks of summer camp"),
    ];

    /// <summary>Everyday spending: category, weight, amount range in minor units, payees.</summary>
    private static readonly (string Category, int Weight, long Min, long Max, string[] Payees)[] Everyday =
    [
        ("Groceries", 30, 850, 16_000, ["Fresh Market", "Corner Grocer", "Bäckerei Müller", "Farmers' Market", "SuperSave"]),
        ("Dining out", 15, 650, 9_500, ["Café Olé", "Pizza Napoli", "Sushi Zen", "The Burger Joint", "Taquería Lupe"]),
        ("Transport", 14, 275, 9_000, ["City Transit", "Shell", "ParkRite", "RideNow"]),
        ("Health", 4, 500, 18_000, ["Green Cross Pharmacy", "Dr. Patel", "Vision Plus"]),
        ("Kids", 8, 400, 12_000, ["Toy Planet", "Little Steps School", "Kids' Corner Books", "Swim Club"]),
        ("Entertainment", 7, 800, 6_000, ["Cineplex", "Game Haven", "City Museum", "Bowling Alley"]),
        ("Shopping", 10, 999, 25_000, ["Amazing Online", "Style Store", "HomeGoods", "ElectroWorld"]),
        ("Travel", 2, 2_000, 15_000, ["Rail Express", "Weekend Inn"]),
        ("Gifts", 3, 1_500, 6_000, ["Gift Boutique", "Flower Power"]),
        ("Housing", 2, 1_000, 12_000, ["HardwarePro", "Garden Centre"]),
        ("Utilities", 1, 1_500, 4_000, ["Water Delivery Co"]),
        ("Other", 4, 300, 5_000, ["Post Office", "Dry Cleaners", "Charity Shop"]),
    ];

    private static readonly string[] GiftPayees = ["Gift Boutique", "Toy Planet", "Book Nook", "Amazing Online", "Flower Power"];
    private static readonly string[] TravelPayees = ["SkyHigh Airlines", "Seaside Hotel", "Rail Express", "Car Rental Co", "Beach Café"];

    public DemoData Generate(int seed = DefaultSeed) =>
        Generate(seed, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime));

    /// <summary>The pure form: the same seed and day always give the same data.</summary>
    public static DemoData Generate(int seed, DateOnly today)
    {
        var window = DemoWindow.EndingLastMonth(today);
        var random = new Random(seed);
        var result = new List<DemoTransaction>(7_000);
        for (var index = 0; index < DemoWindow.Months; index++)
        {
            var month = window.From.AddMonths(index);
            var monthly = new List<DemoTransaction>(300);
            AddBills(random, month, monthly);
            AddEveryday(random, month, monthly);
            AddSeasonal(random, month, monthly);
            AddIncomeAndTransfers(random, month, monthly);
            AddRefund(random, month, monthly);
            foreach (var outlier in Outliers.Where(o => o.MonthIndex == index))
            {
                monthly.Add(new DemoTransaction(outlier.DateIn(window), TransactionKind.Expense, outlier.AmountMinor, outlier.Payee,
                    DemoAccount.Visa, DemoMember.Alex, [new DemoLine(outlier.Category, outlier.AmountMinor)], [], outlier.Story));
            }

            result.AddRange(monthly.OrderBy(t => t.Date));
        }

        return new DemoData(window, result);
    }

    private static void AddBills(Random random, DateOnly month, List<DemoTransaction> into)
    {
        foreach (var bill in Bills)
        {
            var amount = bill.MinAmountMinor == bill.MaxAmountMinor
                ? bill.MinAmountMinor
                : random.NextInt64(bill.MinAmountMinor, bill.MaxAmountMinor + 1);
            into.Add(new DemoTransaction(month.AddDays(bill.Day - 1), TransactionKind.Expense, amount, bill.Payee, bill.Account, bill.PaidBy,
                [new DemoLine(bill.Category, amount)], bill.Tag is null ? [] : [bill.Tag]));
        }
    }

    private static void AddEveryday(Random random, DateOnly month, List<DemoTransaction> into)
    {
        var totalWeight = Everyday.Sum(e => e.Weight);
        var count = EverydayPerMonth + random.Next(-EverydayJitter, EverydayJitter + 1);
        for (var i = 0; i < count; i++)
        {
            var pick = random.Next(totalWeight);
            var entry = Everyday[0];
            foreach (var candidate in Everyday)
            {
                if (pick < candidate.Weight)
                {
                    entry = candidate;
                    break;
                }

                pick -= candidate.Weight;
            }

            // The first expenses of a month cover each category once, so every category appears every month.
            if (i < Everyday.Length)
            {
                entry = Everyday[i];
            }

            var amount = random.NextInt64(entry.Min, entry.Max + 1);
            var payee = entry.Payees[random.Next(entry.Payees.Length)];
            var account = i < 3 ? (DemoAccount)i : random.Next(100) switch
            {
                < 65 => DemoAccount.Visa,
                < 85 => DemoAccount.Cash,
                _ => DemoAccount.JointChecking,
            };
            var paidBy = random.Next(100) < 55 ? DemoMember.Alex : DemoMember.Sam;
            IReadOnlyList<DemoLine> lines = [new DemoLine(entry.Category, amount)];

            // A big supermarket shop sometimes includes household goods: a split receipt.
            if (entry.Category == "Groceries" && payee == "SuperSave" && amount > 4_000)
            {
                var household = amount / 4;
                lines = [new DemoLine("Groceries", amount - household), new DemoLine("Shopping", household)];
            }

            var day = month.AddDays(random.Next(DateTime.DaysInMonth(month.Year, month.Month)));
            var notes = entry.Category == "Kids" && random.Next(4) == 0 ? "For the kids' school project" : null;
            into.Add(new DemoTransaction(day, TransactionKind.Expense, amount, payee, account, paidBy, lines, [], notes));
        }
    }

    private static void AddSeasonal(Random random, DateOnly month, List<DemoTransaction> into)
    {
        if (month.Month == 12)
        {
            for (var i = 0; i < DecemberGifts; i++)
            {
                var amount = random.NextInt64(2_000, 15_001);
                into.Add(new DemoTransaction(month.AddDays(random.Next(24)), TransactionKind.Expense, amount,
                    GiftPayees[random.Next(GiftPayees.Length)], DemoAccount.Visa, random.Next(2) == 0 ? DemoMember.Alex : DemoMember.Sam,
                    [new DemoLine("Gifts", amount)], ["christmas"]));
            }
        }

        if (month.Month is 7 or 8)
        {
            for (var i = 0; i < SummerTravelPerMonth; i++)
            {
                var amount = random.NextInt64(8_000, 90_001);
                into.Add(new DemoTransaction(month.AddDays(random.Next(DateTime.DaysInMonth(month.Year, month.Month))), TransactionKind.Expense, amount,
                    TravelPayees[random.Next(TravelPayees.Length)], DemoAccount.Visa, random.Next(2) == 0 ? DemoMember.Alex : DemoMember.Sam,
                    [new DemoLine("Travel", amount)], ["vacation"]));
            }
        }
    }

    private static void AddIncomeAndTransfers(Random random, DateOnly month, List<DemoTransaction> into)
    {
        into.Add(new DemoTransaction(month.AddDays(24), TransactionKind.Income, 380_000, "Acme Corp", DemoAccount.JointChecking, DemoMember.Alex, [], [], "Salary"));
        into.Add(new DemoTransaction(month.AddDays(24), TransactionKind.Income, 320_000, "Northwind Traders", DemoAccount.JointChecking, DemoMember.Sam, [], [], "Salary"));
        var visaPayment = random.NextInt64(150_000, 300_001);
        into.Add(new DemoTransaction(month.AddDays(26), TransactionKind.Transfer, visaPayment, "Visa payment", DemoAccount.JointChecking,
            DemoMember.Alex, [], [], null, DemoAccount.Visa));
    }

    private static void AddRefund(Random random, DateOnly month, List<DemoTransaction> into)
    {
        if (random.Next(10) < 8)
        {
            var amount = random.NextInt64(999, 8_001);
            into.Add(new DemoTransaction(month.AddDays(random.Next(28)), TransactionKind.Refund, amount, "Style Store", DemoAccount.Visa,
                random.Next(2) == 0 ? DemoMember.Alex : DemoMember.Sam, [new DemoLine("Shopping", amount)], [], "Returned a jacket"));
        }
    }
}
