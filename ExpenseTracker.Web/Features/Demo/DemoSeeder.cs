using System.Globalization;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Bills;
using ExpenseTracker.Web.Features.Households;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ExpenseTracker.Web.Features.Demo;

/// <summary>
/// `--seed-demo`: once per database, a demo household with two years of history (see <see cref="DemoDataGenerator"/>).
/// Signs in as <see cref="Email"/> / <see cref="Password"/>. Running it again only prints the sign-in again.
/// </summary>
public static class DemoSeeder
{
    public const string Flag = "--seed-demo";
    public const string Email = "demo@example.com";

    /// <summary>Documented in the README; ≥ 10 characters and not on the common-password list.</summary>
    public const string Password = "demo-family-2024";

    public const string HouseholdName = "Demo family";
    public const string Currency = "USD";
    public const string TimeZoneId = "America/New_York";
    public const string Culture = "en-US";
    public const string OwnerName = "Alex";
    public const string SecondMemberName = "Sam";

    public static async Task SeedOnceAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var users = provider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(Email) is not null)
        {
            await output.WriteLineAsync($"The demo household already exists. Sign in as {Email} with the password {Password}.");
            return;
        }

        var time = provider.GetRequiredService<TimeProvider>();
        var started = time.GetTimestamp();
        var user = new AppUser { UserName = Email, Email = Email, EmailConfirmed = true, CreatedAt = time.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Could not create the demo user: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        var household = await provider.GetRequiredService<HouseholdProvisioning>()
            .CreateAsync(user, new NewHousehold(HouseholdName, Currency, TimeZoneId, Culture, OwnerName), cancellationToken);
        var count = await FillAsync(provider, household, user, cancellationToken);
        var elapsed = time.GetElapsedTime(started);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Seeded the demo household \"{HouseholdName}\" with {count:N0} transactions in {elapsed.TotalSeconds:N1} s."));
        await output.WriteLineAsync($"Sign in as {Email} with the password {Password}.");
    }

    /// <summary>Adds Sam, the two payment accounts, the generated history and its monthly bills to a freshly provisioned household.</summary>
    private static async Task<int> FillAsync(IServiceProvider provider, Household household, AppUser owner, CancellationToken cancellationToken)
    {
        var db = provider.GetRequiredService<AppDbContext>();
        var scope = provider.GetRequiredService<HouseholdScope>();
        var time = provider.GetRequiredService<TimeProvider>();
        var ownerMemberId = await db.Members.IgnoreQueryFilters()
            .Where(m => m.HouseholdId == household.Id && m.UserId == owner.Id)
            .Select(m => m.Id)
            .SingleAsync(cancellationToken);
        scope.Set(household.Id, ownerMemberId, owner.Id, MemberRole.Owner);

        var sam = new Member
        {
            HouseholdId = household.Id,
            Role = MemberRole.Member,
            DisplayName = SecondMemberName,
            Color = HouseholdProvisioning.MemberColors[1],
            JoinedAt = time.GetUtcNow().UtcDateTime,
        };
        var checking = new PaymentAccount { HouseholdId = household.Id, Name = "Joint checking", Kind = AccountKind.Checking, Currency = Currency, MaskedNumber = "****4821" };
        var visa = new PaymentAccount { HouseholdId = household.Id, Name = "Visa", Kind = AccountKind.CreditCard, Currency = Currency, MaskedNumber = "****9034" };
        db.AddRange(sam, checking, visa);
        await db.SaveChangesAsync(cancellationToken);

        var cash = await db.Accounts.Where(a => a.Kind == AccountKind.Cash).Select(a => a.Id).FirstAsync(cancellationToken);
        var categories = await db.Categories.ToDictionaryAsync(c => c.Name, c => c.Id, StringComparer.Ordinal, cancellationToken);
        var accounts = new Dictionary<DemoAccount, long>
        {
            [DemoAccount.JointChecking] = checking.Id,
            [DemoAccount.Visa] = visa.Id,
            [DemoAccount.Cash] = cash,
        };
        var members = new Dictionary<DemoMember, long> { [DemoMember.Alex] = ownerMemberId, [DemoMember.Sam] = sam.Id };

        var zone = TimeZoneInfo.FindSystemTimeZoneById(household.TimeZoneId);
        var data = new DemoDataGenerator(time, zone).Generate();
        var inputs = data.Transactions.Select(t => t.ToInput(categories, accounts, members)).ToList();
        int inserted;
        await using (var bulk = DemoDataWriter.CreateBulkContext(db, scope))
        {
            inserted = await DemoDataWriter.InsertAsync(bulk, inputs, time, cancellationToken);
        }

        // The monthly bills the history pays, as bills from this month on: the Bills page, reminders and the month-end
        // forecast (bills added exactly, their payees kept out of the everyday pattern) work on the demo as for a family.
        var bills = provider.GetRequiredService<BillService>();
        var thisMonth = data.Window.To.AddDays(1);
        foreach (var bill in DemoDataGenerator.Bills)
        {
            var estimate = bill.MinAmountMinor != bill.MaxAmountMinor;
            await bills.AddAsync(new BillInput
            {
                Name = BillName(bill),
                Payee = bill.Payee,
                CategoryId = categories[bill.Category],
                AmountMinor = estimate ? (bill.MinAmountMinor + bill.MaxAmountMinor) / 2 : bill.MaxAmountMinor,
                IsEstimate = estimate,
                MinAmountMinor = estimate ? bill.MinAmountMinor : null,
                MaxAmountMinor = estimate ? bill.MaxAmountMinor : null,
                DayOfMonth = bill.Day,
                Start = thisMonth,
                AccountId = accounts[bill.Account],
            }, cancellationToken);
        }

        return inserted;
    }

    private static string BillName(DemoBill bill) => bill.Payee switch
    {
        "Maple Street Apartments" => "Rent",
        "FiberNet" => "Internet",
        "City Power & Water" => "Power and water",
        "Telco Mobile" => "Phones",
        _ => bill.Payee,
    };
}
