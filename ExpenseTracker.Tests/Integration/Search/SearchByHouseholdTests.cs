using System.Globalization;
using System.Text;
using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Import;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Search;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Search;

/// <summary>
/// The full-text index knows each row's household (SQLite: a household token ANDed into every search), and a search with
/// more matches than <see cref="SearchFilter.SeekMatchesUpTo"/> counts its totals over a long range by seeking the matches
/// (<see cref="SearchFilter.TextPlan.SeekAllMatches"/>) and over a short one by walking the household's dates: both give
/// exactly the household's figures.
/// </summary>
public sealed class SearchByHouseholdTests
{
    private static readonly DateOnly Today = new(2026, 11, 15);

    private static async Task<ExpensePage> ListAsync(ImportHousehold home, string line, MemberRole role = MemberRole.Owner, long? member = null)
    {
        var filter = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, line, null, null).ToFilter(Today, "EUR");
        await using var scope = home.Scope(role, member);
        return await scope.ServiceProvider.GetRequiredService<ExpenseService>().ListAsync(new ExpensePageRequest(filter, 0, 50));
    }

    /// <summary>Rows "date,amount,payee,memo" from <paramref name="first"/>, one a day, amounts 1.00, 1.01, ... (money out).</summary>
    private static List<(DateOnly Date, long AmountMinor)> Statement(StringBuilder csv, DateOnly first, int count, string payee)
    {
        var rows = new List<(DateOnly, long)>();
        for (var i = 0; i < count; i++)
        {
            var date = first.AddDays(i % 540);
            var amount = 100L + i;
            rows.Add((date, amount));
            csv.Append(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd},-{amount / 100}.{amount % 100:00},{payee},row {i}\n");
        }

        return rows;
    }

    [ProviderTheory]
    public async Task AWordWithThousandsOfMatchesCountsExactlyTheHouseholdsRowsOverLongAndShortRanges(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app, "ana@example.com");
        var other = await ImportHousehold.CreateAsync(app, "ben@example.com");

        var csv = new StringBuilder("Date,Amount,Payee,Memo\n");
        var gelato = Statement(csv, new DateOnly(2025, 6, 1), SearchFilter.SeekMatchesUpTo + 40, "Gelato Bar");
        Statement(csv, new DateOnly(2025, 6, 1), 30, "Bakery");
        Assert.Equal(SearchFilter.SeekMatchesUpTo + 70, (await home.CommitAsync(ImportHousehold.Request("history.csv", csv.ToString(), home.CheckingId))).Added);
        var theirs = new StringBuilder("Date,Amount,Payee,Memo\n");
        Statement(theirs, new DateOnly(2026, 11, 1), 60, "Gelato Bar");
        await other.CommitAsync(ImportHousehold.Request("theirs.csv", theirs.ToString(), other.CheckingId));

        // Another member's private gelato: the owner's count leaves it out and shows it on the private line.
        var (sam, _) = await home.AddMemberAsync("sam@example.com", MemberRole.Member);
        await using (var scope = home.Scope(MemberRole.Member, sam))
        {
            await scope.ServiceProvider.GetRequiredService<ExpenseService>().CreateAsync(new ExpenseInput
            {
                Date = new DateOnly(2026, 11, 10),
                AmountMinor = 30_00,
                Payee = "Gelato Bar",
                AccountId = home.CashId,
                IsPrivate = true,
                Lines = [new LineInput(await home.QueryAsync(db => db.Categories.Where(c => c.Name == "Groceries").Select(c => c.Id).SingleAsync()), 30_00, null)],
            });
        }

        // The statement runs a week past today (2026-11-22): this month ends on the 30th, the last 12 months today.
        var ranges = new[]
        {
            ("gelato date:last-12-months", new DateOnly(2025, 12, 1), Today),
            ("gelato date:this-month", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)),
            ("gelato", DateOnly.MinValue, DateOnly.MaxValue),
        };
        foreach (var (line, from, to) in ranges)
        {
            var expected = gelato.Where(r => r.Date >= from && r.Date <= to).ToList();
            var page = await ListAsync(home, line);
            Assert.True(expected.Count > 0, line);
            Assert.Equal((expected.Count, expected.Sum(r => r.AmountMinor)), (page.TotalCount, page.SpendingMinor));
            Assert.Equal((1, 30_00L), (page.Private.Count, page.Private.SpendingMinor));
            Assert.Equal(Math.Min(50, expected.Count), page.Items.Count);
            Assert.All(page.Items, i => Assert.Equal("Gelato Bar", i.Payee));

            // The plans these searches take: more matches than the seek limit, so the page walks the household's dates;
            // the totals seek over a long range (or none) on SQLite, and walk over a month.
            await using var scope = home.Scope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var terms = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, line, null, null).ToFilter(Today, "EUR").Terms;
            var plan = await SearchFilter.PlanAsync(db, terms);
            Assert.Equal(SearchFilter.TextPlan.ScanHousehold, plan);
            var longRange = from < Today.AddDays(-SearchFilter.SeekTotalsFromDays);
            Assert.Equal(provider == DatabaseProvider.Sqlite && longRange ? SearchFilter.TextPlan.SeekAllMatches : SearchFilter.TextPlan.ScanHousehold,
                SearchFilter.TotalsPlan(db, plan, terms, null, null, Today));
        }

        // The member who wrote the private one counts it with the rest.
        var author = await ListAsync(home, "gelato date:this-month", MemberRole.Member, sam);
        Assert.Equal(gelato.Count(r => r.Date >= new DateOnly(2026, 11, 1)) + 1, author.TotalCount);
        Assert.True(author.Private.IsEmpty);
    }

    [ProviderTheory]
    public async Task TheHouseholdRowsOfASeekNeverIncludeAnotherHousehold(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app, "ana@example.com");
        var other = await ImportHousehold.CreateAsync(app, "ben@example.com");
        await home.CommitCsvAsync(home.CheckingId, "2026-11-02,-3.50,Gelato Bar,cone");
        await other.CommitCsvAsync(other.CheckingId, "2026-11-02,-4.50,Gelato Bar,cup", "2026-11-03,-5.50,Gelato Bar,cup");

        var terms = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, "gelato", null, null).ToFilter(Today, "EUR").Terms;
        foreach (var plan in Enum.GetValues<SearchFilter.TextPlan>())
        {
            var amounts = await home.QueryAsync(db => SearchFilter.Apply(db, SearchFilter.HouseholdRows(db, plan), terms, plan).Select(t => t.AmountMinor).ToListAsync());
            Assert.Equal([3_50L], amounts);
        }
    }

    /// <summary>The household's token is in the index, but no word of the query line can reach it.</summary>
    [ProviderTheory]
    public async Task NoWordFindsTheHouseholdToken(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app, "ana@example.com");
        await home.CommitCsvAsync(home.CheckingId, "2026-11-02,-3.50,Gelato Bar,cone", "2026-11-03,-4.00,Tool Store,nails");

        foreach (var line in new[] { "h", "h" + home.HouseholdId.ToString(CultureInfo.InvariantCulture), "household", "\"h" + home.HouseholdId.ToString(CultureInfo.InvariantCulture) + "\"" })
        {
            Assert.Equal(0, (await ListAsync(home, line)).TotalCount);
        }

        Assert.Equal(1, (await ListAsync(home, "tool")).TotalCount);
        Assert.Equal(1, (await ListAsync(home, "-gelato")).TotalCount);
    }

    /// <summary>A quoted phrase matches words next to each other within payee, notes or tags, never across two of them.</summary>
    [ProviderTheory]
    public async Task APhraseDoesNotSpanTwoFields(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await ImportHousehold.CreateAsync(app, "ana@example.com");
        await home.CommitCsvAsync(home.CheckingId, "2026-11-02,-20.00,Shop Gift,card for mum", "2026-11-03,-25.00,Corner Shop,gift card for dad");

        var page = await ListAsync(home, "\"gift card\"");
        Assert.Equal(["Corner Shop"], page.Items.Select(i => i.Payee));
        Assert.Equal(1, (await ListAsync(home, "\"card for mum\"")).TotalCount);
        Assert.Equal(2, (await ListAsync(home, "gift card")).TotalCount);
    }

    [Theory]
    [InlineData(null, null, SearchFilter.TextPlan.SeekAllMatches)]
    [InlineData("2026-09-01", null, SearchFilter.TextPlan.SeekAllMatches)]
    [InlineData("2026-10-01", null, SearchFilter.TextPlan.ScanHousehold)]
    [InlineData("2026-10-01", "2026-12-31", SearchFilter.TextPlan.ScanHousehold)]
    [InlineData("2025-01-01", "2025-01-31", SearchFilter.TextPlan.ScanHousehold)]
    [InlineData("2025-01-01", "2025-03-31", SearchFilter.TextPlan.SeekAllMatches)]
    public async Task TotalsSeekTheMatchesOverLongRanges(string? from, string? to, SearchFilter.TextPlan expected)
    {
        await using var app = new TestApp();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        DateOnly? Date(string? value) => value is null ? null : DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

        Assert.Equal(expected, SearchFilter.TotalsPlan(db, SearchFilter.TextPlan.ScanHousehold, [], Date(from), Date(to), Today));

        // The same range as a date: term of the line, and a page plan that already seeks stays as it is.
        var line = from is null ? "gelato" : $"gelato date:{from}..{to ?? "2026-12-31"}";
        var terms = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, line, null, null).ToFilter(Today, "EUR").Terms;
        Assert.Equal(expected, SearchFilter.TotalsPlan(db, SearchFilter.TextPlan.ScanHousehold, terms, null, null, Today));
        Assert.Equal(SearchFilter.TextPlan.SeekMatches, SearchFilter.TotalsPlan(db, SearchFilter.TextPlan.SeekMatches, terms, null, null, Today));
    }

    /// <summary>
    /// The migration that adds the household column fills it from the rows already there (payee, notes and tags too), and
    /// its Down restores the index without it: an install upgraded with data finds what it found before.
    /// </summary>
    [Fact]
    public async Task TheMigrationReindexesExistingRowsBothWays()
    {
        await using var app = new TestApp();
        var home = await TestHousehold.CreateAsync(app, "ana@example.com");
        var id = await home.AddExpenseAsync(home.Expense(12_00, payee: "Bäckerei Müller") with { Notes = "Sourdough", Tags = ["breakfast"] });

        await using (var scope = home.Scope())
        {
            var migrator = scope.ServiceProvider.GetRequiredService<AppDbContext>().GetService<IMigrator>();
            await migrator.MigrateAsync("20261128035110_DataProtectionKeys");
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM pragma_table_info('TransactionSearch') WHERE name = 'household'").SingleAsync());
            Assert.Equal(1, await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM \"TransactionSearch\" WHERE \"TransactionSearch\" MATCH 'backerei sourdough breakfast'").SingleAsync());
            await migrator.MigrateAsync();
        }

        var filter = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, "backerei sour breakf", null, null).ToFilter(Today, "EUR");
        var page = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(filter, 0, 50)));
        Assert.Equal([id], page.Items.Select(i => i.Id));

        // New rows after the upgrade are indexed with their household by the trigger.
        var next = await home.AddExpenseAsync(home.Expense(3_00, payee: "Bäckerei Müller"));
        filter = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, "backerei", null, null).ToFilter(Today, "EUR");
        page = await home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(filter, 0, 50)));
        Assert.Equal([next, id], page.Items.Select(i => i.Id));
    }
}
