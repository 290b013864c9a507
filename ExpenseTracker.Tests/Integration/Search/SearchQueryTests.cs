using ExpenseTracker.Tests.Infrastructure;
using ExpenseTracker.Tests.Integration.Expenses;
using ExpenseTracker.Web.Data;
using ExpenseTracker.Web.Features.Expenses;
using ExpenseTracker.Web.Features.Search;
using ExpenseTracker.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExpenseTracker.Tests.Integration.Search;

/// <summary>The filter household once per engine, made when a test first asks for it (no PostgreSQL database when its tests skip).</summary>
public sealed class SearchHouseholds : IAsyncLifetime
{
    private readonly Dictionary<DatabaseProvider, FilterHousehold> made = [];

    public async Task<FilterHousehold> OnAsync(DatabaseProvider provider)
    {
        if (!made.TryGetValue(provider, out var data))
        {
            data = new FilterHousehold(provider);
            await data.InitializeAsync();
            made[provider] = data;
        }

        return data;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var data in made.Values)
        {
            await data.DisposeAsync();
        }
    }
}

/// <summary>
/// The query line against a real database on each engine: full-text words through FTS5 (SQLite) or a tsvector (PostgreSQL)
/// and every filter, alone and combined.
/// </summary>
public sealed class SearchQueryTests(SearchHouseholds households) : IClassFixture<SearchHouseholds>
{
    private static readonly DateOnly Today = new(2026, 11, 15);

    private async Task<string[]> SearchAsync(DatabaseProvider provider, string line)
    {
        var data = await households.OnAsync(provider);
        var filter = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, line, null, null).ToFilter(Today, "EUR");
        var page = await data.Home.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(filter, 0, 50)));
        return [.. page.Items.Select(i => data.Ids.Single(x => x.Value == i.Id).Key).Order(StringComparer.Ordinal)];
    }

    [ProviderTheory]
    [InlineData("cafe", new[] { "cafe" })]
    [InlineData("caf", new[] { "cafe" })]
    [InlineData("CAFÉ zur", new[] { "cafe" })]
    [InlineData("zürich café", new[] { "cafe" })]
    [InlineData("creme brulee", new[] { "dinner" })]
    [InlineData("birth", new[] { "dinner" })]
    [InlineData("\"dinner with\"", new[] { "dinner" })]
    [InlineData("\"with dinner\"", new string[0])]
    [InlineData("\"dinner wi\"", new string[0])]
    [InlineData("\"creme brulee\"", new[] { "dinner" })]
    [InlineData("luigi's", new[] { "dinner" })]
    [InlineData("caf -zurich", new string[0])]
    [InlineData("luigi's:*&|!<->", new[] { "dinner" })]
    [InlineData("o'neil*^(x)", new string[0])]
    [InlineData("week", new[] { "cafe" })]
    [InlineData("shop", new[] { "refund" })]
    [InlineData("zzz", new string[0])]
    public async Task WordsMatchPayeeNotesAndTagsByPrefixWithAccentsFolded(DatabaseProvider provider, string line, string[] expected) =>
        Assert.Equal(expected, await SearchAsync(provider, line));

    [ProviderTheory]
    [InlineData("category:groceries", new[] { "cafe", "refund", "split" })]
    [InlineData("category:Groceries category:Transport", new[] { "bus", "cafe", "refund", "split" })]
    [InlineData("-category:Groceries", new[] { "bus", "dinner", "salary", "transfer" })]
    [InlineData("category:\"dining out\"", new[] { "dinner" })]
    [InlineData("category:GROCERIES -category:TRANSPORT", new[] { "cafe", "refund", "split" })]
    [InlineData("category:Groc", new string[0])]
    [InlineData("category:Groceries%", new string[0])]
    [InlineData("tag:WEEKLY", new[] { "cafe" })]
    [InlineData("-tag:weekly kind:expense", new[] { "bus", "dinner", "split" })]
    [InlineData("payee:super", new[] { "split" })]
    [InlineData("payee:zurich", new[] { "cafe" })]
    [InlineData("member:sam", new[] { "dinner" })]
    [InlineData("member:SAM", new[] { "dinner" })]
    [InlineData("-member:sAm kind:expense", new[] { "bus", "cafe", "split" })]
    [InlineData("account:visa", new[] { "dinner", "split", "transfer" })]
    [InlineData("account:VISA -account:checking", new[] { "dinner", "split" })]
    [InlineData("payee:ZÜRICH", new[] { "cafe" })]
    [InlineData("kind:refund", new[] { "refund" })]
    [InlineData("kind:income kind:transfer", new[] { "salary", "transfer" })]
    [InlineData("amount>50", new[] { "salary", "split", "transfer" })]
    [InlineData("amount>=50 amount<100", new[] { "dinner", "split" })]
    [InlineData("-amount:10..100", new[] { "refund", "salary", "transfer" })]
    [InlineData("date:2026-09", new[] { "bus" })]
    [InlineData("date:2026-10-15..2026-10-25", new[] { "dinner", "refund", "salary" })]
    [InlineData("date:this-month", new[] { "split" })]
    [InlineData("date:last-month -kind:income -kind:transfer", new[] { "cafe", "dinner", "refund" })]
    [InlineData("-date:2026-10", new[] { "bus", "split" })]
    [InlineData("category:nonexistent", new string[0])]
    public async Task EachFilterAloneAndCombinedPicksExactlyItsRows(DatabaseProvider provider, string line, string[] expected) =>
        Assert.Equal(expected, await SearchAsync(provider, line));

    [ProviderTheory]
    public async Task TextAndTwoFiltersCombine(DatabaseProvider provider) =>
        Assert.Equal(["cafe"], await SearchAsync(provider, "caf category:Groceries date:2026-10"));

    [ProviderTheory]
    public async Task ANegatedWordLeavesItsMatchesOut(DatabaseProvider provider) =>
        Assert.Equal(["bus", "refund", "salary", "split", "transfer"], await SearchAsync(provider, "-cafe -birthday"));

    [ProviderTheory]
    [InlineData("caf")]
    [InlineData("caf category:Groceries date:2026-10")]
    [InlineData("shop amount>1 -category:Transport")]
    [InlineData("dinner -cafe member:sam")]
    [InlineData("week tag:weekly -kind:income")]
    public async Task EveryTextPlanFindsTheSameRows(DatabaseProvider provider, string line)
    {
        // Real searches only take ScanHousehold above SearchFilter.SeekMatchesUpTo matches (and only on SQLite); here it is forced.
        var terms = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, line, null, null).ToFilter(Today, "EUR").Terms;
        var data = await households.OnAsync(provider);
        await using var scope = data.Home.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var expected = await SearchAsync(provider, line);
        foreach (var plan in Enum.GetValues<SearchFilter.TextPlan>())
        {
            var ids = await SearchFilter.Apply(db, db.Transactions.AsNoTracking(), terms, plan).Select(t => t.Id).ToListAsync();
            string[] found = [.. ids.Select(id => data.Ids.Single(x => x.Value == id).Key).Order(StringComparer.Ordinal)];
            Assert.Equal(expected, found);
        }
    }

    [Fact]
    public async Task AnInvalidLineIsRefusedWithItsMessage()
    {
        var query = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, "amount>ten", null, null);

        var error = Assert.Throws<QueryLineException>(() => query.ToFilter(Today, "EUR"));
        Assert.Contains("is not an amount", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// The full-text index (FTS5 and its triggers on SQLite, the tsvector table and its triggers on PostgreSQL) follows every
/// write: new, edited, renamed, retagged and deleted transactions, and other households stay out.
/// </summary>
public sealed class SearchIndexTests
{
    private static async Task<long[]> SearchAsync(TestHousehold household, string line)
    {
        var filter = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, line, null, null).ToFilter(new DateOnly(2026, 11, 15), "EUR");
        var page = await household.AsOwnerAsync(s => s.ListAsync(new ExpensePageRequest(filter, 0, 50)));
        return [.. page.Items.Select(i => i.Id).Order()];
    }

    [ProviderTheory]
    public async Task EditsRenamesTagsAndDeletesReachTheIndex(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await TestHousehold.CreateAsync(app, "ana@example.com");
        var id = await home.AddExpenseAsync(home.Expense(12_00, payee: "Bäckerei Müller") with { Notes = "Sourdough", Tags = ["breakfast"] });
        Assert.Equal([id], await SearchAsync(home, "backerei sour"));
        Assert.Equal([id], await SearchAsync(home, "breakf"));

        var details = await home.AsOwnerAsync(s => s.GetAsync(id));
        await home.AsOwnerAsync(async s =>
        {
            await s.UpdateAsync(id, details.Version, home.Expense(12_00, payee: "Bakery Miller") with { Notes = "Croissants", Tags = ["brunch"] });
            return 0;
        });
        Assert.Empty(await SearchAsync(home, "sourdough"));
        Assert.Empty(await SearchAsync(home, "breakfast"));
        Assert.Equal([id], await SearchAsync(home, "miller croiss brunch"));

        await using (var scope = home.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Payees.Where(p => p.Name == "Bakery Miller").ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "Le Fournil"));
            await db.Tags.Where(t => t.Name == "brunch").ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, "Sunday"));
        }

        Assert.Equal([id], await SearchAsync(home, "fournil sunday"));
        Assert.Empty(await SearchAsync(home, "miller"));

        await home.AsOwnerAsync(async s =>
        {
            await s.DeleteAsync(id);
            return 0;
        });
        Assert.Empty(await SearchAsync(home, "fournil"));
        await using (var scope = home.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.TransactionLines.Where(l => l.TransactionId == id).ExecuteDeleteAsync();
            await db.TransactionTags.Where(t => t.TransactionId == id).ExecuteDeleteAsync();
            await db.Transactions.IgnoreQueryFilters().Where(t => t.Id == id).ExecuteDeleteAsync();
            Assert.Equal(0, await db.TransactionSearch.CountAsync(s => s.RowId == id));
        }
    }

    [ProviderTheory]
    public async Task AnotherHouseholdsMatchesAreNeverReturned(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await TestHousehold.CreateAsync(app, "ana@example.com");
        var other = await TestHousehold.CreateAsync(app, "ben@example.com");
        var mine = await home.AddExpenseAsync(home.Expense(5_00, payee: "Gelato Bar"));
        var theirs = await other.AddExpenseAsync(other.Expense(7_00, payee: "Gelato Bar"));

        Assert.Equal([mine], await SearchAsync(home, "gelato"));
        Assert.Equal([theirs], await SearchAsync(other, "gelato payee:gelato"));
    }

    [ProviderTheory]
    public async Task AnotherMembersPrivateExpenseIsNotFoundByItsNotes(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await TestHousehold.CreateAsync(app, "ana@example.com");
        var sam = await home.AddMemberAsync("Sam");
        await using (var scope = home.Scope(MemberRole.Member, sam))
        {
            await scope.ServiceProvider.GetRequiredService<ExpenseService>()
                .CreateAsync(home.Expense(30_00, payee: "Jeweller") with { Notes = "Surprise present", IsPrivate = true });
        }

        Assert.Empty(await SearchAsync(home, "surprise"));
    }

    [ProviderTheory]
    public async Task CountSpendingAndThePrivateLineOfASearchFollowWhoIsAsking(DatabaseProvider provider)
    {
        await using var app = new TestApp(provider);
        var home = await TestHousehold.CreateAsync(app, "ana@example.com");
        var sam = await home.AddMemberAsync("Sam");
        var kid = await home.AddMemberAsync("Kim", MemberRole.Child);
        await home.AddExpenseAsync(home.Expense(5_00, payee: "Gelato Bar"));
        await home.AddExpenseAsync(home.Expense(2_00, payee: "Gelato Bar") with { PaidByMemberId = kid });
        await home.AddExpenseAsync(home.Expense(1_00, payee: "Gelato Bar") with { Kind = TransactionKind.Refund });
        await home.AddExpenseAsync(home.Expense(9_00, payee: "Bakery"));
        await using (var scope = home.Scope(MemberRole.Member, sam))
        {
            var service = scope.ServiceProvider.GetRequiredService<ExpenseService>();
            await service.CreateAsync(home.Expense(30_00, payee: "Gelato Bar") with { IsPrivate = true });
            await service.CreateAsync(home.Expense(4_00, payee: "Gelato Bar") with { IsPrivate = true, Kind = TransactionKind.Refund });
        }

        async Task<ExpensePage> ListAsync(MemberRole role, long member, string line)
        {
            var filter = ExpenseQuery.Parse(null, null, null, null, null, null, null, null, line, null, null).ToFilter(new DateOnly(2026, 11, 15), "EUR");
            await using var scope = home.Scope(role, member);
            return await scope.ServiceProvider.GetRequiredService<ExpenseService>().ListAsync(new ExpensePageRequest(filter, 0, 50));
        }

        var owner = await ListAsync(MemberRole.Owner, home.OwnerMemberId, "gelato");
        Assert.Equal((3, 6_00L, 3), (owner.TotalCount, owner.SpendingMinor, owner.Items.Count));
        Assert.Equal((2, 26_00L), (owner.Private.Count, owner.Private.SpendingMinor));

        var author = await ListAsync(MemberRole.Member, sam, "gelato");
        Assert.Equal((5, 32_00L, 5), (author.TotalCount, author.SpendingMinor, author.Items.Count));
        Assert.True(author.Private.IsEmpty);

        var child = await ListAsync(MemberRole.Child, kid, "gelato");
        Assert.Equal((1, 2_00L, 1), (child.TotalCount, child.SpendingMinor, child.Items.Count));
        Assert.True(child.Private.IsEmpty);

        var negated = await ListAsync(MemberRole.Owner, home.OwnerMemberId, "-gelato kind:expense");
        Assert.Equal((1, 9_00L), (negated.TotalCount, negated.SpendingMinor));
        Assert.True(negated.Private.IsEmpty);

        var expensesOnly = await ListAsync(MemberRole.Owner, home.OwnerMemberId, "gel kind:expense");
        Assert.Equal((2, 7_00L), (expensesOnly.TotalCount, expensesOnly.SpendingMinor));
        Assert.Equal((1, 30_00L), (expensesOnly.Private.Count, expensesOnly.Private.SpendingMinor));
    }
}
