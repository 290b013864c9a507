using System.Globalization;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Infrastructure;

namespace ExpenseTracker.Tests.Integration.Notifications.Scheduling;

/// <summary>
/// A year of bill reminders, November 2027 to November 2028 (29 February 2028 included), produced by the reminder tick run
/// every hour on a fake clock, compared row by row with a set worked out here without the rule's code: its own date
/// arithmetic for every schedule and <see cref="TimeZoneInfo.ConvertTimeToUtc(DateTime, TimeZoneInfo)"/> for local times.
/// Ana (owner) and Vic (viewer) follow the household's Europe/Berlin; Ben (member) lives in America/New_York and has
/// email off for bill reminders; Kim (child) has a personal bill; Sam has no sign-in. Berlin changes clocks on 26 March
/// and 29 October 2028, New York on 7 November 2027 and 12 March 2028.
/// </summary>
/// <remarks>
/// On PostgreSQL the same simulation stops on 22 June 2028 (the whole year would add about a minute to CI): past the leap
/// day, New York's autumn and both spring clock changes, the late rent, the gym's end and the magazine's archiving, and
/// every sentinel below; only Berlin's autumn change, which is the same .NET time-zone arithmetic as New York's, is left
/// to the SQLite run.
/// </remarks>
public sealed class SimulatedYearTests : PerCaseApps
{
    private static readonly DateTimeOffset Start = new(2027, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset YearEnd = new(2028, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PostgresEnd = new(2028, 6, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly DateOnly Archived = new(2028, 6, 1);
    private static readonly DateOnly RentPaidLate = new(2028, 4, 30);
    private static readonly DateOnly RentPaidLateOn = new(2028, 5, 3);

    private TestApp app = null!;
    private DateTimeOffset end = YearEnd;
    private ReminderHousehold home = null!;
    private readonly Dictionary<string, SimBill> bills = new(StringComparer.Ordinal);

    private async Task StartAsync(DatabaseProvider provider)
    {
        app = StartApp(provider);
        end = provider == DatabaseProvider.Postgres ? PostgresEnd : YearEnd;
        app.Time.SetUtcNow(Start);
        home = await ReminderHousehold.CreateAsync(app);
        await home.JoinAsync("Ben", MemberRole.Member, "America/New_York");
        await home.JoinAsync("Vic", MemberRole.Viewer);
        await home.JoinAsync("Kim", MemberRole.Child);
        await home.Home.AddMemberAsync("Sam");
        await home.SetPreferenceAsync("Ben", NotificationType.BillReminder, NotificationChannel.Email, enabled: false);

        var kim = home.Member("Kim");
        await AddAsync("Rent", Monthly(31, new DateOnly(2027, 11, 1), null), paid: true, home.Bill("Rent", BillScheduleKind.MonthlyOnDay, new DateOnly(2027, 11, 1), lead: 3, day: 31));
        await AddAsync("Cleaner", Every(new DateOnly(2027, 11, 5), 7), paid: false, home.Bill("Cleaner", BillScheduleKind.Weekly, new DateOnly(2027, 11, 5), lead: 1));
        await AddAsync("Allotment", Every(new DateOnly(2027, 11, 3), 14), paid: true, home.Bill("Allotment", BillScheduleKind.EveryNWeeks, new DateOnly(2027, 11, 3), lead: 0, interval: 2));
        await AddAsync("Insurance", [new(2027, 12, 15), new(2028, 3, 15), new(2028, 6, 15), new(2028, 9, 15)], paid: false,
            home.Bill("Insurance", BillScheduleKind.EveryNMonths, new DateOnly(2027, 12, 15), lead: 5, day: 15, interval: 3));
        await AddAsync("Leap club", [new(2028, 2, 29)], paid: true, home.Bill("Leap club", BillScheduleKind.Yearly, new DateOnly(2028, 1, 1), lead: 2, day: 29, month: 2));
        await AddAsync("Kim's phone", Monthly(5, new DateOnly(2027, 11, 1), null), paid: true,
            home.Bill("Kim's phone", BillScheduleKind.MonthlyOnDay, new DateOnly(2027, 11, 1), lead: 2, day: 5, owner: kim), personalOf: "Kim");
        await AddAsync("Gym", Monthly(10, new DateOnly(2027, 11, 1), new DateOnly(2028, 3, 31)), paid: true,
            home.Bill("Gym", BillScheduleKind.MonthlyOnDay, new DateOnly(2027, 11, 1), lead: 3, day: 10, end: new DateOnly(2028, 3, 31)));
        await AddAsync("Magazine", Monthly(20, new DateOnly(2027, 11, 1), null).Where(d => d < Archived).ToList(), paid: true,
            home.Bill("Magazine", BillScheduleKind.MonthlyOnDay, new DateOnly(2027, 11, 1), lead: 3, day: 20));
    }

    [ProviderTheory]
    public async Task AYearOfHourlyTicksProducesExactlyTheExpectedBillReminders(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await home.TickAsync();
        while (app.Time.GetUtcNow() < end)
        {
            app.Time.Advance(TimeSpan.FromHours(1));
            await home.TickAsync();
            await ActAsync(app.Time.GetUtcNow());
        }

        var outbox = await home.OutboxAsync();
        Assert.DoesNotContain(outbox, m => m.Type == NotificationType.Summary);
        var actual = outbox.Where(m => m.Type == NotificationType.BillReminder).Select(ToRow).ToList();
        Assert.Equal(actual.Count, actual.Distinct().Count());

        var expected = Expected().ToHashSet();
        var missing = expected.Except(actual).OrderBy(r => r.LocalDueAt, StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected).OrderBy(r => r.LocalDueAt, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{missing.Count} missing, {extra.Count} extra of {expected.Count} expected.\nMissing:\n{string.Join('\n', missing.Take(15))}\nExtra:\n{string.Join('\n', extra.Take(15))}");

        // Sentinels, written out by hand.
        var ana = home.Member("Ana");
        var ben = home.Member("Ben");
        var rent = bills["Rent"].Id;
        var leap = bills["Leap club"].Id;
        DateTime Utc(int y, int mo, int d, int h) => new(y, mo, d, h, 0, 0);
        // The 31st in February 2028 is the leap day: due-soon three days before at 09:00 Berlin (CET, 08:00 UTC).
        Assert.Contains(outbox, m => m.Key == $"bill-due-soon:bill:{rent}:2028-02-29:m{ana}:app" && m.DueAt == Utc(2028, 2, 26, 8));
        // The 31st in April is the 30th; it stayed unpaid until 3 May, so both zones were told it is overdue on 1 May.
        Assert.Contains(outbox, m => m.Key == $"bill-overdue:bill:{rent}:2028-04-30:m{ana}:app" && m.DueAt == Utc(2028, 5, 1, 7));
        Assert.Contains(outbox, m => m.Key == $"bill-overdue:bill:{rent}:2028-04-30:m{ben}:app" && m.DueAt == Utc(2028, 5, 1, 13));
        Assert.DoesNotContain(outbox, m => m.Key.StartsWith($"bill-overdue:bill:{rent}:2028-03-31:", StringComparison.Ordinal));
        // 31 March: after Berlin's change (CEST, 09:00 = 07:00 UTC) on the 28th; Ben in EDT since 12 March (09:00 = 13:00 UTC).
        Assert.Contains(outbox, m => m.Key == $"bill-due-soon:bill:{rent}:2028-03-31:m{ana}:app" && m.DueAt == Utc(2028, 3, 28, 7));
        Assert.Contains(outbox, m => m.Key == $"bill-due-soon:bill:{rent}:2028-03-31:m{ben}:push" && m.DueAt == Utc(2028, 3, 28, 13));
        // 29 February itself: Ana hears at 08:00 Berlin; it was paid at noon Berlin, before 08:00 in New York, so Ben does not.
        Assert.Contains(outbox, m => m.Key == $"bill-due-today:bill:{leap}:2028-02-29:m{ana}:email" && m.DueAt == Utc(2028, 2, 29, 7));
        Assert.DoesNotContain(outbox, m => m.Key.StartsWith($"bill-due-today:bill:{leap}:2028-02-29:m{ben}:", StringComparison.Ordinal));
        Assert.DoesNotContain(outbox, m => m.MemberId == ben && m.Channel == NotificationChannel.Email);
        Assert.DoesNotContain(outbox, m => m.Key.Contains($":bill:{bills["Kim's phone"].Id}:", StringComparison.Ordinal) && m.MemberId != home.Member("Kim"));
        Assert.DoesNotContain(outbox, m => m.MemberId == home.Member("Kim") && !m.Key.Contains($":bill:{bills["Kim's phone"].Id}:", StringComparison.Ordinal));
    }

    private sealed record SimBill(long Id, IReadOnlyList<DateOnly> Occurrences, bool Paid, int Lead, string? PersonalOf);

    private sealed record Row(string Rule, string Subject, string Period, long MemberId, NotificationChannel Channel, string LocalDueAt)
    {
        public override string ToString() => $"{Rule} {Subject} {Period} m{MemberId} {Channel} at {LocalDueAt}";
    }

    private Row ToRow(OutboxMessage m)
    {
        var parts = m.Key.Split(':');
        var zone = m.MemberId == home.Member("Ben") ? NewYork : Berlin;
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(m.DueAt, DateTimeKind.Utc), zone);
        return new Row(m.Rule, parts[1] + ":" + parts[2], parts[3], m.MemberId, m.Channel, local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
    }

    private async Task AddAsync(string name, IReadOnlyList<DateOnly> occurrences, bool paid, BillInput input, string? personalOf = null)
    {
        var id = await home.AddBillAsync(input);
        bills[name] = new SimBill(id, occurrences, paid, input.ReminderLeadDays, personalOf);
    }

    /// <summary>Noon in Berlin on a due date: the paid bills are paid (April's rent only on 3 May); on 1 June the magazine is archived.</summary>
    private async Task ActAsync(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Berlin);
        if (local.Hour != 12)
        {
            return;
        }

        var today = DateOnly.FromDateTime(local.DateTime);
        foreach (var (name, bill) in bills)
        {
            if (bill.Paid && PaidOn(name, today) is { } due && bill.Occurrences.Contains(due))
            {
                await home.PayAsync(bill.Id);
            }
        }

        if (today == Archived)
        {
            await home.ArchiveAsync(bills["Magazine"].Id);
        }
    }

    /// <summary>The occurrence paid on <paramref name="day"/>, if any.</summary>
    private static DateOnly? PaidOn(string name, DateOnly day) => name == "Rent" && day == RentPaidLate ? null
        : name == "Rent" && day == RentPaidLateOn ? RentPaidLate
        : day;

    /// <summary>When an occurrence stops being unpaid (noon Berlin on the day it is paid), or never.</summary>
    private static DateTimeOffset PaidAt(string name, SimBill bill, DateOnly due) => !bill.Paid ? DateTimeOffset.MaxValue
        : At(name == "Rent" && due == RentPaidLate ? RentPaidLateOn : due, 12, Berlin);

    private IEnumerable<Row> Expected()
    {
        var from = Start - TimeSpan.FromDays(1); // a rule's first tick looks back one day
        var people = new[] { ("Ana", Berlin), ("Ben", NewYork), ("Vic", Berlin), ("Kim", Berlin) };
        foreach (var (name, bill) in bills)
        {
            foreach (var (person, zone) in people)
            {
                var personal = bill.PersonalOf is not null;
                if (personal ? bill.PersonalOf != person : person == "Kim")
                {
                    continue;
                }

                foreach (var due in bill.Occurrences)
                {
                    var reminders = new List<(string Rule, DateTimeOffset At)>();
                    if (bill.Lead > 0)
                    {
                        reminders.Add(("bill-due-soon", At(due.AddDays(-bill.Lead), 9, zone)));
                    }

                    reminders.Add(("bill-due-today", At(due, 8, zone)));
                    reminders.Add(("bill-overdue", At(due.AddDays(1), 9, zone)));
                    foreach (var (rule, at) in reminders)
                    {
                        var archived = name == "Magazine" && at >= At(Archived, 12, Berlin);
                        if (at <= from || at > end || at >= PaidAt(name, bill, due) || archived)
                        {
                            continue;
                        }

                        foreach (var channel in new[] { NotificationChannel.InApp, NotificationChannel.Email, NotificationChannel.Push })
                        {
                            if (person == "Ben" && channel == NotificationChannel.Email)
                            {
                                continue;
                            }

                            yield return new Row(rule, "bill:" + bill.Id.ToString(CultureInfo.InvariantCulture), due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                                home.Member(person), channel, TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
                        }
                    }
                }
            }
        }
    }

    private static DateTimeOffset At(DateOnly day, int hour, TimeZoneInfo zone) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(hour, 0)), zone), TimeSpan.Zero);

    /// <summary>Day <paramref name="day"/> of every month from <paramref name="start"/>'s month, or the month's last day, up to the simulation's end or <paramref name="end"/>.</summary>
    private static List<DateOnly> Monthly(int day, DateOnly start, DateOnly? end)
    {
        var dates = new List<DateOnly>();
        for (var month = new DateOnly(start.Year, start.Month, 1); month.Year < 2029; month = month.AddMonths(1))
        {
            var date = new DateOnly(month.Year, month.Month, Math.Min(day, DateTime.DaysInMonth(month.Year, month.Month)));
            if (date >= start && (end is null || date <= end))
            {
                dates.Add(date);
            }
        }

        return dates;
    }

    private static List<DateOnly> Every(DateOnly first, int days)
    {
        var dates = new List<DateOnly>();
        for (var date = first; date.Year < 2029; date = date.AddDays(days))
        {
            dates.Add(date);
        }

        return dates;
    }
}
