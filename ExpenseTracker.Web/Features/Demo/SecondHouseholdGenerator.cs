using ExpenseTracker.Web.Data;

namespace ExpenseTracker.Web.Features.Demo;

/// <summary>
/// A second deterministic household with habits unlike <see cref="DemoDataGenerator"/>'s, used to measure the
/// forecasts honestly on data they were not written against. Its parameters are fixed in code before any model
/// was written and are not tuned afterwards (see docs/forecasting.md).
///
/// Habits: a single parent ("Alex") and a teenager ("Sam") over 36 whole months ending last month; spending grows
/// about 1% a month (prices and a growing child); a weekly big grocery shop on Saturdays and dining out mostly at
/// weekends; heating makes the energy bill peak in January and fall to a third in July; a yearly car insurance in
/// March; back-to-school spending in September; travel at Easter (April) and in late December instead of summer;
/// a subscription whose price rises twice; a handful of one-off outliers.
/// </summary>
public static class SecondHouseholdGenerator
{
    public const int DefaultSeed = 7_331;
    public const int Months = 36;
    /// <summary>Monthly growth of everyday spending (compounded), as a fraction.</summary>
    public const double MonthlyGrowth = 0.010;
    public const int EverydayPerMonth = 110;
    public const int EverydayJitter = 12;

    /// <summary>Bills with a fixed amount, on a fixed day of every month.</summary>
    public static readonly IReadOnlyList<DemoBill> Bills =
    [
        new("Harbour Bank Mortgage", "Housing", 5, 112_000, 112_000, DemoAccount.JointChecking, DemoMember.Alex),
        new("Metro Car Finance", "Transport", 8, 28_900, 28_900, DemoAccount.JointChecking, DemoMember.Alex),
        new("GigaNet Broadband", "Utilities", 14, 3_999, 3_999, DemoAccount.JointChecking, DemoMember.Alex),
        new("Teen Mobile", "Utilities", 22, 1_500, 1_500, DemoAccount.Visa, DemoMember.Alex),
    ];

    /// <summary>The energy bill on the 18th: a base amount times a winter factor (1 in January, 1/3 in July).</summary>
    public const long EnergyBaseMinor = 24_000;
    public const string EnergyPayee = "Northern Energy";

    /// <summary>The streaming subscription on the 3rd: 9.99, then 12.99 from month 14, then 15.99 from month 27.</summary>
    public static readonly (int FromMonthIndex, long AmountMinor)[] StreamingPrices = [(0, 999), (14, 1_299), (27, 1_599)];
    public const string StreamingPayee = "ViewMax";

    /// <summary>Yearly car insurance, paid on 10 March.</summary>
    public const long CarInsuranceMinor = 84_000;
    public const string CarInsurancePayee = "Safe Road Insurance";

    public static readonly IReadOnlyList<PlantedOutlier> Outliers =
    [
        new(4, 12, "Housing", 260_000, "Roof Masters", "Storm damage to the roof"),
        new(11, 3, "Health", 72_000, "City Orthodontics", "Braces"),
        new(19, 25, "Shopping", 149_900, "ElectroWorld", "New fridge"),
        new(30, 7, "Transport", 96_000, "Quick Fix Garage", "New tyres and brakes"),
    ];

    /// <summary>Everyday spending: category, weight, amount range, weekend weight (1 = no preference), payees.</summary>
    private static readonly (string Category, int Weight, long Min, long Max, int WeekendWeight, string[] Payees)[] Everyday =
    [
        ("Groceries", 22, 400, 4_500, 1, ["Corner Grocer", "Bakery Brown", "Fresh Market"]),
        ("Dining out", 14, 900, 6_500, 4, ["Noodle Bar", "Pizza Napoli", "The Burger Joint"]),
        ("Transport", 18, 1_500, 7_500, 1, ["Shell", "City Transit", "ParkRite"]),
        ("Health", 3, 800, 9_000, 1, ["Green Cross Pharmacy", "Dr. Patel"]),
        ("Kids", 12, 500, 8_000, 2, ["Teen Fashion", "Game Haven", "Kids' Corner Books", "Football Club"]),
        ("Entertainment", 6, 1_200, 5_000, 3, ["Cineplex", "Concert Hall", "Bowling Alley"]),
        ("Shopping", 12, 1_500, 18_000, 2, ["Amazing Online", "HomeGoods", "Style Store"]),
        ("Gifts", 3, 1_500, 5_000, 1, ["Gift Boutique", "Flower Power"]),
        ("Housing", 4, 1_500, 9_000, 2, ["HardwarePro", "Garden Centre"]),
        ("Other", 6, 300, 4_000, 1, ["Post Office", "Dry Cleaners", "Charity Shop"]),
    ];

    private static readonly string[] TravelPayees = ["Island Ferries", "Mountain Lodge", "Rail Express", "SkyHigh Airlines"];

    /// <summary>36 months ending with the last day of the month before <paramref name="today"/>.</summary>
    public static DemoWindow WindowEndingLastMonth(DateOnly today)
    {
        var firstOfThisMonth = new DateOnly(today.Year, today.Month, 1);
        return new DemoWindow(firstOfThisMonth.AddMonths(-Months), firstOfThisMonth.AddDays(-1));
    }

    /// <summary>The same seed and day always give the same data.</summary>
    public static DemoData Generate(DateOnly today, int seed = DefaultSeed)
    {
        var window = WindowEndingLastMonth(today);
        var random = new Random(seed);
        var result = new List<DemoTransaction>(Months * 160);
        for (var index = 0; index < Months; index++)
        {
            var month = window.From.AddMonths(index);
            var growth = Math.Pow(1 + MonthlyGrowth, index);
            var monthly = new List<DemoTransaction>(160);
            AddBills(random, month, index, monthly);
            AddWeeklyShop(random, month, growth, monthly);
            AddEveryday(random, month, growth, monthly);
            AddSeasonal(random, month, growth, monthly);
            AddIncome(month, monthly);
            foreach (var outlier in Outliers.Where(o => o.MonthIndex == index))
            {
                monthly.Add(Expense(outlier.DateIn(window), outlier.AmountMinor, outlier.Payee, outlier.Category, DemoAccount.Visa, outlier.Story));
            }

            result.AddRange(monthly.OrderBy(t => t.Date));
        }

        return new DemoData(window, result);
    }

    /// <summary>The payees of every scheduled bill of this household (monthly, energy, streaming, insurance).</summary>
    public static IReadOnlyList<string> BillPayees =>
        [.. Bills.Select(b => b.Payee), EnergyPayee, StreamingPayee, CarInsurancePayee];

    private static void AddBills(Random random, DateOnly month, int index, List<DemoTransaction> into)
    {
        foreach (var bill in Bills)
        {
            into.Add(Expense(month.AddDays(bill.Day - 1), bill.MinAmountMinor, bill.Payee, bill.Category, bill.Account));
        }

        // Heating: a cosine over the year peaking in January, plus a little noise.
        var winter = (1 + Math.Cos((month.Month - 1) * Math.PI / 6)) / 2;
        var energy = (long)Math.Round(EnergyBaseMinor * (1.0 / 3 + (2.0 / 3) * winter) * (0.95 + random.NextDouble() * 0.1));
        into.Add(Expense(month.AddDays(17), energy, EnergyPayee, "Utilities", DemoAccount.JointChecking));

        var streaming = StreamingPrices.Last(p => p.FromMonthIndex <= index).AmountMinor;
        into.Add(Expense(month.AddDays(2), streaming, StreamingPayee, "Entertainment", DemoAccount.Visa, tag: "subscription"));

        if (month.Month == 3)
        {
            into.Add(Expense(month.AddDays(9), CarInsuranceMinor, CarInsurancePayee, "Transport", DemoAccount.JointChecking));
        }
    }

    private static void AddWeeklyShop(Random random, DateOnly month, double growth, List<DemoTransaction> into)
    {
        var days = DateTime.DaysInMonth(month.Year, month.Month);
        for (var day = 0; day < days; day++)
        {
            var date = month.AddDays(day);
            if (date.DayOfWeek == DayOfWeek.Saturday)
            {
                var amount = (long)Math.Round(random.NextInt64(9_000, 16_001) * growth);
                into.Add(Expense(date, amount, "SuperSave", "Groceries", DemoAccount.Visa));
            }
        }
    }

    private static void AddEveryday(Random random, DateOnly month, double growth, List<DemoTransaction> into)
    {
        var days = DateTime.DaysInMonth(month.Year, month.Month);
        var count = EverydayPerMonth + random.Next(-EverydayJitter, EverydayJitter + 1);
        var totalWeight = Everyday.Sum(e => e.Weight);
        for (var i = 0; i < count; i++)
        {
            var pick = random.Next(totalWeight);
            var entry = Everyday[^1];
            foreach (var candidate in Everyday)
            {
                if (pick < candidate.Weight)
                {
                    entry = candidate;
                    break;
                }

                pick -= candidate.Weight;
            }

            var date = PickDay(random, month, days, entry.WeekendWeight);
            var amount = (long)Math.Round(random.NextInt64(entry.Min, entry.Max + 1) * growth);
            var payee = entry.Payees[random.Next(entry.Payees.Length)];
            var account = random.Next(100) < 70 ? DemoAccount.Visa : DemoAccount.Cash;
            into.Add(Expense(date, amount, payee, entry.Category, account, paidBy: random.Next(100) < 85 ? DemoMember.Alex : DemoMember.Sam));
        }
    }

    /// <summary>A day of the month where a weekend day is <paramref name="weekendWeight"/> times as likely as a weekday.</summary>
    private static DateOnly PickDay(Random random, DateOnly month, int days, int weekendWeight)
    {
        var weights = new int[days];
        var total = 0;
        for (var day = 0; day < days; day++)
        {
            var weekday = month.AddDays(day).DayOfWeek;
            weights[day] = weekday is DayOfWeek.Saturday or DayOfWeek.Sunday ? weekendWeight : 1;
            total += weights[day];
        }

        var pick = random.Next(total);
        for (var day = 0; day < days; day++)
        {
            if (pick < weights[day])
            {
                return month.AddDays(day);
            }

            pick -= weights[day];
        }

        return month.AddDays(days - 1);
    }

    private static void AddSeasonal(Random random, DateOnly month, double growth, List<DemoTransaction> into)
    {
        var days = DateTime.DaysInMonth(month.Year, month.Month);
        if (month.Month == 9)
        {
            for (var i = 0; i < 8; i++)
            {
                var amount = (long)Math.Round(random.NextInt64(3_000, 14_001) * growth);
                into.Add(Expense(month.AddDays(random.Next(14)), amount, "School Supplies Co", "Kids", DemoAccount.Visa, tag: "school"));
            }
        }

        if (month.Month is 4 or 12)
        {
            var trips = month.Month == 4 ? 6 : 4;
            for (var i = 0; i < trips; i++)
            {
                var amount = (long)Math.Round(random.NextInt64(10_000, 60_001) * growth);
                var day = month.Month == 4 ? random.Next(days) : 20 + random.Next(days - 20);
                into.Add(Expense(month.AddDays(day), amount, TravelPayees[random.Next(TravelPayees.Length)], "Travel", DemoAccount.Visa, tag: "holiday"));
            }
        }

        if (month.Month is 11 or 12)
        {
            for (var i = 0; i < 6; i++)
            {
                var amount = (long)Math.Round(random.NextInt64(2_000, 10_001) * growth);
                into.Add(Expense(month.AddDays(random.Next(Math.Min(days, 24))), amount, "Gift Boutique", "Gifts", DemoAccount.Visa));
            }
        }
    }

    private static void AddIncome(DateOnly month, List<DemoTransaction> into) =>
        into.Add(new DemoTransaction(month.AddDays(27), TransactionKind.Income, 410_000, "Acme Corp", DemoAccount.JointChecking, DemoMember.Alex, [], [], "Salary"));

    private static DemoTransaction Expense(
        DateOnly date, long amount, string payee, string category, DemoAccount account, string? notes = null, string? tag = null,
        DemoMember paidBy = DemoMember.Alex) =>
        new(date, TransactionKind.Expense, amount, payee, account, paidBy, [new DemoLine(category, amount)], tag is null ? [] : [tag], notes);
}
